#!/usr/bin/env bash
# `npm test`'s vitest run, then the personal-data scan (issue 14): the run's terminal output and every
# log line its tests, workers and child processes wrote go to test-output/run-logs/, the global
# set-up dumps the dev server's raw histories there before it stops, and
# scripts/scan-personal-data.ts fails the run on one personal datum of the tests found in any of it.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/test-output/run-logs"
rm -rf "$dir"
mkdir -p "$dir"
export MOTORDESK_RUN_LOG_DIR="$dir"
npx vitest run "$@" 2>&1 | tee "$dir/vitest-output.log"
npx tsx scripts/scan-personal-data.ts "$dir"
