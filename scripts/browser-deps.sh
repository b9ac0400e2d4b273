#!/usr/bin/env bash
# Installs what gwpdf's browser tests need, and only what is missing: Debian's
# chromium (through scripts/deps.sh), then the pinned npm packages of
# tests/browser (ofd.js 0.2.6, puppeteer-core 24.8.2) with `npm ci` when
# tests/browser/node_modules is missing or older than its package-lock.json.
# Quiet when there is nothing to do.
# Called by the OFD read-back tests (tests/browser/ofdread.js) now, and by the web
# page's tests later; tests/browser/README.md says how to run them.  Node.js and npm
# must already be there (Node 20: puppeteer-core 25 would need Node 22).  The fonts
# the pages are drawn with come from scripts/deps.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BROWSER_DIR="$ROOT/tests/browser"

# Debian's chromium, through scripts/deps.sh (which installs only what is missing).
"$ROOT/scripts/deps.sh" chromium

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "gwpdf: the browser tests need Node.js (20) and npm; install them first" >&2
  exit 1
fi

# npm writes node_modules/.package-lock.json at every install: it is as old as the
# installed tree.
stamp="$BROWSER_DIR/node_modules/.package-lock.json"
if [ ! -d "$BROWSER_DIR/node_modules" ] || [ ! -e "$stamp" ] \
   || [ "$BROWSER_DIR/package-lock.json" -nt "$stamp" ]; then
  echo "gwpdf: installing the browser tests' npm packages (tests/browser)"
  (cd "$BROWSER_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
