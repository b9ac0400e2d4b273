/* fuzz_docx — libFuzzer harness for `gwpdf import FILE.docx` (gw_import_docx:
 * libzip reading the package within bounds, libxml2 the parts, the paragraphs
 * and Word's numbering, then the text import and the model's check of the
 * source it writes).  An input whose first byte is odd is taken as the .docx's
 * bytes as they are (the package reader); else the rest is cut at each "\0\0"
 * into word/document.xml, word/numbering.xml and word/styles.xml (an empty
 * piece: no such part), which the
 * harness packs into a .docx itself — a mutated ZIP seldom passes its CRCs, so
 * this is how the XML walkers get fuzzed.  The input may be refused with
 * errors; a crash, a sanitizer report, a leak, a timeout or running out of
 * memory is a finding.
 *
 * Called by libFuzzer; built only with -DGWPDF_FUZZ=ON; run by
 * `scripts/fuzz.sh --docx` (docs/fuzzing.md).  Seeds: the packages of
 * tests/data/import/docx/make_docx.py.  No state outlives an input but the
 * diagnostics sink. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <string.h>
#include <zip.h>

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
    fuzz_sink_open("fuzz_docx: /dev/null");
    atexit(fuzz_sink_close);
    return 0;
}

/* The parts packed as a .docx in memory (malloc'd, *len bytes); NULL on failure. */
static unsigned char *pack(const uint8_t *data, size_t size, size_t *len)
{
    static const char *const names[] = { "word/document.xml", "word/numbering.xml",
                                         "word/styles.xml" };
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
    zip_t *z = NULL;
    unsigned char *out = NULL;
    if (src) {
        zip_source_keep(src);
        z = zip_open_from_source(src, ZIP_TRUNCATE, &err);
    }
    size_t at = 0;
    for (size_t k = 0; z && k < 3 && at <= size; k++) {
        const uint8_t *end = NULL;
        for (size_t i = at; i + 1 < size && !end; i++)
            if (data[i] == 0 && data[i + 1] == 0)
                end = data + i;
        size_t n = end ? (size_t)(end - data) - at : size - at;
        if (n == 0) {                      /* an empty piece: no such part */
            at += 2;
            continue;
        }
        zip_source_t *part = zip_source_buffer(z, data + at, n, 0);
        if (!part || zip_file_add(z, names[k], part, 0) < 0) {
            zip_source_free(part);
            break;
        }
        at += n + 2;
    }
    if (z && zip_close(z) != 0)
        zip_discard(z);
    if (src && zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t n = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        out = n > 0 ? malloc((size_t)n) : NULL;
        if (out && zip_source_read(src, out, (zip_uint64_t)n) == n) {
            *len = (size_t)n;
        } else {
            free(out);
            out = NULL;
        }
        zip_source_close(src);
    }
    if (src)
        zip_source_free(src);
    zip_error_fini(&err);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned char *packed = NULL;
    size_t packed_len = 0;
    if (!(data[0] & 1)) {
        packed = pack(data + 1, size - 1, &packed_len);
        if (!packed)
            return 0;
        data = packed;
        size = packed_len;
    } else {
        data++;
        size--;
    }
    gw_diag diag = gw_diag_init(fuzz_sink);
    diag.max_errors = 20;
    gw_limits limits = gw_limits_default();
    limits.bytes = 1L << 20;       /* 1 MiB a part: inputs stay fast */
    size_t len = 0;
    gw_import_image seal;
    char *xml = gw_import_docx("fuzz.docx", data, size, &limits, "fuzz-seal.png", &seal, &len,
                               &diag);
    /* A seal is returned only with a source that refers to it, and is a PNG. */
    if (seal.data && (!xml || !strstr(xml, "<seal src=\"fuzz-seal.png\"/>") || seal.len < 8 ||
                      memcmp(seal.data, "\x89PNG", 4) != 0))
        abort();
    free(seal.data);
    /* What is returned is a whole source: the text import checked it. */
    if (xml && (len < 5 || xml[0] != '<'))
        abort();
    free(xml);
    free(packed);
    return 0;
}
