#!/usr/bin/env bash
# Throwaway services for the test suite: a nats-server and a Postgres cluster, each on a free
# loopback port, and a Docker engine on a socket of its own, with nothing kept afterwards but
# the engine's image cache. scripts/test.sh starts them before jest and stops them on exit; run
# it by hand to work against the same services:
#
#   scripts/services.sh start     # start all three; writes their addresses to the env file
#   source <(scripts/services.sh env)   # NATS_URL, DATABASE_URL and DOCKER_HOST in this shell
#   scripts/services.sh stop      # stop them and delete their data
#
# Uses Debian's nats-server, postgresql and docker.io (scripts/setup.sh installs them). Postgres
# refuses to run as root, so as root the cluster runs as the unprivileged `postgres` user in a
# data directory under /tmp (which that user can always reach, wherever the checkout lives).
#
# The Docker engine is a dockerd of this run's own, started as DESIGN §11 requires (no bridge,
# no iptables, no forwarding: containers get host or none networking), with its socket and
# runtime state in a fresh /run/agora-docker.* directory. Its images and layers live in
# /var/lib/agora-docker, kept between runs so that docker/build-images.sh (run at start) finds
# the task images built already; while another run's dockerd holds that directory, this one
# uses a throwaway one under /tmp and builds the images afresh. Without root, an engine that
# already answers at DOCKER_HOST (or /var/run/docker.sock) is used instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

state_dir=${AGORA_SERVICES_DIR:-.ci/out/services}   # git-ignored
env_file=$state_dir/env
pg_db=agora
pg_user=agora
docker_cache=/var/lib/agora-docker
docker_cache_lock=/var/lib/agora-docker.lock

log() { echo "services: $*" >&2; }
die() { echo "services: error: $*" >&2; exit 1; }

# A port that was free a moment ago on 127.0.0.1 (the OS picks it).
free_port() {
  node -e '
    const server = require("node:net").createServer();
    server.listen(0, "127.0.0.1", () => { console.log(server.address().port); server.close(); });
  '
}

# Waits until something accepts TCP connections on 127.0.0.1:$1, for up to $2 seconds.
wait_for_port() {
  local port=$1 deadline=$((SECONDS + $2))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    (( SECONDS < deadline )) || return 1
    sleep 0.1
  done
}

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n $dir && -x $dir/pg_ctl ]] || die "Postgres binaries not found under /usr/lib/postgresql (run scripts/setup.sh)"
  echo "$dir"
}

# Runs a Postgres tool as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_pg_owner() {
  if (( EUID == 0 )); then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_nats() {
  command -v nats-server >/dev/null 2>&1 || die "nats-server is not installed (run scripts/setup.sh)"
  local port
  port=$(free_port)
  # In its own session, like pg_ctl's postmaster: a Ctrl+C in the terminal reaches test.sh, whose
  # exit trap stops both in order, instead of killing the server under running tests.
  setsid nats-server --addr 127.0.0.1 --port "$port" --pid "$state_dir/nats.pid" \
    --log "$state_dir/nats.log" </dev/null >/dev/null 2>&1 &
  echo $! >"$state_dir/nats.pid"
  if ! wait_for_port "$port" 10; then
    tail -n 20 "$state_dir/nats.log" >&2 || true
    die "nats-server did not start listening on 127.0.0.1:$port"
  fi
  echo "export NATS_URL=nats://127.0.0.1:$port" >>"$env_file"
  log "nats-server on 127.0.0.1:$port"
}

