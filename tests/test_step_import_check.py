"""The dependency phase's import-check loop (``upgrader.step.stages._import_checked``, F29).

The stage env, the index and the chooser are replaced by recorded answers: what is tested is
the loop's own logic (how often it chooses again, that each round writes from the project's
original files, when it stops and what it says), not the probe or the chooser, which have
their own tests (``tests/deps/test_importable.py``) and an end-to-end run (healthchecks' 6.1
hop, FINDINGS F29)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from packaging.specifiers import SpecifierSet

from upgrader.deps.importable import ImportBreak, Move, ProbeResult
from upgrader.deps.model import Constraint
from upgrader.step import stages


@dataclass
class FakePlan:
    label: str
    choices: tuple[Any, ...] = ()
    blocked: tuple[Any, ...] = ()


@dataclass
class FakeResult:
    label: str
    constraints: Path | None = None


@dataclass
class Recorder:
    """Recorded answers per round, and what the loop asked for."""

    probes: list[ProbeResult]
    moves: list[tuple[Move, ...]]
    blocked_on_round: int | None = None
    planned_with: list[dict[str, list[Constraint]]] = field(default_factory=list)
    written_seen: list[bytes] = field(default_factory=list)


def _break(name: str) -> ImportBreak:
    return ImportBreak(name, "1.0", name, "ImportError: gone", f"{name}/__init__.py:1")


def _move(package: str, spec: str) -> Move:
    constraint = Constraint(SpecifierSet(spec), "import check", "stage env")
    return Move(package, constraint, f"{package} {spec}")


@pytest.fixture
def project(tmp_path: Path) -> Any:
    (tmp_path / "requirements.txt").write_bytes(b"psycopg2==2.8.4\r\n")
    return type("P", (), {"root": tmp_path})()


def _run(
    monkeypatch: pytest.MonkeyPatch,
    project: Any,
    recorder: Recorder,
    previous: dict[str, str] | None = None,
) -> tuple[Any, Any, tuple[str, ...]]:
    requirements = project.root / "requirements.txt"
    originals = {requirements: requirements.read_bytes()}

    def fake_probe(*_args: Any) -> ProbeResult:
        return recorder.probes.pop(0)

    def fake_moves(*_args: Any) -> tuple[Move, ...]:
        return recorder.moves.pop(0)

    def fake_planned(
        _project: Any, _hop: Any, _options: Any, _declared: Any, moves: Any = None
    ) -> FakePlan:
        recorder.planned_with.append({k: list(v) for k, v in (moves or {}).items()})
        blocked = ("held back",) if len(recorder.planned_with) == recorder.blocked_on_round else ()
        return FakePlan(
            f"round {len(recorder.planned_with)}",
            blocked=tuple(type("B", (), {"reason": b})() for b in blocked),
        )

    def fake_write(root: Path, _declared: Any, plan: FakePlan) -> FakeResult:
        recorder.written_seen.append(requirements.read_bytes())  # restored before each write?
        requirements.write_bytes(f"written for {plan.label}\n".encode())
        return FakeResult(plan.label)

    monkeypatch.setattr(stages, "_import_check", fake_probe)
    monkeypatch.setattr(stages, "moves_for", fake_moves)
    monkeypatch.setattr(stages, "_planned", fake_planned)
    monkeypatch.setattr(stages, "write_dependencies", fake_write)
    monkeypatch.setattr(stages, "requirement_files", lambda _declared: [requirements])
    monkeypatch.setattr(stages, "index_config", lambda _files: None)
    monkeypatch.setattr(stages, "PackageIndex", lambda *_a, **_k: object())
    monkeypatch.setattr(stages, "installed_underneath", lambda *_a: dict(previous or {}))
    hop = type("H", (), {"python": "3.12"})()
    options = type("O", (), {"offline": True})()
    requirements.write_bytes(b"written for the first choice\n")  # what the phase wrote first
    return stages._import_checked(  # type: ignore[arg-type]
        project, hop, options, None, FakePlan("first"), FakeResult("first"), originals
    )


def test_a_clean_stage_keeps_the_first_set(monkeypatch: pytest.MonkeyPatch, project: Any) -> None:
    recorder = Recorder(probes=[ProbeResult((), "3.12")], moves=[])
    plan, result, notes = _run(monkeypatch, project, recorder)
    assert (plan.label, result.label, notes) == ("first", "first", ())
    assert recorder.planned_with == []


def test_a_break_moves_the_package_and_writes_from_the_original_files(
    monkeypatch: pytest.MonkeyPatch, project: Any
) -> None:
    recorder = Recorder(
        probes=[ProbeResult((_break("psycopg2"),), "3.12"), ProbeResult((), "3.12")],
        moves=[(_move("psycopg2", ">2.8.4"),)],
    )
    plan, result, notes = _run(monkeypatch, project, recorder)
    assert (plan.label, result.label) == ("round 1", "round 1")
    assert [list(m) for m in recorder.planned_with] == [["psycopg2"]]
    # The second write starts from the project's own file (CRLF kept), not the first write.
    assert recorder.written_seen == [b"psycopg2==2.8.4\r\n"]
    assert notes == ("import check in the stage env: psycopg2 >2.8.4; moved psycopg2",)


def test_the_loop_stops_after_its_rounds(monkeypatch: pytest.MonkeyPatch, project: Any) -> None:
    rounds = stages.IMPORT_ROUNDS
    recorder = Recorder(
        probes=[ProbeResult((_break("psycopg2"),), "3.12") for _ in range(rounds + 1)],
        moves=[(_move("psycopg2", f">2.8.{n}"),) for n in range(rounds + 1)],
    )
    plan, _result, notes = _run(monkeypatch, project, recorder)
    assert len(recorder.planned_with) == rounds
    assert plan.label == f"round {rounds}"
    # Each round keeps the earlier rounds' bounds and adds its own.
    assert [len(m["psycopg2"]) for m in recorder.planned_with] == list(range(1, rounds + 1))
    # The last set written is checked too, and what still breaks there is said (F90: vcrpy
    # 3.0.0 was committed unchecked after three rounds and stopped test collection).
    assert recorder.probes == []
    assert len(notes) == rounds + 1
    assert notes[-1] == (
        f"import check in the stage env: still after {rounds} rounds: psycopg2 1.0 does not "
        "import on Python 3.12: `import psycopg2` raises ImportError: gone "
        "(psycopg2/__init__.py:1): move it by hand"
    )


def test_a_move_already_tried_ends_the_loop_with_the_note(
    monkeypatch: pytest.MonkeyPatch, project: Any
) -> None:
    same = _move("psycopg2", ">2.8.4")
    recorder = Recorder(
        probes=[ProbeResult((_break("psycopg2"),), "3.12")] * 2,
        moves=[(same,), (same,)],
    )
    plan, _result, notes = _run(monkeypatch, project, recorder)
    assert len(recorder.planned_with) == 1
    assert notes[-1] == "psycopg2 >2.8.4"  # said again: the bound did not help
    assert plan.label == "round 1"


def test_a_blocked_move_keeps_the_set_written_and_says_why(
    monkeypatch: pytest.MonkeyPatch, project: Any
) -> None:
    recorder = Recorder(
        probes=[ProbeResult((_break("psycopg2"),), "3.12")],
        moves=[(_move("psycopg2", ">2.8.4"),)],
        blocked_on_round=1,
    )
    plan, result, notes = _run(monkeypatch, project, recorder)
    assert (plan.label, result.label) == ("first", "first")
    assert notes == ("psycopg2 >2.8.4", "moving past it is blocked: held back")
    assert recorder.written_seen == []  # nothing rewritten for a blocked choice


def test_a_probe_that_cannot_run_is_said(monkeypatch: pytest.MonkeyPatch, project: Any) -> None:
    recorder = Recorder(probes=[ProbeResult((), "3.12", problem="no python in the env")], moves=[])
    _plan, _result, notes = _run(monkeypatch, project, recorder)
    assert notes == ("no python in the env",)


def _hold() -> Move:
    instead = _move("vcrpy", ">=4.3.1")
    constraint = Constraint(SpecifierSet("<2"), "held", "stage env")
    return Move("urllib3", constraint, "urllib3 held below 2", held=True, instead=(instead,))


def test_a_hold_below_a_major_comes_before_moving_the_declared_package(
    monkeypatch: pytest.MonkeyPatch, project: Any
) -> None:
    """F91: urllib3 held below 2 rather than vcrpy moved to 4.3.1."""
    recorder = Recorder(
        probes=[ProbeResult((_break("vcrpy"),), "3.10"), ProbeResult((), "3.10")],
        moves=[(_hold(),)],
    )
    plan, _result, notes = _run(monkeypatch, project, recorder, {"urllib3": "1.26.20"})
    assert plan.label == "round 1"
    assert [list(m) for m in recorder.planned_with] == [["urllib3"]]
    assert notes == ("import check in the stage env: urllib3 held below 2",)


def test_a_hold_the_set_does_not_resolve_with_gives_way_to_the_move(
    monkeypatch: pytest.MonkeyPatch, project: Any
) -> None:
    recorder = Recorder(
        probes=[ProbeResult((_break("vcrpy"),), "3.10"), ProbeResult((), "3.10")],
        moves=[(_hold(),)],
        blocked_on_round=1,
    )
    plan, _result, notes = _run(monkeypatch, project, recorder, {"urllib3": "1.26.20"})
    assert plan.label == "round 2"
    assert [list(m) for m in recorder.planned_with] == [["urllib3"], ["vcrpy"]]
    assert notes == (
        "import check in the stage env: not held: urllib3 held below 2; the set does not "
        "resolve with urllib3<2: held back",
        "import check in the stage env: vcrpy >=4.3.1; moved vcrpy",
    )
