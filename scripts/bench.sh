#!/usr/bin/env bash
# npm run bench [-- --quick]: set up what is missing (and htop, the bytes-on-the-wire baseline),
# boot real instances, measure, write bench/results.{md,json} (--quick: bench/results-quick.*).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v htop >/dev/null; then
  [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq htop >&2 || echo "umltop-bench: htop missing: no baseline for bytes on the wire" >&2
fi
exec node bench/run.mjs "$@"
