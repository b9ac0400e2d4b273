/* lint — the proofreader's checks on a format-v1 source (docs/import.md):
 * half-width punctuation next to Chinese text, straight quotes, unbalanced
 * brackets and quotes, numbers typed into headings and list items (format v1
 * generates them), dates that are not real dates or not written as GB/T 9704
 * asks, empty sections, and a missing signature.  Each finding has the
 * source line and column of the character it is about (the model keeps them
 * for every character, see model.h).  The safe fixes — a half-width mark
 * replaced by its full-width form, straight double quotes paired as “ ” — are
 * applied to the original bytes, everything else kept byte for byte.
 *
 * Called by the CLI (`gwpdf lint`). */
#ifndef GW_LINT_H
#define GW_LINT_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "gwlimits.h"
#include "model.h"

typedef struct gw_lint_finding {
    gw_pos pos;              /* the character the finding is about */
    char message[200];       /* UTF-8, without the position */
    uint32_t fix_from;       /* the ASCII character typed … */
    uint32_t fix_to;         /* … and its safe replacement; 0 when there is no safe fix */
} gw_lint_finding;

typedef struct gw_lint_report {
    gw_lint_finding *findings;   /* sorted by position */
    size_t n;
} gw_lint_report;

/* Check a document loaded from src[0..len) (its raw bytes, needed to tell an
 * ISO date from a written-out one and to place the end of the document).
 * Returns 0 with *out filled (free it with gw_lint_report_free), or -1 when out
 * of memory. */
int gw_lint_doc(const gw_doc *doc, const char *src, size_t len, gw_lint_report *out);

void gw_lint_report_free(gw_lint_report *r);

/* A copy of src[0..len) with the safe fix of each finding applied (the typed
 * character at its line and column replaced).  A finding whose character is
 * not typed as itself there (a character reference such as &#44;) is not
 * fixed and gets fix_to = 0.  Returns a malloc'd buffer (*out_len bytes) or
 * NULL when out of memory. */
char *gw_lint_fix(const char *src, size_t len, gw_lint_report *r, size_t *out_len);

/* `gwpdf lint PATH [--fix [-o OUT]]`: load and check PATH; report each finding
 * as a warning to diag.  With fix_path, write the fixed source there atomically
 * (it may be PATH itself) and list each fix on fix_log instead of warning about
 * it.  Returns the exit status: 0 nothing (left) to report, 1 findings or an
 * invalid source, 2 a file that cannot be read or written. */
int gw_lint_run(const char *path, const gw_limits *limits, const char *fix_path, FILE *fix_log,
                gw_diag *diag);

#endif
