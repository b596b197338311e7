#!/usr/bin/env bash
# The full test suite, exactly as CI runs it (.ci/run): set-up, type check, lint, then every jest
# test (unit, integration, end-to-end), then the fault-injection suite (test/faults, run alone
# since its clusters need the machine to themselves; it prints its report). Integration tests
# get a nats-server, a Postgres and a Docker engine with the task images built (scripts/services.sh, exporting NATS_URL,
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

# The fault-injection suite (test/faults): whole clusters of real processes, so it runs after
# the other tests, alone, with its own services; it prints its report (npm run test:faults).
faults_results="$results_dir/jest-faults.json"
rm -f "$faults_results"
echo "== fault injection"
npm run --silent test:faults -- --ci --json --outputFile="$faults_results"
faults_status=$?

# passed and failed tests from a jest JSON file; suites that failed without running a test (a
# compile error, a throw at load time) count as one failure each.
count_results() {
  node -e '
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
  ' "$1"
}
read -r passed failed < <(count_results "$results")
read -r faults_passed faults_failed < <(count_results "$faults_results")

if (( jest_status != 0 && failed == 0 )); then
  # jest failed without a failing test to show for it (no JSON, a crash, no tests found).
  echo "== jest exited with status $jest_status"
  failed=1
fi
if (( faults_status != 0 && faults_failed == 0 )); then
  echo "== the fault-injection suite exited with status $faults_status"
  faults_failed=1
fi
passed=$((passed + faults_passed))
failed=$((failed + faults_failed))
failed=$((failed + step_failures))

echo "$passed passed, $failed failed"
(( failed == 0 ))
