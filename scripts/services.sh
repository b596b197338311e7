#!/usr/bin/env bash
# Throwaway services for the test suite: a nats-server and a Postgres cluster, each on a free
# loopback port, with nothing kept afterwards. scripts/test.sh starts them before jest and stops
# them on exit; run it by hand to work against the same services:
#
#   scripts/services.sh start     # start both; writes their URLs to the env file
#   source <(scripts/services.sh env)   # NATS_URL and DATABASE_URL in this shell
#   scripts/services.sh stop      # stop both and delete their data
#
# Uses Debian's nats-server and postgresql binaries (scripts/setup.sh installs them). Postgres
# refuses to run as root, so as root the cluster runs as the unprivileged `postgres` user in a
# data directory under /tmp (which that user can always reach, wherever the checkout lives).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

state_dir=${AGORA_SERVICES_DIR:-.ci/out/services}   # git-ignored
env_file=$state_dir/env
pg_db=agora
pg_user=agora

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

stop() {
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
