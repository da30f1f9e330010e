#!/usr/bin/env bash
# `make demo`: the plan for a bundled sample project, then the real walk on a throw-away copy:
# the copy becomes a git repository and `upgrader step` runs until the newest LTS is reached
# (or a hop needs attention, which the report then explains).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
upgrader="$here/.venv/bin/upgrader"
project="${1:-$here/sample_projects/polls}"
work="$(mktemp -d "${TMPDIR:-/tmp}/upgrader-demo.XXXXXX")"
copy="$work/$(basename "$project")"

echo "== upgrader plan $project"
# plan exits 1 when a hop is blocked by packages (named on stderr, shown here): say so, and
# still walk the copy, whose step stops at that hop with a report. Any other failure stops.
set +e
"$upgrader" plan "$project"
plan_status=$?
set -e
if [ $plan_status -eq 1 ]; then
  echo "== the plan has a blocked hop (exit 1, 'blocked:' above): the walk stops at it"
elif [ $plan_status -ne 0 ]; then
  echo "== upgrader plan failed (exit $plan_status)" >&2
  exit $plan_status
fi

echo
echo "== walking a copy in $copy to the newest LTS"
cp -R "$project" "$copy"
rm -rf "$copy/.upgrader" "$copy/db.sqlite3"
git -C "$copy" init -q -b main
git -C "$copy" add -A
git -C "$copy" -c user.name=demo -c user.email=demo@localhost commit -qm "Project as found"
for _ in 1 2 3 4 5 6; do
  set +e
  output="$(cd "$copy" && "$upgrader" step 2>&1)"
  status=$?
  set -e
  echo "$output"
  if [ $status -eq 1 ]; then
    echo "== the hop needs attention (exit 1): see the report above; the copy stays in $copy"
    exit 0
  elif [ $status -ne 0 ]; then
    echo "== upgrader step refused (exit $status): the error above says why; nothing of the hop was kept (the copy stays in $copy)" >&2
    exit $status
  fi
  case "$output" in *"already at the target"*) break ;; esac
done
echo
# status exits 1 when the last hop has manual items open: its lines are shown either way.
echo "== done: $( (cd "$copy" && "$upgrader" status || true) | tail -n 1)"
echo "   branches:"; git -C "$copy" branch --list 'upgrade/*' | sed 's/^/   /'
echo "   reports: $copy/.upgrader/reports/"
