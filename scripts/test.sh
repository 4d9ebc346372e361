#!/usr/bin/env bash
# The one test command (npm test): set up what is missing, run every test, end with
# a plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
tools=$(bash scripts/test-tools.sh) || { echo "0 passed, 1 failed"; exit 1; }
export PATH="$PATH:$tools/usr/bin:$tools/usr/sbin" UMLTOP_TOOLS_ROOT="$tools"
# type errors in tests or sources fail the run like a failing test would
if ! node_modules/.bin/tsc -p tsconfig.json --noEmit; then echo "typecheck failed"; echo "0 passed, 1 failed"; exit 1; fi
# so do lint findings, unformatted files and import circles (npm run lint: biome.jsonc)
if ! npm run --silent lint; then echo "lint failed (npm run lint; npm run format fixes the formatting)"; echo "0 passed, 1 failed"; exit 1; fi
results=$(mktemp)
# the unit and integration tiers (the fuzz campaign is `npm run fuzz`)
node_modules/.bin/vitest run --project unit --project integration --reporter=default --reporter=json --outputFile.json="$results" "$@"
rc=$?
node scripts/test-summary.mjs "$results" || rc=1
rm -f "$results"
exit $rc
