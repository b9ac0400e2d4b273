#!/usr/bin/env bash
# Checks PDFs against PDF/A-1b with Apache PDFBox Preflight (Debian packages
# libpdfbox2-java libactivation-java libjaxb-api-java and a Java runtime, which
# scripts/deps.sh installs).  Prints Preflight's verdict for each file; exits 0
# when every file is valid, 1 when one is not, 2 when Preflight cannot run.
# Usage: scripts/preflight.sh FILE.pdf...
set -uo pipefail
if [[ $# -eq 0 ]]; then
  echo "usage: scripts/preflight.sh FILE.pdf..." >&2
  exit 2
fi
J=/usr/share/java
CP=$J/preflight.jar:$J/pdfbox2.jar:$J/fontbox2.jar:$J/xmpbox.jar:$J/commons-logging.jar
CP=$CP:$J/javax.activation.jar:$J/jaxb-api.jar
for jar in ${CP//:/ }; do
  [[ -r $jar ]] || { echo "preflight: $jar is missing (run scripts/deps.sh)" >&2; exit 2; }
done
command -v java >/dev/null || { echo "preflight: no java (run scripts/deps.sh)" >&2; exit 2; }
status=0
for pdf in "$@"; do
  out=$(java -cp "$CP" org.apache.pdfbox.preflight.Validator_A1b "$pdf" 2>&1)
  rc=$?
  printf '%s: %s\n' "$pdf" "$(printf '%s' "$out" | sed '/^$/d')"
  # Preflight exits 0 only for a valid file; its verdict line is checked too.
  if [[ $rc -ne 0 ]] || ! grep -q "is a valid PDF/A-1b file" <<<"$out"; then
    status=1
  fi
done
exit $status
