#!/usr/bin/env bash
# The full test suite, exactly as CI runs it (.ci/run): set-up, type check, lint, then every jest
# test (unit, integration, end-to-end). Integration tests get a nats-server, a Postgres and a
# Docker engine with the task images built (scripts/services.sh, exporting NATS_URL,
# DATABASE_URL and DOCKER_HOST) that this script starts and always stops on exit; if they
# cannot start, that counts as a failure and the tests that need them fail naming the missing
# variable. Prints jest's usual report and ends with the plain line
# "N passed, N failed". A failed type check, lint or service start counts as one failure each, as
# does a test file that could not run at all. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

results_dir=.ci/out            # git-ignored; CI may keep it as an artifact
results="$results_dir/jest.json"
step_failures=0

step() {
  local name=$1
  shift
  echo "== $name"
  if "$@"; then
    return 0
  fi
  echo "== $name failed"
  step_failures=$((step_failures + 1))
  return 1
}

if ! step setup scripts/setup.sh; then
  echo "0 passed, 1 failed"
  exit 1
fi
# This run's own services (so concurrent runs in one checkout never stop each other's), stopped
# on every exit, also on Ctrl+C or a failed step.
export AGORA_SERVICES_DIR=$results_dir/services-$$
trap 'scripts/services.sh stop; rm -rf "$AGORA_SERVICES_DIR"' EXIT
trap 'echo "== interrupted"; exit 130' INT TERM
if step services scripts/services.sh start; then
  eval "$(scripts/services.sh env)"   # exports NATS_URL, DATABASE_URL and DOCKER_HOST for jest
fi

step typecheck npm run --silent typecheck
step lint npm run --silent lint

mkdir -p "$results_dir"
rm -f "$results"
echo "== jest"
npm run --silent test:unit -- --ci --json --outputFile="$results"
jest_status=$?

# passed and failed tests from jest's JSON; suites that failed without running a test (a compile
# error, a throw at load time) count as one failure each.
read -r passed failed < <(node -e '
  const fs = require("node:fs");
  try {
    const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const brokenSuites = r.testResults.filter(
      (s) => s.status === "failed" && s.assertionResults.every((t) => t.status !== "failed"),
    ).length;
    console.log(r.numPassedTests, r.numFailedTests + brokenSuites);
  } catch {
    console.log(0, 0);
  }
' "$results")

if (( jest_status != 0 && failed == 0 )); then
  # jest failed without a failing test to show for it (no JSON, a crash, no tests found).
  echo "== jest exited with status $jest_status"
  failed=1
fi
failed=$((failed + step_failures))

echo "$passed passed, $failed failed"
(( failed == 0 ))
