#!/usr/bin/env bash
# Builds gwpdf without sanitizers in build-valgrind/ and runs the end-to-end
# renders under valgrind (ctest label "valgrind": valgrind cannot run ASan
# binaries) and, alone, the stress cases that time themselves (label "stress",
# bench/stress.py); then builds it with -Wall -Wextra -Werror under AddressSanitizer
# and UndefinedBehaviorSanitizer in build-test/ and runs every test with ctest.
set -euo pipefail
cd "$(dirname "$0")"

scripts/deps.sh
# Chromium and the pinned npm packages (ofd.js, puppeteer-core) of the OFD read-back test
scripts/browser-deps.sh

cmake -S . -B build-valgrind -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGWPDF_WERROR=ON >/dev/null
cmake --build build-valgrind -j2 --target gwpdf
(cd build-valgrind && ctest --output-on-failure -j2 -L valgrind)
# The stress cases time themselves: alone, on the build without sanitizers.
(cd build-valgrind && ctest --output-on-failure -L stress)

cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DGWPDF_WERROR=ON -DGWPDF_SANITIZE=ON >/dev/null
cmake --build build-test -j2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-test
ctest --output-on-failure -j2
