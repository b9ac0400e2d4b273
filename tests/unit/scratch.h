/* scratch — what the output modules' unit tests (test_pdfout.c,
 * test_ofdout.c, test_pngout.c) set up alike: a scratch directory under /tmp,
 * removed with what the test left in it, and the diagnostics written to
 * memory so a test compares exact lines; and the fonts opened from given
 * files only (nothing from fontconfig), so the glyphs do not depend on the
 * machine.  Header-only: each test is one translation unit; include it
 * after <cmocka.h> (scratch_count asserts). */
#ifndef GW_TEST_SCRATCH_H
#define GW_TEST_SCRATCH_H

/* The test defines _GNU_SOURCE first (open_memstream, mkdtemp). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fonts.h"

typedef struct scratch {
    char dir[64];
    gw_diag diag;
    FILE *sink;
    char *sink_text;
    size_t sink_len;
} scratch;

/* A fresh /tmp/gwpdf-PREFIX-XXXXXX and a memory sink; 0, or -1. */
static inline int scratch_open(scratch *s, const char *prefix)
{
    memset(s, 0, sizeof *s);
    if (snprintf(s->dir, sizeof s->dir, "/tmp/gwpdf-%s-XXXXXX", prefix) >= (int)sizeof s->dir ||
        !mkdtemp(s->dir))
        return -1;
    s->sink = open_memstream(&s->sink_text, &s->sink_len);
    if (!s->sink)
        return -1;
    s->diag = gw_diag_init(s->sink);
    return 0;
}

/* The directory removed; 0, or -1 when rm failed. */
static inline int scratch_close(scratch *s)
{
    if (s->sink)
        fclose(s->sink);
    free(s->sink_text);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
    return s->dir[0] && system(cmd) != 0 ? -1 : 0;
}

/* What was reported so far. */
static inline const char *scratch_text(scratch *s)
{
    fflush(s->sink);
    return s->sink_text ? s->sink_text : "";
}

/* The entries of directory `dir`, "." and ".." aside (what an output left). */
static inline size_t scratch_count(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* Every role from `chain` (comma-separated font files), Latin from `latin`. */
static inline gw_fontset *scratch_fonts(const char *chain, const char *latin, gw_diag *diag)
{
    gw_font_options opt = { .explicit_only = true };
    for (int r = 0; r < GW_ROLE_COUNT; r++)
        opt.role_paths[r] = r == GW_ROLE_LATIN ? latin : chain;
    return gw_fonts_open(&opt, diag);
}

#endif
