/* Unit tests of pdfout.c: a laid-out document becomes a complete PDF file, the
 * output appears only when complete (no temporary file left, an existing file
 * replaced whole), and a failed write leaves the target as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pdfout.h"

#define SUNG "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
#define LIBSERIF "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"

typedef struct fixture {
    char dir[64];
    gw_diag diag;
    FILE *sink;
    char *sink_text;
    size_t sink_len;
    gw_fontset *fonts;
    gw_doc *doc;
    gw_layout *lay;
} fixture;

static int setup(void **state)
{
    if (access(SUNG, R_OK) || access(LIBSERIF, R_OK))
        return -1;
    fixture *f = calloc(1, sizeof *f);
    strcpy(f->dir, "/tmp/gwpdf-test-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->sink = open_memstream(&f->sink_text, &f->sink_len);
    f->diag = gw_diag_init(f->sink);
    gw_font_options opt = { .explicit_only = true };
    for (int r = 0; r < GW_ROLE_COUNT; r++)
        opt.role_paths[r] = r == GW_ROLE_LATIN ? LIBSERIF : SUNG;
    f->fonts = gw_fonts_open(&opt, &f->diag);
    static const char xml[] = "<report version=\"1\"><meta><title>测试</title></meta>"
                              "<title>标题</title><p>正文 2022 年，共计 97.85%。</p></report>";
    f->doc = gw_doc_load_memory("t.xml", xml, sizeof xml - 1, NULL, NULL, &f->diag);
    f->lay = f->doc && f->fonts ? gw_layout_document(f->doc, f->fonts, NULL, &f->diag) : NULL;
    if (!f->lay)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gw_layout_free(f->lay);
    gw_doc_free(f->doc);
    gw_fonts_close(f->fonts);
    fclose(f->sink);
    free(f->sink_text);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static size_t count_entries(const char *dir)
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

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    *len = (size_t)ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc(*len + 1);
    assert_int_equal(fread(buf, 1, *len, fp), *len);
    buf[*len] = '\0';
    fclose(fp);
    return buf;
}

static void test_writes_complete_pdf_replacing_old_file(void **state)
{
    fixture *f = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/out.pdf", f->dir);
    FILE *old = fopen(path, "w");
    fputs("an older file", old);
    fclose(old);
    assert_int_equal(gw_pdf_write(f->lay, f->fonts, &f->doc->meta, path, &f->diag), 0);
    size_t len;
    char *pdf = slurp(path, &len);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-1.", 7);
    assert_non_null(strstr(pdf + len - 16, "%%EOF"));
    /* Embedded fonts are subsets: the whole document is far smaller than the face. */
    struct stat st;
    assert_int_equal(stat(SUNG, &st), 0);
    assert_true(len < (size_t)st.st_size / 20);
    assert_int_equal(count_entries(f->dir), 1);           /* no temporary file left */
    struct stat out;
    assert_int_equal(stat(path, &out), 0);
    assert_true(S_ISREG(out.st_mode));
    free(pdf);
}

static void test_failed_write_leaves_target_alone(void **state)
{
    fixture *f = *state;
    /* The target is a directory: the rename cannot replace it. */
    char path[128];
    snprintf(path, sizeof path, "%s/target", f->dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(gw_pdf_write(f->lay, f->fonts, &f->doc->meta, path, &f->diag), -1);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(count_entries(f->dir), 1);           /* nothing else appeared */
    fflush(f->sink);
    assert_non_null(strstr(f->sink_text, "target: cannot write"));
}

static void test_missing_directory_is_an_error(void **state)
{
    fixture *f = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/no/such/dir/out.pdf", f->dir);
    assert_int_equal(gw_pdf_write(f->lay, f->fonts, &f->doc->meta, path, &f->diag), -1);
    assert_int_equal(count_entries(f->dir), 0);
    fflush(f->sink);
    assert_non_null(strstr(f->sink_text, "out.pdf: cannot create a file in"));
}

static void test_render_to_memory(void **state)
{
    fixture *f = *state;
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(gw_pdf_render_memory(f->lay, f->fonts, &f->doc->meta, &data, &len, &f->diag), 0);
    assert_true(len > 1000);
    assert_memory_equal(data, "%PDF-1.", 7);
    assert_memory_equal(data + len - 6, "%%EOF", 5);
    assert_int_equal(count_entries(f->dir), 0);           /* nothing written to disk */
    free(data);
}

/* Found by the fuzzer (tests/fuzz/regressions/pdfout-charspace-out-of-range-
 * justified-short-line.xml): two characters justified across a line, before a
 * Latin word wider than the line, need more character spacing than libharu
 * takes; they are drawn one by one instead of failing. */
static void test_wide_justification(void **state)
{
    fixture *f = *state;
    static const char xml[] = "<report version=\"1\"><title>T</title>"
                              "<p>换行KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK</p></report>";
    gw_doc *doc = gw_doc_load_memory("w.xml", xml, sizeof xml - 1, NULL, NULL, &f->diag);
    assert_non_null(doc);
    gw_layout *lay = gw_layout_document(doc, f->fonts, NULL, &f->diag);
    assert_non_null(lay);
    unsigned char *data = NULL;
    size_t len = 0;
    assert_int_equal(gw_pdf_render_memory(lay, f->fonts, &doc->meta, &data, &len, &f->diag), 0);
    assert_memory_equal(data, "%PDF-1.", 7);
    free(data);
    gw_layout_free(lay);
    gw_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_writes_complete_pdf_replacing_old_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_write_leaves_target_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_directory_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_to_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_justification, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
