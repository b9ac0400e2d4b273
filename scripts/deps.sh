#!/usr/bin/env bash
# Installs the Debian packages gwpdf needs to build, render and test, and only
# those that are missing (apt-get, non-interactive).  Called by run.sh and test.sh;
# extra package names given as arguments are installed the same way (scripts/fuzz.sh
# adds clang and libFuzzer's runtime).
# docs/dependencies.md says why each package is here.
set -euo pipefail

PACKAGES=(
  # build
  gcc make cmake pkg-config
  libxml2-dev libfreetype-dev libfontconfig-dev libharfbuzz-dev libhpdf-dev libicu-dev
  zlib1g-dev libpng-dev libdeflate-dev libzip-dev libcairo2-dev
  # gwpdf serve: HTTP (docs/serve.md)
  libmicrohttpd-dev
  # the version-2 sRGB profile compiled in as the PDF/A OutputIntent
  icc-profiles-free
  # free fonts standing in for the office faces, and Extension B coverage (docs/fonts.md)
  fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-wqy-zenhei fonts-liberation
  fonts-noto-cjk fonts-hanazono
  # tests; PDFBox Preflight (scripts/preflight.sh) needs Java
  libcmocka-dev poppler-utils qpdf python3 valgrind python3-pdfminer
  libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless
  # the OFD tests: unzip -t, the schemas checked by xmllint, embedded fonts opened by fc-query
  unzip libxml2-utils fontconfig
  # GNU time: the peak memory of one render, for the stress test (bench/stress.py)
  time
)
PACKAGES+=("$@")

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "gwpdf: installing missing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
