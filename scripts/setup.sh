#!/usr/bin/env bash
# Set up what is missing on a Debian machine (run as root for the apt part), idempotently:
# Debian packages, node modules (with their native addons really built), dist/, and a UML
# kernel that boots here (scripts/uml-kernel.sh probes it by booting it).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'umltop-setup: %s\n' "$*" >&2; }

command -v node >/dev/null || { say "error: Node.js 20 or later is needed (apt-get install nodejs, or NodeSource)"; exit 1; }
major=$(node -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { say "error: Node.js $major is too old; umltop needs 20 or later"; exit 1; }

# Debian packages: the kernel's helpers, uml_mconsole (reference client), tmux (terminal tests),
# and a compiler for the AF_UNIX datagram addon.
pkgs=()
for pair in busybox:busybox-static patchelf:patchelf uml_mconsole:uml-utilities tmux:tmux file:file \
            make:make g++:g++ python3:python3 ps:procps; do
  command -v "${pair%%:*}" >/dev/null || pkgs+=("${pair#*:}")
done
if [ ${#pkgs[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { say "error: missing Debian packages: ${pkgs[*]} (run as root or install them)"; exit 1; }
  say "installing Debian packages: ${pkgs[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >&2
fi

addons_built() { [ -f node_modules/unix-dgram/build/Release/unix_dgram.node ] && [ -f node_modules/node-pty/build/Release/pty.node ]; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || ! addons_built; then
  say "installing node modules (npm ci)"
  npm ci --no-audit --no-fund >&2
fi
if ! addons_built; then
  say "native addons did not build; rebuilding them"
  npm rebuild unix-dgram node-pty >&2
  addons_built || { say "error: unix-dgram / node-pty native addons failed to build (need make, g++, python3)"; exit 1; }
fi

say "building dist/"
rm -rf dist  # a fresh build: files of modules since moved or removed must not linger
node_modules/.bin/tsc -p tsconfig.build.json
node scripts/bundle.mjs

bash scripts/uml-kernel.sh >/dev/null
