#!/usr/bin/env bash
# Builds gwpdf with -Wall -Wextra -Werror under AddressSanitizer and
# UndefinedBehaviorSanitizer in build-test/, and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")"

scripts/deps.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DGWPDF_WERROR=ON -DGWPDF_SANITIZE=ON >/dev/null
cmake --build build-test -j2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-test
ctest --output-on-failure -j2
