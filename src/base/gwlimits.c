/* gwlimits — default bounds on inputs and their `--limit NAME=N` overrides
 * (see gwlimits.h).  Used by the CLI, the model and the layout. */
#include "gwlimits.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

gw_limits gw_limits_default(void)
{
    gw_limits l = {
        .bytes = 16L << 20,          /* 16 MiB: a report is a few tens of KB */
        .elements = 200000,
        .depth = 64,                 /* format v1 nests about 8 deep */
        .text = 4000000,             /* characters: some 7,000 full pages */
        /* One block is line-broken as a whole (~140 bytes of working memory a
         * character): a real paragraph has a few thousand; 50,000 is 30 pages. */
        .paragraph = 50000,
        .table_cells = 20000,
        .pages = 10000,
        .errors = 100,
    };
    return l;
}

const char *gw_limits_names(void)
{
    return "bytes elements depth text paragraph table_cells pages errors";
}

static long *field(gw_limits *l, const char *name, size_t len)
{
    static const struct { const char *name; size_t offset; } fields[] = {
        { "bytes", offsetof(gw_limits, bytes) },
        { "elements", offsetof(gw_limits, elements) },
        { "depth", offsetof(gw_limits, depth) },
        { "text", offsetof(gw_limits, text) },
        { "paragraph", offsetof(gw_limits, paragraph) },
        { "table_cells", offsetof(gw_limits, table_cells) },
        { "pages", offsetof(gw_limits, pages) },
        { "errors", offsetof(gw_limits, errors) },
    };
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (strlen(fields[i].name) == len && !strncmp(fields[i].name, name, len))
            return (long *)((char *)l + fields[i].offset);
    return NULL;
}

bool gw_limits_set(gw_limits *l, const char *assignment, const char **why)
{
    const char *eq = strchr(assignment, '=');
    long *f = eq ? field(l, assignment, (size_t)(eq - assignment)) : NULL;
    if (!f) {
        *why = "unknown limit";
        return false;
    }
    /* Digits only: strtol alone would take " 5" and "+5". */
    const char *digits = eq + 1;
    if (strspn(digits, "0123456789") != strlen(digits) || !*digits) {
        *why = "a limit is a positive whole number, written in digits only";
        return false;
    }
    char *end;
    errno = 0;
    long v = strtol(digits, &end, 10);
    if (errno || *end || v <= 0) {
        *why = "a limit is a positive whole number";
        return false;
    }
    *f = v;
    return true;
}
