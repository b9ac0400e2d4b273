#!/usr/bin/env bash
# `gwpdf serve` end to end over HTTP on 127.0.0.1 (tests/e2e/serve_api.py): the
# API gives the CLI's bytes and messages, and every limit answers with its error
# without disturbing the other requests.  Args: GWPDF SOURCE_DIR SCRATCH_DIR.
set -euo pipefail
rm -rf "$3"
mkdir -p "$3"
exec python3 "$2/tests/e2e/serve_api.py" "$1" "$2" "$3"
