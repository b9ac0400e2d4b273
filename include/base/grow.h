/* grow — the one growable-array helper every module uses (model, fonts, layout,
 * linebreak), so capacity doubling and its overflow check live in one place. */
#ifndef GW_GROW_H
#define GW_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* Make room for `need` elements of `elem` bytes in the array whose pointer is
 * at `array_ptr` (a T **, e.g. &list->items), capacity *cap, doubling from 8.
 * On failure (out of memory or size overflow) the array and *cap are left
 * unchanged and false is returned. */
bool gw_grow(void *array_ptr, size_t *cap, size_t need, size_t elem);

#endif