start_postgres() {
  local bin port data
  bin=$(pg_bin_dir)
  port=$(free_port)
  data=$(mktemp -d /tmp/agora-test-postgres.XXXXXX)
  echo "$data" >"$state_dir/postgres.dir"
  (( EUID == 0 )) && chown postgres: "$data"
  # Trust on loopback only: a throwaway cluster that lives as long as one test run.
  as_pg_owner "$bin/initdb" --pgdata="$data" --username="$pg_user" --auth=trust --no-sync \
    --encoding=UTF8 --locale=C.UTF-8 >"$state_dir/initdb.log" 2>&1 \
    || { cat "$state_dir/initdb.log" >&2; die "initdb failed"; }
  as_pg_owner "$bin/pg_ctl" --pgdata="$data" --log="$data/server.log" --wait --timeout=30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null \
    || { tail -n 20 "$data/server.log" >&2 || true; die "Postgres did not start"; }
  as_pg_owner "$bin/createdb" --host=127.0.0.1 --port="$port" --username="$pg_user" "$pg_db"
  echo "export DATABASE_URL=postgres://$pg_user@127.0.0.1:$port/$pg_db" >>"$env_file"
  log "Postgres on 127.0.0.1:$port (data in $data)"
}

# Whether a Docker engine answers at $1 (a DOCKER_HOST value).
docker_answers() {
  timeout 10 docker --host "$1" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# Starts dockerd with its data in $1; "$@" after it is the command prefix it runs under. Waits
# until it answers, and fails early when the process ends first (returning its status).
launch_dockerd() {
  local data_root=$1 exec_root=$2
  shift 2
  # In its own session, like nats-server and Postgres (see start_nats).
  setsid "$@" dockerd --host "unix://$exec_root/docker.sock" --data-root "$data_root" \
    --exec-root "$exec_root" --pidfile "$exec_root/dockerd.pid" \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false --userland-proxy=false \
    --shutdown-timeout 5 --log-level warn \
    </dev/null >>"$state_dir/dockerd.log" 2>&1 &
  local launcher=$!
  echo "$launcher" >"$state_dir/docker.launcher.pid"
  local deadline=$((SECONDS + 60))
  until docker_answers "unix://$exec_root/docker.sock"; do
    if ! kill -0 "$launcher" 2>/dev/null; then
      local status=0
      wait "$launcher" || status=$?
      return $(( status == 0 ? 1 : status ))
    fi
    (( SECONDS < deadline )) || { tail -n 20 "$state_dir/dockerd.log" >&2 || true; die "dockerd did not answer within 60 s"; }
    sleep 0.2
  done
}

start_docker() {
  if (( EUID != 0 )); then
    local host=${DOCKER_HOST:-unix:///var/run/docker.sock}
    docker_answers "$host" || die "dockerd needs root; run as root, or point DOCKER_HOST at a running Docker engine"
    echo "export DOCKER_HOST=$host" >>"$env_file"
    log "Docker engine at $host (not started here: not root)"
    DOCKER_HOST=$host docker/build-images.sh
    return
  fi
  command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 \
    || die "dockerd is not installed (run scripts/setup.sh)"
  local exec_root data_root status=0
  # Short: the socket path (and containerd's inside) must fit a unix socket name.
  exec_root=$(mktemp -d /run/agora-docker.XXXXXX)
  echo "$exec_root" >"$state_dir/docker.exec-root"
  mkdir -p "$docker_cache"
  # flock holds the cache's lock for as long as dockerd runs (--close keeps it out of dockerd,
  # whose children would otherwise inherit it), and exits 75 at once when another run has it.
  launch_dockerd "$docker_cache" "$exec_root" flock --nonblock --conflict-exit-code 75 --close "$docker_cache_lock" \
    || status=$?
  if (( status == 75 )); then
    data_root=$(mktemp -d /tmp/agora-docker.XXXXXX)
    echo "$data_root" >"$state_dir/docker.data-root"
    log "the image cache $docker_cache is in use by another run; this engine keeps its images in $data_root"
    status=0
    launch_dockerd "$data_root" "$exec_root" || status=$?
  fi
  (( status == 0 )) || { tail -n 20 "$state_dir/dockerd.log" >&2 || true; die "dockerd exited with status $status"; }
  local host=unix://$exec_root/docker.sock
  # Containers a killed run left in the cache (stopped when their dockerd went away).
  docker --host "$host" container prune --force >/dev/null
  echo "export DOCKER_HOST=$host" >>"$env_file"
  log "dockerd at $host (images in ${data_root:-$docker_cache})"
  DOCKER_HOST=$host docker/build-images.sh
}

stop_nats() {
  [[ -f $state_dir/nats.pid ]] || return 0
  local pid
  pid=$(cat "$state_dir/nats.pid")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$state_dir/nats.pid"
}

stop_postgres() {
  [[ -f $state_dir/postgres.dir ]] || return 0
  local data
  data=$(cat "$state_dir/postgres.dir")
  if [[ -f $data/postmaster.pid ]]; then
    as_pg_owner "$(pg_bin_dir)/pg_ctl" --pgdata="$data" --mode=fast --wait stop >/dev/null 2>&1 \
      || kill -9 "$(head -n 1 "$data/postmaster.pid")" 2>/dev/null || true
  fi
  # Only ever remove what this script created.
  [[ $data == /tmp/agora-test-postgres.* ]] && rm -rf "$data"
  rm -f "$state_dir/postgres.dir"
}

# Mount points at or below directory $1, deepest first.
mounts_below() {
  awk -v dir="$1" '$5 == dir || index($5, dir "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r
}

# Waits up to $2 tenths of a second for process $1 to end, then kills it.
end_process() {
  local pid=$1 tenths=$2
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq "$tenths"); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

stop_docker() {
  [[ -f $state_dir/docker.exec-root ]] || return 0
  local exec_root data_root="" dir
  exec_root=$(cat "$state_dir/docker.exec-root")
  [[ -f $state_dir/docker.data-root ]] && data_root=$(cat "$state_dir/docker.data-root")
  if [[ -f $exec_root/dockerd.pid ]]; then
    local host=unix://$exec_root/docker.sock ids
    # Containers the tests left running would hold dockerd's shutdown up; they go first.
    ids=$(timeout 10 docker --host "$host" ps --all --quiet 2>/dev/null || true)
    # shellcheck disable=SC2086 # one id per word
    [[ -n $ids ]] && { timeout 60 docker --host "$host" rm --force $ids >/dev/null 2>&1 || true; }
    end_process "$(cat "$exec_root/dockerd.pid")" 200
  fi
  # A dockerd that was killed leaves its containerd running; flock ends with dockerd.
  [[ -f $exec_root/containerd/containerd.pid ]] && end_process "$(cat "$exec_root/containerd/containerd.pid")" 50
  [[ -f $state_dir/docker.launcher.pid ]] && end_process "$(cat "$state_dir/docker.launcher.pid")" 50
  # Only ever remove what this script created, and never through a mount still in place. A
  # dockerd that had to be killed leaves its mounts (network namespaces, container layers):
  # nothing uses them any more, so they are detached first.
  local mount
  for dir in "$exec_root" "$data_root"; do
    [[ $dir == /run/agora-docker.* || $dir == /tmp/agora-docker.* ]] || continue
    for mount in $(mounts_below "$dir"); do umount --lazy "$mount" 2>/dev/null || true; done
    if [[ -n $(mounts_below "$dir") ]]; then
      log "leaving $dir: something is still mounted below it"
    else
      rm -rf --one-file-system "$dir"
    fi
  done
  rm -f "$state_dir/docker.exec-root" "$state_dir/docker.data-root" "$state_dir/docker.launcher.pid"
}

stop() {
  stop_docker
  stop_nats
  stop_postgres
  rm -f "$env_file"
}

start() {
  stop   # leftovers of an interrupted run
  mkdir -p "$state_dir"
  : >"$env_file"
  trap 'stop' EXIT   # a failed start leaves nothing behind
  start_nats
  start_postgres
  start_docker
  trap - EXIT
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  env)
    [[ -f $env_file ]] || die "no services running (scripts/services.sh start)"
    cat "$env_file"
    ;;
  *)
    echo "usage: scripts/services.sh start|stop|env" >&2
    exit 2
    ;;
esac
