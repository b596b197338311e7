#!/usr/bin/env bash
# Prepares this checkout to build, run and test Agora on a fresh machine (Debian 12 + Node 20).
# Idempotent and cheap when nothing changed, so scripts/test.sh, scripts/run-local.sh and CI all
# run it first. Each step checks before it acts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

check_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is required; 'node' is not on PATH"
  command -v npm >/dev/null 2>&1 || die "npm is required; 'npm' is not on PATH"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if (( major < 20 )); then
    die "Node.js 20 or newer is required, found $(node --version)"
  fi
}

# System packages the services need. None yet: issue 3 adds NATS and Postgres here, e.g.
#   apt-get install -y --no-install-recommends nats-server postgresql docker.io
# installing only what is missing (check with `dpkg -s`), as root, non-interactively.
install_system_packages() {
  :
}

# Services the tests and `agora local` talk to. None yet: issue 3 starts nats-server (and dockerd
# with --bridge=none --iptables=false --ip-forward=false, DESIGN §11) here unless already running.
start_services() {
  :
}

# npm ci when node_modules is missing or was installed from a different package-lock.json. The
# stamp records the lock file's hash after a successful install.
install_node_modules() {
  local stamp=node_modules/.agora-setup-stamp want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [[ -f $stamp && "$(cat "$stamp")" == "$want" ]]; then
    log "node_modules matches package-lock.json"
    return
  fi
  log "installing npm dependencies from package-lock.json (npm ci)"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
}

check_node
install_system_packages
start_services
install_node_modules
