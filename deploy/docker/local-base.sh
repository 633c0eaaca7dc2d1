#!/usr/bin/env bash
# Builds the two base images the Dockerfiles start from, without any image registry: a Debian root filesystem made
# by debootstrap becomes `debian:bookworm-slim`, and that plus the Node 24 binary the project already installed
# (the `node` npm package in node_modules) and the machine's npm becomes `node:24-bookworm-slim`. Needs root,
# debootstrap, docker and a Debian mirror. Then build as usual, with --network host so that the build stages reach
# the npm registry and the mirror:  deploy/docker/build.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
  rootfs=${ROOTFS:-$work/rootfs}
  [ -d "$rootfs/usr" ] || debootstrap --variant=minbase bookworm "$rootfs" "$mirror"
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' - debian:bookworm-slim
fi

if ! docker image inspect node:24-bookworm-slim >/dev/null 2>&1; then
  node_bin=$(readlink -f node_modules/node/bin/node)
  "$node_bin" --version | grep -q '^v24\.' || { echo "node_modules/node is not Node 24: run pnpm install" >&2; exit 1; }
  mkdir -p "$work/ctx"
  cp "$node_bin" "$work/ctx/node"
  cp -r "$(npm root -g)/npm" "$work/ctx/npm"
  cat > "$work/ctx/Dockerfile" <<'DOCKERFILE'
FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
CMD ["node"]
DOCKERFILE
  docker build --network host -t node:24-bookworm-slim "$work/ctx"
fi
