#!/usr/bin/env bash
# Compiles agora-launcher (launcher.c, see README.md) with the system C compiler into
# dist/native/agora-launcher, or into the directory given as $1 (the tests build their own copy).
# Part of `npm run build` and of scripts/setup.sh. Without a compiler it says so and succeeds:
# the agent then starts tasks with Node's child_process.spawn, only slower.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="${1:-$here/../../../dist/native}"
cc="${CC:-cc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "agora-launcher: no C compiler ($cc); the agent will start tasks with child_process.spawn" >&2
  exit 0
fi
mkdir -p "$out_dir"
# Built next to its final name and renamed over it, so a running agent never sees half a binary.
"$cc" -O2 -Wall -Wextra -Werror -std=gnu11 -o "$out_dir/.agora-launcher.$$" "$here/launcher.c"
mv -f "$out_dir/.agora-launcher.$$" "$out_dir/agora-launcher"
