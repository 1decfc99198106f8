#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine with Python 3.11 and Node 20
# (Debian's Chromium, the Python package with its test extras, the npm packages and browser bundles),
# then runs the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# Playwright cannot download its own browsers here: the tests drive Debian's Chromium.
if [ ! -x /usr/bin/chromium ]; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi
python3 -m pip install --quiet -e '.[test]'
npm ci --no-audit --no-fund
npm run --silent build
exec python3 -m pytest "$@"
