/* workdir — the private directory a request's files live in while it is
 * worked on: made with mkdtemp (mode 0700) inside the server's own temporary
 * directory, filled only with files of checked single names, and removed with
 * everything in it when the request ends.  The worker process runs inside it,
 * and the model and the layout read attachments and seals only from it
 * (`--confine`), so no request reaches any other file of the machine.
 *
 * Called by serve.c. */
#ifndef GW_SERVER_WORKDIR_H
#define GW_SERVER_WORKDIR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* A name a client may give a file: 1–255 bytes of UTF-8, no '/', no control
 * character, not starting with '.' (the server's own files do, and "." and ".."
 * are not names).  On refusal *why says what is wrong. */
bool gw_upload_name_ok(const char *name, size_t len, const char **why);

/* Make a fresh directory inside `parent`; its path in out.  0, or -1 (errno). */
int gw_workdir_make(const char *parent, const char *prefix, char out[PATH_MAX]);

/* Create the file `name` in dir for writing (never an existing file, never
 * through a link); the descriptor, or -1 (errno). */
int gw_workdir_create(const char *dir, const char *name);

/* Remove dir and everything below it (links removed, never followed).
 * 0, or -1 (errno) when something could not be removed. */
int gw_workdir_remove(const char *dir);

#endif
