/* path — file-name helpers (see path.h); called by the model and the PDF output. */
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
