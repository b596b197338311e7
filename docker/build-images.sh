#!/usr/bin/env bash
# Builds the task images Agora's tests and users run, from files already on this machine: no
# image can be pulled here (DESIGN §11), so there is no FROM and no registry. Each image is a
# root filesystem assembled in a temporary directory and loaded with `docker import`.
#
#   agora/busybox:latest  busybox-static's /bin/busybox with a link for every applet it has
#                         (sh, sleep, echo, cat, head, tail, wget, nc, httpd, ...)
#   agora/node:latest     the same, plus this machine's `node` and the shared libraries it loads,
#                         for executors and plugin schedulers written in JavaScript
#
# Every image is labelled with the hash of its recipe (this file) and of the files it was made
# from (`agora.recipe`). An image whose label matches is kept as it is, so a second run costs a
# few checksums; a new busybox or node package, or an edited recipe, rebuilds it.
#
#   docker/build-images.sh            # the engine at DOCKER_HOST, else /var/run/docker.sock
#   docker/build-images.sh --force    # rebuild even when the label matches
#
# Needs the docker CLI (Debian's docker.io) and busybox-static (scripts/setup.sh installs both).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "images: $*" >&2; }
die() { echo "images: error: $*" >&2; exit 1; }

RECIPE_LABEL=agora.recipe
# The PATH of every image: a `docker import`ed image has no environment of its own.
IMAGE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
BUSYBOX=/bin/busybox
force=false
workdir=   # the root filesystems being assembled; removed on exit

# --- recipes: each prints the files it is made from, and fills a root filesystem ---

busybox_inputs() {
  echo "$BUSYBOX"
}

# /bin/busybox and a symbolic link per applet at the path busybox gives for it, plus the few
# files a program expects to find in /etc and a /tmp anyone may write to.
busybox_rootfs() {
  local root=$1 applet
  mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/tmp" "$root/var/tmp"
  chmod 1777 "$root/tmp" "$root/var/tmp"
  cp "$BUSYBOX" "$root/bin/busybox"
  mkdir -p "$root/sbin" "$root/usr/bin" "$root/usr/sbin"
  for applet in $("$BUSYBOX" --list-full); do
    [[ -e $root/$applet || -L $root/$applet ]] && continue
    mkdir -p "$root/${applet%/*}"
    ln -s /bin/busybox "$root/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
}

node_binary() {
  local node
  node=$(command -v node) || die "node is not on PATH"
  readlink -f "$node"
}

# The dynamic loader and the libraries `ldd` resolves for node, by their real paths.
node_libraries() {
  ldd "$(node_binary)" | awk '
    $2 == "=>" && $3 ~ /^\// { print $3 }
    $1 ~ /^\// { print $1 }
  ' | sort -u
}

node_inputs() {
  busybox_inputs
  node_binary
  node_libraries
}

# The busybox image with node at /usr/local/bin/node and each library where ldd found it (the
# path the binary's loader asks for, e.g. /lib64/ld-linux-x86-64.so.2, copied as a file).
node_rootfs() {
  local root=$1 library
  busybox_rootfs "$root"
  mkdir -p "$root/usr/local/bin"
  cp "$(node_binary)" "$root/usr/local/bin/node"
  for library in $(node_libraries); do
    mkdir -p "$root$(dirname "$library")"
    cp -L "$library" "$root$library"
  done
}

# --- building ---

# What an image is made from, as one hash: this script and the content of every input file.
recipe_hash() {
  local inputs=$1
  {
    sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1
    # shellcheck disable=SC2046 # one word per file is what is wanted
    sha256sum $("$inputs")
  } | sha256sum | cut -d' ' -f1
}

image_recipe() {
  docker image inspect --format "{{ index .Config.Labels \"$RECIPE_LABEL\" }}" "$1" 2>/dev/null || true
}

# build IMAGE INPUTS ROOTFS CMD: imports ROOTFS's tree as IMAGE unless it is up to date.
build() {
  local image=$1 inputs=$2 rootfs=$3 cmd=$4 want have old dir started=$SECONDS
  want=$(recipe_hash "$inputs")
  have=$(image_recipe "$image")
  if [[ $force == false && $have == "$want" ]]; then
    log "$image is up to date"
    return
  fi
  old=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  dir=$workdir/${image//[\/:]/-}
  mkdir "$dir"
  "$rootfs" "$dir"
  tar --numeric-owner -C "$dir" -c . | docker import \
    --change "ENV PATH=$IMAGE_PATH" \
    --change "CMD $cmd" \
    --change "LABEL $RECIPE_LABEL=$want" \
    --message "built by docker/build-images.sh" \
    - "$image" >/dev/null
  rm -rf "$dir"
  log "$image built in $((SECONDS - started)) s"
  # The previous build, now untagged; kept if a container still uses it.
  if [[ -n $old && $old != "$(docker image inspect --format '{{.Id}}' "$image")" ]]; then
    docker image rm "$old" >/dev/null 2>&1 || true
  fi
}

main() {
  case ${1:-} in
    '') ;;
    --force) force=true ;;
    *) echo "usage: docker/build-images.sh [--force]" >&2; exit 2 ;;
  esac
  command -v docker >/dev/null 2>&1 || die "the docker CLI is not installed (run scripts/setup.sh)"
  [[ -x $BUSYBOX ]] && ! ldd "$BUSYBOX" >/dev/null 2>&1 \
    || die "$BUSYBOX is missing or not static (run scripts/setup.sh: it installs busybox-static)"
  docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
    || die "no Docker engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock}"
  workdir=$(mktemp -d /tmp/agora-images.XXXXXX)
  trap 'rm -rf "$workdir"' EXIT
  build agora/busybox:latest busybox_inputs busybox_rootfs '["sh"]'
  build agora/node:latest node_inputs node_rootfs '["node"]'
}

main "$@"
