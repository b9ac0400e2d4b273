/* fuzz_render — libFuzzer harness running the whole gwpdf pipeline on one input:
 * model (gw_doc_load_memory: libxml2 parse, limits, RELAX NG validation, tree)
 * → layout (gw_layout_document) → PDF (gw_pdf_render_memory, in memory) and
 * OFD (gw_ofd_render_memory, in memory, from the same pages).
 * The model and the layout may refuse the input with errors; a crash, a
 * sanitizer report (ASan, UBSan, LeakSanitizer), a timeout or running out of
 * memory is a finding, and so is a document the layout accepted that the PDF
 * or the OFD output then fails to write (its errors are printed, then abort()):
 * nothing in a laid-out document may make libharu or the OFD writer refuse it.
 *
 * Called by libFuzzer (linked with -fsanitize=fuzzer): LLVMFuzzerInitialize
 * once at start-up, then LLVMFuzzerTestOneInput for each generated input.
 * Built only with -DGWPDF_FUZZ=ON; run by scripts/fuzz.sh (docs/fuzzing.md).
 *
 * Static state (libFuzzer offers no other place to keep it between inputs):
 *  - `fonts`: opened once, as the CLI would (fontconfig finds the Debian faces);
 *    its used glyphs are cleared before each input, so an input's PDF embeds
 *    only its own glyphs and every finding reproduces from its input alone;
 *  - `fuzz_sink`: the diagnostics sink, kept open;
 *  - `limits`: the defaults with fewer pages and bytes, so inputs stay fast.
 * Nothing else outlives an input; each input gets a fresh gw_diag (counters at
 * zero).  A fontconfig config alive shows up as a 256-byte "leak" to
 * LeakSanitizer (fontconfig 2.14.1 keeps a block only it can find): the leak
 * checks libFuzzer runs during fuzzing see it (tests/fuzz/lsan.supp silences
 * it), and for the check at exit the fonts are closed by an atexit handler
 * (LSan's own handler, registered before main, runs after ours). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fonts.h"
#include "fuzz_sink.h"
#include "gwlimits.h"
#include "layout.h"
#include "model.h"
#include "ofdout.h"
#include "pdfout.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gw_fontset *fonts;
static gw_limits limits;

static void close_all(void)
{
    gw_fonts_close(fonts);
    fonts = NULL;
    fuzz_sink_close();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_sink_open("fuzz_render: /dev/null");
    limits = gw_limits_default();
    limits.pages = 50;            /* 10,000 pages of one input would be a timeout */
    limits.bytes = 256L << 10;    /* 256 KiB */

    gw_font_options fo = { 0 };   /* fonts_dir NULL: fontconfig and the Debian faces */
    gw_diag diag = gw_diag_init(stderr);
    fonts = gw_fonts_open(&fo, &diag);
    if (!fonts) {
        fprintf(stderr, "fuzz_render: no fonts (run scripts/deps.sh)\n");
        abort();
    }
    atexit(close_all);
    return 0;
}

/* FNV-1a of the input: picks the layout options, so that `--option strict` and
 * `--option glue_num_han` are exercised too, reproducibly for a given input. */
static uint32_t hash(const uint8_t *data, size_t size)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gw_diag diag = gw_diag_init(fuzz_sink);
    diag.max_errors = 20;         /* the rest are only counted */
    /* As `gwpdf render A.xml B.xml -o DIR/` does between documents: the glyphs
     * recorded by earlier inputs (even refused ones, such as characters above
     * U+FFFF that libharu cannot embed) must not reach this input's subsets. */
    gw_fonts_clear_used(fonts);

    gw_doc *doc = gw_doc_load_memory("fuzz.xml", (const char *)data, size, NULL, &limits, &diag);
    if (!doc)
        return 0;

    uint32_t h = hash(data, size);
    gw_layout_options lo = { 0 };
    lo.strict = h & 1u;
    lo.glue_num_han = (h >> 1) & 1u;
    lo.max_pages = limits.pages;
    gw_layout *lay = gw_layout_document(doc, fonts, &lo, &diag);
    if (lay) {
        unsigned char *pdf = NULL;
        size_t len = 0;
        gw_diag pdf_diag = gw_diag_init(stderr);  /* only a bug writes here */
        if (gw_pdf_render_memory(lay, &doc->meta, &pdf, &len, &pdf_diag) != 0) {
            fprintf(stderr, "fuzz_render: the layout accepted this document but no PDF was made\n");
            abort();
        }
        /* A PDF starts with its header; anything else is a bug in pdfout. */
        if (len < 5 || pdf[0] != '%' || pdf[1] != 'P' || pdf[2] != 'D' || pdf[3] != 'F')
            abort();
        free(pdf);
        unsigned char *ofd = NULL;
        if (gw_ofd_render_memory(lay, &doc->meta, &ofd, &len, &pdf_diag) != 0) {
            fprintf(stderr, "fuzz_render: the layout accepted this document but no OFD was made\n");
            abort();
        }
        /* A ZIP: a local file header first, the end of central directory last. */
        if (len < 44 || memcmp(ofd, "PK\3\4", 4) != 0 || memcmp(ofd + len - 22, "PK\5\6", 4) != 0)
            abort();
        free(ofd);
        gw_layout_free(lay);
    }
    gw_doc_free(doc);
    return 0;
}
