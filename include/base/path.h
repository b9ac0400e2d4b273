/* path — file-name helpers shared by the model (an attachment's src is
 * relative to the file naming it, and stays below its folder), the layout
 * (a seal under --confine) and the PDF output (the temporary file goes beside
 * the target). */
#ifndef GW_PATH_H
#define GW_PATH_H

#include <stdbool.h>

/* The folder part of a path as given: "." when it has no '/', "/" for a file
 * at the root.  A malloc'd string the caller frees; NULL when out of memory. */
char *gw_path_dir(const char *path);

/* True when `rel` names something in its folder or below as typed: not empty,
 * not absolute, no ".." component. */
bool gw_path_is_below(const char *rel);

#endif
