/* path — file-name helpers (see path.h); called by the model, the layout (seals
 * under --confine) and the PDF output. */
#include "path.h"

#include <string.h>

char *gw_path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

bool gw_path_is_below(const char *rel)
{
    if (!rel[0] || rel[0] == '/')
        return false;
    for (const char *p = rel; *p;) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return false;
        p += n + (end != NULL);
    }
    return true;
}
