/* fuzz_import — libFuzzer harness for `gwpdf import TEXT` (gw_import_text: the
 * text decoded as UTF-8 or GB18030, cut into lines, a report's or a whole
 * 公文's parts found — 版头, 主送, 附件说明, 落款, attachments, issued documents,
 * 版记, TAB tables — the source written and checked by the model).  The input is
 * the text as it is.  It may be refused with errors; a crash, a sanitizer
 * report, a leak, a timeout or running out of memory is a finding, and so is a
 * source returned that is not one.
 *
 * Called by libFuzzer; built only with -DGWPDF_FUZZ=ON; run by
 * `scripts/fuzz.sh --text` (docs/fuzzing.md).  Seeds: the texts of
 * tests/data/import/ (the real report, our 公文, the published ones).  No state
 * outlives an input but the diagnostics sink. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "gwlimits.h"
#include "fuzz_sink.h"
#include "import.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_sink_open("fuzz_import: /dev/null");
    atexit(fuzz_sink_close);
    return 0;
}

/* Han characters in UTF-8 text: what a lost stretch of text shows as. */
static size_t han_count(const uint8_t *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i + 2 < n; i++)
        if (s[i] >= 0xE4 && s[i] <= 0xE9 && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80)
            count++, i += 2;
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gw_diag diag = gw_diag_init(fuzz_sink);
    diag.max_errors = 20;
    gw_limits limits = gw_limits_default();
    size_t len = 0;
    char *xml = gw_import_text("fuzz.txt", (const char *)data, size, &limits, &len, &diag);
    /* What is returned is a whole source of either version: the model checked it. */
    if (xml && (len != strlen(xml) || (!strstr(xml, "<report version=\"1\">") &&
                                       !strstr(xml, "<document version=\"2\">"))))
        abort();
    /* Nothing lost: what the formats generate again (typed numbers, labels,
     * "附件：", 年月日 of ISO dates, "抄送：" …) is a few characters a line, never
     * most of a long text (a 落款 taken in the middle once dropped all after it). */
    if (xml && han_count((const uint8_t *)xml, len) + 64 < han_count(data, size) / 3)
        abort();
    free(xml);
    return 0;
}
