/* numbering — the generated number of a heading or list item (see numbering.c). */
#ifndef GW_NUMBERING_H
#define GW_NUMBERING_H

#include <stddef.h>

/* The generated number of a heading or list item: level 1 "一、", 2 "（一）",
 * 3 "1.", 4 "（1）", 5 (items under level 4) "①".  Writes UTF-8 into buf. */
void gw_format_number(int level, int n, char *buf, size_t size);

#endif
