#!/usr/bin/env bash
# Runs Agora on this machine from a fresh clone: set-up, build, then a master on port 5050 and
# three agents on 5051-5053 in one foreground process (`agora local`). Ctrl+C stops it.
# Extra arguments go to `agora local`, e.g. scripts/run-local.sh --port 6050.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
echo "== build"
rm -rf dist
npm run --silent build
exec bin/agora local --agents 3 "$@"
