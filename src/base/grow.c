/* grow — capacity doubling for growable arrays (see grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool gw_grow(void *array_ptr, size_t *cap, size_t need, size_t elem)
{
    /* The array pointer is read and written through memcpy, so any T ** can be
     * passed without type-punning it as a void **. */
    void *old;
    memcpy(&old, array_ptr, sizeof old);
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return false;
        c *= 2;
    }
    if (elem && c > SIZE_MAX / elem)
        return false;
    void *p = realloc(old, c * elem);
    if (!p)
        return false;
    memcpy(array_ptr, &p, sizeof p);
    *cap = c;
    return true;
}
