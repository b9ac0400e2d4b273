/* dynlib — libraries opened on first use (see dynlib.h). */
#include "dynlib.h"

#include <dlfcn.h>
#include <string.h>

void *gw_dl_load(const char *soname, void *table, const gw_dl_symbol *symbols, size_t n,
                 const char **why)
{
    enum { MOST = 128 };
    void *found[MOST];
    if (n > MOST) {
        *why = "more symbols than one table holds";
        return NULL;
    }
    void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        *why = dlerror();
        return NULL;
    }
    /* All found before any is stored: a failure leaves the table untouched. */
    for (size_t i = 0; i < n; i++) {
        found[i] = dlsym(handle, symbols[i].symbol);
        if (!found[i]) {
            *why = dlerror();
            dlclose(handle);
            return NULL;
        }
    }
    /* POSIX guarantees a function pointer survives the trip through void *. */
    for (size_t i = 0; i < n; i++)
        memcpy((char *)table + symbols[i].offset, &found[i], sizeof found[i]);
    return handle;
}

void gw_dl_unload(void *handle)
{
    if (handle)
        dlclose(handle);
}
