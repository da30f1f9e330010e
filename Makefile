# Two commands on a fresh machine:
#   make demo   set up .venv and run upgrader on a bundled sample project
#   make test   install everything the tests need and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_PROJECT ?= sample_projects/polls
PYTEST_ARGS ?=

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint typecheck unit e2e clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	bash scripts/demo.sh $(DEMO_PROJECT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The HTML report is checked in a real headless browser: Debian's chromium.
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium >/dev/null; }

test: lint typecheck chromium
	$(BIN)/pytest -n 2 --durations=15 $(PYTEST_ARGS)

unit: $(STAMP)
	$(BIN)/pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

e2e: $(STAMP) chromium
	$(BIN)/pytest -n 2 -m e2e $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build *.egg-info
