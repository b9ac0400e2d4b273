# Turns a text file into a C translation unit holding it as a NUL-terminated array.
# Usage: cmake -DIN=file -DOUT=file.c -P embed.cmake
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT} "/* Generated from ${IN} by scripts/embed.cmake; do not edit. */\n"
  "#include <stddef.h>\n"
  "const char gw_schema_rng[] = {${body}0x00};\n"
  "const size_t gw_schema_rng_len = sizeof gw_schema_rng - 1;\n")
