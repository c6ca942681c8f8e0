#!/usr/bin/env bash
# `npm test` — the one test command: installs npm dependencies when missing, type-checks (including
# the mechanical src/core boundary), builds, runs the unit tests, then the end-to-end tests in a
# real VS Code (code-server) driven by Chromium, which install themselves on first use.
# HEAPLENS_SKIP_E2E=1 runs everything but the end-to-end suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsc ] || [ ! -x node_modules/.bin/esbuild ]; then
  npm ci --no-audit --no-fund
fi
echo "== typecheck"
npm run --silent typecheck
echo "== build"
npm run --silent build
echo "== unit tests"
npm run --silent test:unit
if [ "${HEAPLENS_SKIP_E2E:-}" = 1 ]; then
  echo "== end-to-end tests skipped (HEAPLENS_SKIP_E2E=1)"
  exit 0
fi
echo "== end-to-end tests"
npm run --silent test:e2e
