/* test_model — unit tests of the document model (src/model/model.c, src/model/srcpos.c):
 * the real report, source positions, whitespace normalisation, tables and
 * front matter, dates, and the exact error lines for refused documents.
 *
 * Run by ctest (unit_model).  Test documents live in tests/data/model/; they
 * are loaded with gw_doc_load_memory under their bare file name so that the
 * error lines asserted here do not depend on where the tree is checked out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlmemory.h>

#include "model.h"
#include "../../src/model/srcpos.h"

#define DATA_DIR GW_SOURCE_DIR "/tests/data/model/"
#define REAL_REPORT GW_SOURCE_DIR "/content/zengcheng-2022-budget-self-evaluation.xml"

/* Diagnostics written to memory, so tests can compare exact lines. */
typedef struct capture {
    char *buf;
    size_t size;
    FILE *f;
    gw_diag diag;
} capture;

static void cap_open(capture *c)
{
    c->buf = NULL;
    c->size = 0;
    c->f = open_memstream(&c->buf, &c->size);
    assert_non_null(c->f);
    c->diag = gw_diag_init(c->f);
}

static const char *cap_text(capture *c)
{
    fflush(c->f);
    return c->buf ? c->buf : "";
}

static void cap_close(capture *c)
{
    fclose(c->f);
    free(c->buf);
}

static char *read_data(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s", DATA_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* Load tests/data/model/<name>, reporting under the bare name. */
static gw_doc *load_data(const char *name, capture *c)
{
    size_t len;
    char *data = read_data(name, &len);
    gw_doc *doc = gw_doc_load_memory(name, data, len, NULL, NULL, &c->diag);
    free(data);
    return doc;
}

static void assert_text(const gw_text *t, const char *expected)
{
    char *s = gw_text_utf8(t);
    assert_non_null(s);
    assert_string_equal(s, expected);
    free(s);
}

static void assert_pos(gw_pos p, long line, long col)
{
    assert_int_equal(p.line, line);
    assert_int_equal(p.col, col);
}

/* The document is refused with exactly `expected` as diagnostics. */
static void expect_refused(const char *name, const char *expected)
{
    capture c;
    cap_open(&c);
    gw_doc *doc = load_data(name, &c);
    assert_null(doc);
    assert_string_equal(cap_text(&c), expected);
    cap_close(&c);
}

/* Line `n` (0-based) of text starts with prefix and contains key. */
static void assert_line(const char *text, int n, const char *prefix, const char *key)
{
    const char *line = text;
    for (int i = 0; i < n; i++) {
        line = strchr(line, '\n');
        assert_non_null(line);
        line++;
    }
    const char *end = strchr(line, '\n');
    assert_non_null(end);
    assert_memory_equal(line, prefix, strlen(prefix));
    char *copy = strndup(line, (size_t)(end - line));
    assert_non_null(copy);
    if (!strstr(copy, key))
        fail_msg("line \"%s\" lacks \"%s\"", copy, key);
    free(copy);
}

static int count_lines(const char *text)
{
    int n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

/* ------------------------------------------------------------------------- */

static void test_real_report(void **state)
{
    (void)state;
    if (access(REAL_REPORT, R_OK) != 0)
        skip();
    capture c;
    cap_open(&c);
    gw_doc *doc = gw_doc_load(REAL_REPORT, NULL, NULL, &c.diag);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_text(&doc->label, "附件2");
    assert_string_equal(doc->meta.title, "2022 年度广州市增城区总工会部门整体支出绩效自评报告");
    assert_int_equal(doc->n_blocks, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(doc->blocks[i].kind, GW_BLOCK_SECTION);
        assert_int_equal(doc->blocks[i].level, 1);
    }
    const gw_block *problems = &doc->blocks[2];
    assert_true(problems->n_children > 0);
    for (size_t i = 0; i < problems->n_children; i++) {
        assert_int_equal(problems->children[i].kind, GW_BLOCK_SECTION);
        assert_int_equal(problems->children[i].level, 2);
        assert_true(problems->children[i].runin);
    }
    /* 四（一）: the first sub-section of section 4 holds the numbered list. */
    const gw_block *four = &doc->blocks[3], *four_one = NULL;
    for (size_t i = 0; i < four->n_children && !four_one; i++)
        if (four->children[i].kind == GW_BLOCK_SECTION)
            four_one = &four->children[i];
    assert_non_null(four_one);
    size_t items = 0;
    for (size_t i = 0; i < four_one->n_children; i++) {
        const gw_block *b = &four_one->children[i];
        if (b->kind != GW_BLOCK_LIST)
            continue;
        for (size_t k = 0; k < b->n_children; k++) {
            assert_int_equal(b->children[k].kind, GW_BLOCK_ITEM);
            assert_true(b->children[k].indent);
            assert_true(b->children[k].text.len > 0);
            items++;
        }
    }
    assert_true(items > 0);
    gw_doc_free(doc);
    cap_close(&c);
}

static void test_positions(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    gw_doc *doc = load_data("positions.xml", &c);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_pos(doc->title_pos, 5, 3);
    assert_pos(doc->title.pos[0], 5, 10);

    /* <p>Aé中&amp;<b>粗</b>&#x4E00;z</p> on line 6, <p at column 3 */
    const gw_block *p = &doc->blocks[0];
    assert_pos(p->pos, 6, 3);
    assert_text(&p->text, "Aé中&粗一z");
    assert_pos(p->text.pos[0], 6, 6);    /* A */
    assert_pos(p->text.pos[1], 6, 7);    /* é: two bytes, one column */
    assert_pos(p->text.pos[2], 6, 8);    /* 中: three bytes, one column */
    assert_pos(p->text.pos[3], 6, 9);    /* & of &amp; */
    assert_pos(p->text.pos[4], 6, 17);   /* 粗 after <b> */
    assert_pos(p->text.pos[5], 6, 22);   /* & of &#x4E00; */
    assert_pos(p->text.pos[6], 6, 30);   /* z */
    assert_int_equal(p->text.flags[3], 0);
    assert_int_equal(p->text.flags[4], GW_CH_BOLD);
    assert_int_equal(p->text.flags[5], 0);

    /* \t<p><![CDATA[<x>]]>末</p>: a tab is one column */
    const gw_block *q = &doc->blocks[1];
    assert_pos(q->pos, 7, 2);
    assert_text(&q->text, "<x>末");
    assert_pos(q->text.pos[0], 7, 14);
    assert_pos(q->text.pos[3], 7, 20);

    /* <date>2023-03-05</date>: 2023年3月5日, digits keep their own columns */
    const gw_signature *sig = doc->signature;
    assert_non_null(sig);
    assert_pos(sig->pos, 8, 3);
    assert_true(sig->has_date);
    assert_text(&sig->date, "2023年3月5日");
    assert_pos(sig->date.pos[0], 9, 11);
    assert_pos(sig->date.pos[4], 9, 15);   /* 年 at the first '-' */
    assert_pos(sig->date.pos[5], 9, 17);   /* 3 of 03 */
    assert_pos(sig->date.pos[7], 9, 20);   /* 5 of 05 */
    assert_int_equal(sig->n_seals, 1);
    assert_string_equal(sig->seals[0].src, "a>b.png");
    assert_true(sig->seals[0].diameter_mm > 40.49 && sig->seals[0].diameter_mm < 40.51);
    gw_doc_free(doc);
    cap_close(&c);
}

/* The scanner on its own: quoted '>', CR LF, CDATA and references. */
static void test_scanner(void **state)
{
    (void)state;
    static const char src[] = "<r a=\"x>y\" b='>'>ab\r\n"
                              "<!-- <c> --><c/>&lt;<![CDATA[>]]]>é</r>";
    gw_scan sc;
    gw_pos p;
    gw_scan_init(&sc, src, sizeof src - 1);
    assert_true(gw_scan_start_tag(&sc, &p));
    assert_pos(p, 1, 1);
    assert_true(gw_scan_text_char(&sc, &p));
    assert_pos(p, 1, 18);                    /* a */
    assert_true(gw_scan_text_char(&sc, &p));
    assert_pos(p, 1, 19);                    /* b */
    assert_true(gw_scan_text_char(&sc, &p));
    assert_pos(p, 1, 20);                    /* CR LF: one character */
    assert_true(gw_scan_start_tag(&sc, &p));
    assert_pos(p, 2, 13);                    /* <c/>, not the <c> in the comment */
    assert_true(gw_scan_text_char(&sc, &p));
    assert_pos(p, 2, 17);                    /* &lt; */
    assert_true(gw_scan_text_char(&sc, &p));
    assert_pos(p, 2, 30);                    /* > inside CDATA */
    assert_true(gw_scan_text_char(&sc, &p));
    assert_pos(p, 2, 31);                    /* ] inside CDATA, before its ]]> */
    assert_true(gw_scan_text_char(&sc, &p));
    assert_pos(p, 2, 35);                    /* é after ]]> */
    assert_false(gw_scan_text_char(&sc, &p));
    assert_false(gw_scan_start_tag(&sc, &p));
}

static void test_whitespace(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    gw_doc *doc = load_data("whitespace.xml", &c);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_text(&doc->title, "2022 年度工作报告");
    assert_int_equal(doc->n_blocks, 5);
    assert_text(&doc->blocks[0].text, "2022 年");          /* no line end: space kept */
    assert_text(&doc->blocks[1].text, "这是一个很长的中文段落，作者在源文件中折行。");
    assert_text(&doc->blocks[2].text, "hello world");
    const gw_text *t = &doc->blocks[3].text;
    assert_text(t, "粗体 text\nnext");                    /* nothing kept at <br/> */
    assert_int_equal(t->cp[7], GW_CP_LINE_BREAK);
    assert_pos(t->pos[7], 12, 24);                        /* the <br/> */
    assert_int_equal(t->flags[0], GW_CH_BOLD);
    assert_int_equal(t->flags[2], GW_CH_BOLD);            /* the space inside <b> */
    assert_int_equal(t->flags[3], 0);
    assert_text(&doc->blocks[4].text, "全角　空格");       /* U+3000 kept */
    gw_doc_free(doc);
    cap_close(&c);
}

/* libxml2's reallocations, failing past 64 KiB: a text node that grows beyond
 * fails the way a worker under the server's memory limit does. */
static xmlMallocFunc saved_malloc;
static xmlReallocFunc saved_realloc;
static xmlFreeFunc saved_free;
static xmlStrdupFunc saved_strdup;

static void *small_realloc(void *p, size_t n) { return n > 65536 ? NULL : saved_realloc(p, n); }

static void test_xml_out_of_memory(void **state)
{
    (void)state;
    size_t n = 30000;
    char *src = malloc(n * 3 + 64);
    assert_non_null(src);
    size_t len = (size_t)sprintf(src, "<report version=\"1\"><title>t</title><p>");
    for (size_t i = 0; i < n; i++, len += 3)
        memcpy(src + len, "\xe4\xb8\x80", 3);   /* 一 */
    len += (size_t)sprintf(src + len, "</p></report>");
    capture c;
    cap_open(&c);
    assert_int_equal(xmlMemGet(&saved_free, &saved_malloc, &saved_realloc, &saved_strdup), 0);
    xmlMemSetup(saved_free, saved_malloc, small_realloc, saved_strdup);
    gw_doc *doc = gw_doc_load_memory("big.xml", src, len, NULL, NULL, &c.diag);
    xmlMemSetup(saved_free, saved_malloc, saved_realloc, saved_strdup);
    assert_null(doc);
    /* Said as what it is, not as a fault of the source. */
    assert_non_null(strstr(cap_text(&c), "big.xml:1:"));
    assert_non_null(strstr(cap_text(&c), ": out of memory while reading the XML (in libxml2's "));
    cap_close(&c);
    free(src);
}

static void test_crlf(void **state)
{
    (void)state;
    static const char src[] = "<report version=\"1\">\r\n  <title>a\r\nb</title>\r\n"
                              "<p>中\r\n  文</p></report>";
    capture c;
    cap_open(&c);
    gw_doc *doc = gw_doc_load_memory("crlf.xml", src, sizeof src - 1, NULL, NULL, &c.diag);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_text(&doc->title, "a b");
    assert_pos(doc->title.pos[1], 2, 11);   /* the space stands where the line ended */
    assert_pos(doc->title.pos[2], 3, 1);
    assert_text(&doc->blocks[0].text, "中文");
    assert_pos(doc->blocks[0].text.pos[1], 5, 3);
    gw_doc_free(doc);
    cap_close(&c);
}

static void test_table_and_front_matter(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    gw_doc *doc = load_data("table.xml", &c);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_int_equal(doc->profile, GW_PROFILE_WORD_GRID);
    assert_int_equal(doc->first_page_number, 3);
    assert_false(doc->page_numbers);
    assert_string_equal(doc->meta.title, "元 数据");
    assert_string_equal(doc->meta.author, "某局");
    assert_null(doc->meta.subject);
    assert_text(&doc->label, "附件1");
    assert_pos(doc->label_pos, 4, 3);
    assert_text(&doc->subtitle, "（2022年度）");
    assert_int_equal(doc->n_blocks, 4);

    const gw_block *b = &doc->blocks[0];
    assert_int_equal(b->kind, GW_BLOCK_TABLE);
    const gw_table *t = b->table;
    assert_non_null(t);
    assert_true(t->landscape);
    assert_text(&t->caption, "表1 收支");
    assert_int_equal(t->n_cols, 2);
    assert_string_equal(t->col_widths[0], "2*");
    assert_string_equal(t->col_widths[1], "30mm");
    assert_int_equal(t->n_rows, 3);
    assert_true(t->rows[0].in_head);
    assert_false(t->rows[1].in_head);
    assert_int_equal(t->rows[0].n_cells, 1);
    assert_true(t->rows[0].cells[0].header);
    assert_int_equal(t->rows[0].cells[0].colspan, 2);
    assert_int_equal(t->rows[0].cells[0].align, GW_ALIGN_CENTER);
    const gw_cell *cell = &t->rows[1].cells[1];
    assert_false(cell->header);
    assert_int_equal(cell->colspan, 1);
    assert_int_equal(cell->align, GW_ALIGN_RIGHT);
    assert_text(&cell->text, "第一段\n第二段");
    assert_int_equal(cell->text.cp[3], GW_CP_LINE_BREAK);
    assert_pos(cell->text.pos[3], 16, 9);   /* the second <p> */
    assert_int_equal(t->rows[1].cells[0].rowspan, 2);
    assert_text(&t->rows[2].cells[0].text, "922.64");
    /* The grid: 2 columns; the rowspan of 收入 pushes 922.64 into column 2. */
    assert_int_equal(t->n_grid_cols, 2);
    assert_int_equal(t->n_head_rows, 1);
    assert_int_equal(t->rows[1].cells[0].col, 0);
    assert_int_equal(t->rows[1].cells[1].col, 1);
    assert_int_equal(t->rows[2].cells[0].col, 1);
    assert_pos(t->rows[2].cells[0].pos, 17, 11);
    assert_pos(t->rows[2].pos, 17, 7);
    assert_true(t->rows[0].cells[0].align_set);
    assert_false(t->rows[2].cells[0].align_set);

    b = &doc->blocks[1];
    assert_int_equal(b->kind, GW_BLOCK_LIST);
    assert_int_equal(b->n_children, 1);
    assert_int_equal(b->children[0].kind, GW_BLOCK_ITEM);
    assert_true(b->children[0].indent);
    assert_text(&b->children[0].text, "条目一");
    assert_int_equal(b->children[0].text.flags[2], GW_CH_BOLD);
    assert_int_equal(doc->blocks[2].kind, GW_BLOCK_PAGEBREAK);
    b = &doc->blocks[3];
    assert_int_equal(b->kind, GW_BLOCK_PARA);
    assert_false(b->indent);
    assert_int_equal(b->align, GW_ALIGN_RIGHT);

    assert_non_null(doc->signature);
    assert_int_equal(doc->signature->n_issuers, 1);
    assert_text(&doc->signature->issuers[0], "某某区某某局");
    assert_true(doc->signature->has_date);
    assert_text(&doc->signature->date, "二〇〇四年十一月四日");   /* kept as typed */
    assert_int_equal(doc->signature->n_seals, 0);
    assert_false(doc->signature->has_stamp);
    gw_doc_free(doc);
    cap_close(&c);
}

static void test_defaults(void **state)
{
    (void)state;
    static const char src[] = "<report version=\"1\"><title>t</title>"
                              "<section><heading number=\"none\">h</heading>"
                              "<section level=\"3\"><heading>x</heading><p>y</p>"
                              "<section><heading>z</heading></section></section>"
                              "</section><signature><issuer>i</issuer></signature></report>";
    capture c;
    cap_open(&c);
    gw_doc *doc = gw_doc_load_memory("defaults.xml", src, sizeof src - 1, NULL, NULL, &c.diag);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_string_equal(doc->path, "defaults.xml");
    assert_int_equal(doc->profile, GW_PROFILE_GB);
    assert_int_equal(doc->first_page_number, 1);
    assert_true(doc->page_numbers);
    /* meta defaults: the printed title and the signature's issuer. */
    assert_string_equal(doc->meta.title, "t");
    assert_string_equal(doc->meta.author, "i");
    assert_null(doc->meta.subject);
    assert_int_equal(doc->label.len, 0);
    assert_int_equal(doc->subtitle.len, 0);
    const gw_block *s = &doc->blocks[0];
    assert_int_equal(s->level, 1);
    assert_false(s->numbered);
    assert_false(s->runin);
    assert_int_equal(s->n_children, 1);
    assert_int_equal(s->children[0].level, 3);
    assert_true(s->children[0].numbered);
    assert_true(s->children[0].children[0].indent);
    /* Without a level attribute a section is one level below its parent. */
    assert_int_equal(s->children[0].children[1].kind, GW_BLOCK_SECTION);
    assert_int_equal(s->children[0].children[1].level, 4);
    assert_false(doc->signature->has_date);
    assert_int_equal(doc->signature->date.len, 0);
    gw_doc_free(doc);
    cap_close(&c);
}

/* ---- refused documents ---------------------------------------------------- */

static void test_error_unclosed(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    assert_null(load_data("unclosed.xml", &c));
    const char *out = cap_text(&c);
    assert_int_equal(count_lines(out), 2);   /* every error libxml2 gives */
    assert_line(out, 0, "unclosed.xml:5:10: ", "Opening and ending tag mismatch: p line 4 and report");
    assert_line(out, 1, "unclosed.xml:6:1: ", "Premature end of data in tag report");
    cap_close(&c);
}

static void test_error_unknown_element(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    assert_null(load_data("unknown-element.xml", &c));
    const char *out = cap_text(&c);
    assert_int_equal(count_lines(out), 1);
    assert_line(out, 0, "unknown-element.xml:4: ", "no element <foo>");   /* RELAX NG: no column */
    cap_close(&c);
}

static void test_error_depth5(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    assert_null(load_data("depth5.xml", &c));
    const char *out = cap_text(&c);
    assert_int_equal(count_lines(out), 1);
    assert_line(out, 0, "depth5.xml:8: ", "element section");
    cap_close(&c);
}

static void test_error_level_order(void **state)
{
    (void)state;
    expect_refused("level-order.xml",
                   "level-order.xml:6:7: section level 3 must be greater than the level of the "
                   "enclosing section (3); give it level=\"4\" or more\n");
}

static void test_error_internal_entity(void **state)
{
    (void)state;
    expect_refused("internal-entity.xml",
                   "internal-entity.xml:4:3: entity declaration 'org' is not allowed: gwpdf reads "
                   "no DTD entities; write the character itself or a character reference\n");
}

static void test_error_external_entity(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    assert_null(load_data("external-entity.xml", &c));
    const char *out = cap_text(&c);
    assert_string_equal(out, "external-entity.xml:2:19: entity declaration 'secret' is not "
                             "allowed: gwpdf reads no DTD entities; write the character itself "
                             "or a character reference\n");
    assert_null(strstr(out, "root:"));
    cap_close(&c);
}

static void test_error_undeclared_entity(void **state)
{
    (void)state;
    expect_refused("undeclared-entity.xml",
                   "undeclared-entity.xml:3:11: &nbsp; is not defined: XML knows only &amp; "
                   "&lt; &gt; &quot; &apos; and character references (&#x4E00;); write the "
                   "character itself, or &amp; for a bare &\n");
}

static void test_error_c1_control(void **state)
{
    (void)state;
    expect_refused("c1-control.xml",
                   "c1-control.xml:4:9: control character U+0085 is not allowed in text\n"
                   "c1-control.xml:5:8: control character U+0085 is not allowed in text\n");
}

static void test_error_bad_date(void **state)
{
    (void)state;
    expect_refused("bad-date.xml",
                   "bad-date.xml:6:11: date 2023-02-30 is not a real calendar date\n");
}

static void test_error_missing_file(void **state)
{
    (void)state;
    capture c;
    cap_open(&c);
    assert_null(gw_doc_load("/nonexistent/report.xml", NULL, NULL, &c.diag));
    assert_string_equal(cap_text(&c),
                        "/nonexistent/report.xml: cannot read: No such file or directory\n");
    cap_close(&c);
}

static void test_schema_path(void **state)
{
    (void)state;
    static const char src[] = "<report version=\"1\"><title>t</title></report>";
    capture c;
    cap_open(&c);
    gw_doc *doc = gw_doc_load_memory("s.xml", src, sizeof src - 1,
                                     GW_SOURCE_DIR "/schema/report-v1.rng", NULL, &c.diag);
    assert_non_null(doc);
    gw_doc_free(doc);
    assert_null(gw_doc_load_memory("s.xml", src, sizeof src - 1, "/nonexistent/s.rng", NULL, &c.diag));
    assert_string_equal(cap_text(&c),
                        "/nonexistent/s.rng: cannot read: No such file or directory\n");
    cap_close(&c);
}

static void test_text_utf8(void **state)
{
    (void)state;
    uint32_t cp[] = { 0x4E2D, 'a', GW_CP_LINE_BREAK, 0x20000, 0xE9, 0x3000 };
    gw_pos pos[6] = { { 1, 1 } };
    uint8_t flags[6] = { 0 };
    gw_text t = { cp, pos, flags, 6 };
    char *s = gw_text_utf8(&t);
    assert_string_equal(s, "中a\n\xF0\xA0\x80\x80é　");
    free(s);
    gw_text empty = { NULL, NULL, NULL, 0 };
    s = gw_text_utf8(&empty);
    assert_string_equal(s, "");
    free(s);

    /* and back: a document's text comes out as it went in */
    static const char src[] = "<report version=\"1\"><title>中a<br/>\xF0\xA0\x80\x80é　</title></report>";
    capture c;
    cap_open(&c);
    gw_doc *doc = gw_doc_load_memory("rt.xml", src, sizeof src - 1, NULL, NULL, &c.diag);
    assert_non_null(doc);
    assert_int_equal(doc->title.len, 6);
    assert_memory_equal(doc->title.cp, cp, sizeof cp);
    assert_text(&doc->title, "中a\n\xF0\xA0\x80\x80é　");
    gw_doc_free(doc);
    cap_close(&c);
}

/* A table whose cells do not fit its grid is refused at the offending cell. */
static void expect_table_refused(const char *rows, const char *cols, const char *expected)
{
    char xml[2048];
    snprintf(xml, sizeof xml,
             "<report version=\"1\"><title>T</title>\n<table>%s\n%s\n</table></report>\n",
             cols, rows);
    capture c;
    cap_open(&c);
    gw_doc *doc = gw_doc_load_memory("t.xml", xml, strlen(xml), NULL, NULL, &c.diag);
    assert_null(doc);
    assert_string_equal(cap_text(&c), expected);
    cap_close(&c);
}

static void test_table_grid_errors(void **state)
{
    (void)state;
    expect_table_refused("<tbody><tr><td>a</td><td colspan=\"2\">b</td></tr></tbody>",
                         "<col width=\"*\"/><col width=\"*\"/>",
                         "t.xml:3:22: colspan=\"2\" runs past the table's 2 columns (the cell "
                         "starts in column 2)\n");
    expect_table_refused("<tbody><tr><td rowspan=\"2\">a</td></tr></tbody>", "",
                         "t.xml:3:12: rowspan=\"2\" runs past the last row of the table (the "
                         "cell starts in row 1 of 1)\n");
    /* Without <col>, the first row sets the columns; a rowspan takes a slot below. */
    expect_table_refused("<tbody><tr><td rowspan=\"2\">a</td><td>b</td></tr>"
                         "<tr><td>c</td><td>d</td></tr></tbody>", "",
                         "t.xml:3:63: this cell lies past the table's 2 columns: the row has more "
                         "cells than columns (colspans, and rowspans from the rows above, count "
                         "too)\n");
    expect_table_refused("<thead><tr><th rowspan=\"2\">h</th></tr></thead>"
                         "<tbody><tr><td>a</td></tr></tbody>", "",
                         "t.xml:3:12: rowspan=\"2\" runs past the last row of the table head "
                         "(thead) (the cell starts in row 1 of 1)\n");
}

/* ---- format v2 ------------------------------------------------------------ */

/* A scratch folder for sources that bind files; removed by rm_tree. */
static char *scratch_dir(void)
{
    char tmpl[] = "/tmp/gwpdf-model-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void rm_tree(char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static gw_doc *load_in(const char *dir, const char *name, capture *c)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return gw_doc_load(path, NULL, NULL, &c->diag);
}

/* Every part of the 版头, 主送, 落款, 附注, attachments and 版记 reaches the model. */
static void test_v2_document(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    write_text(dir, "att.xml", "<report version=\"1\"><label>附件2</label><title>自评<br/>报告"
               "</title><p>正文。</p></report>");
    write_text(dir, "doc.xml",
        "<document version=\"2\" kind=\"general\" duplex=\"false\"><header suffix=\"文件\">"
        "<copy>000123</copy><secrecy period=\"5年\">机密</secrecy><urgency>特急</urgency>"
        "<issuer-mark>甲局</issuer-mark><issuer-mark>乙局</issuer-mark>"
        "<doc-number>甲〔2023〕8号</doc-number><signer>张三</signer></header>"
        "<title>关于某事的请示</title><to>某政府：</to><p>正文。</p>"
        "<signature><issuer>甲局</issuer><issuer>乙局</issuer><date>2023-03-15</date>"
        "<seal src=\"a.png\"/><seal src=\"b.png\" diameter=\"40\"/></signature>"
        "<note>联系人：王五</note>"
        "<attachment src=\"att.xml\" name=\"另一个名字\"/>"
        "<attachment bound=\"false\" label=\"附\"><title>另送<br/>材料</title></attachment>"
        "<attachment role=\"issued\"><title>方案</title><p>方案正文。</p></attachment>"
        "<record><cc>丙局。</cc><distributor><name>甲局办公室</name><date>2023-03-05</date>"
        "</distributor></record></document>");
    capture c;
    cap_open(&c);
    gw_doc *doc = load_in(dir, "doc.xml", &c);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_int_equal(doc->version, 2);
    assert_int_equal(doc->kind, GW_KIND_GENERAL);
    assert_false(doc->duplex);
    const gw_header *h = doc->header;
    assert_non_null(h);
    assert_text(&h->copy, "000123");
    assert_text(&h->secrecy, "机密");
    assert_text(&h->period, "5年");
    assert_text(&h->urgency, "特急");
    assert_int_equal(h->n_marks, 2);
    assert_text(&h->marks[1], "乙局");
    assert_text(&h->suffix, "文件");
    assert_text(&h->doc_number, "甲〔2023〕8号");
    assert_int_equal(h->n_signers, 1);
    assert_text(&doc->to, "某政府：");
    assert_int_equal(doc->signature->n_issuers, 2);
    assert_int_equal(doc->signature->n_seals, 2);
    assert_true(doc->signature->seals[1].diameter_mm == 40);
    assert_text(&doc->note, "联系人：王五");
    assert_int_equal(doc->n_attachments, 3);
    const gw_attachment *a = doc->attachments;
    assert_non_null(a[0].doc);
    assert_int_equal(a[0].doc->version, 1);
    assert_text(&a[0].doc->label, "附件2");          /* kept in the model; the layout replaces it */
    assert_text(&a[0].title, "另一个名字");
    assert_true(a[0].bound && !a[0].issued);
    assert_false(a[1].bound);
    assert_text(&a[1].title, "另送材料");            /* line breaks removed */
    assert_text(&a[1].label, "附");
    assert_true(a[2].issued);
    assert_int_equal(a[2].doc->n_blocks, 1);
    assert_text(&doc->record->cc, "丙局。");
    assert_text(&doc->record->distributor, "甲局办公室");
    assert_text(&doc->record->distributed, "2023年3月5日");
    assert_string_equal(doc->meta.author, "甲局");
    gw_doc_free(doc);
    cap_close(&c);
    rm_tree(dir);
}

/* An attachment's src never opens a FIFO (it would block) or a device, and the
 * sources bound count towards the document's byte limit together. */
static void test_v2_src_fifo_and_limits(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/pipe.xml", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    write_text(dir, "doc.xml", "<document version=\"2\"><title>t</title><p>x</p>"
               "<attachment src=\"pipe.xml\"/></document>");
    capture c;
    cap_open(&c);
    assert_null(load_in(dir, "doc.xml", &c));
    assert_non_null(strstr(cap_text(&c), "doc.xml:1:"));
    assert_non_null(strstr(cap_text(&c), "src=\"pipe.xml\" is not a regular file"));
    cap_close(&c);

    char big[4096];
    memset(big, 0, sizeof big);
    strcpy(big, "<report version=\"1\"><title>t</title><p>");
    for (size_t i = strlen(big); i < 3000; i++)
        big[i] = 'x';
    strcat(big, "</p></report>");
    write_text(dir, "big.xml", big);
    write_text(dir, "doc2.xml", "<document version=\"2\"><title>t</title><p>x</p>"
               "<attachment src=\"big.xml\"/></document>");
    gw_limits lim = gw_limits_default();
    lim.bytes = 3000;                                 /* each file fits; both do not */
    char path[512];
    snprintf(path, sizeof path, "%s/doc2.xml", dir);
    cap_open(&c);
    assert_null(gw_doc_load(path, NULL, &lim, &c.diag));
    assert_non_null(strstr(cap_text(&c), "makes the sources more than"));
    cap_close(&c);
    rm_tree(dir);
}

/* A bound version 2 source may bind its own attachments, below its folder. */
static void test_v2_src_nested(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char sub[512];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    write_text(dir, "sub/leaf.xml", "<report version=\"1\"><title>叶</title><p>x</p></report>");
    write_text(dir, "sub/mid.xml", "<document version=\"2\"><title>中</title><p>x</p>"
               "<attachment src=\"leaf.xml\"/></document>");
    write_text(dir, "doc.xml", "<document version=\"2\"><title>根</title><p>x</p>"
               "<attachment role=\"issued\" src=\"sub/mid.xml\"/></document>");
    capture c;
    cap_open(&c);
    gw_doc *doc = load_in(dir, "doc.xml", &c);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    const gw_doc *mid = doc->attachments[0].doc;
    assert_non_null(mid);
    assert_int_equal(mid->n_attachments, 1);
    assert_non_null(mid->attachments[0].doc);
    assert_text(&mid->attachments[0].doc->title, "叶");
    gw_doc_free(doc);
    cap_close(&c);
    rm_tree(dir);
}

/* Load src (a literal) under `name`; the diagnostics are left in c. */
static gw_doc *load_literal(const char *name, const char *src, size_t len, const gw_limits *lim,
                            capture *c)
{
    return gw_doc_load_memory(name, src, len, NULL, lim, &c->diag);
}

static void expect_literal_refused(const char *src, const char *expected)
{
    capture c;
    cap_open(&c);
    assert_null(load_literal("m.xml", src, strlen(src), NULL, &c));
    assert_string_equal(cap_text(&c), expected);
    cap_close(&c);
}

/* Lone CR line ends: libxml2's own errors, and the schema's, at the right line. */
static void test_lone_cr_positions(void **state)
{
    (void)state;
    expect_literal_refused("<report version=\"1\">\r<title>t</title>\r<p>x</p\r</report>\r",
                           "m.xml:4:1: expected '>'\n");
    expect_literal_refused("<report version=\"1\">\r<title>t</title>\r<p>x</p>\r<q/>\r</report>",
                           "m.xml:4: format v1 has no element <q> (inside <report>; "
                           "docs/format.md lists the elements)\n");
    static const char ok[] = "<report version=\"1\">\r<title>a\rb</title>\r<p>x</p></report>";
    capture c;
    cap_open(&c);
    gw_doc *doc = load_literal("m.xml", ok, sizeof ok - 1, NULL, &c);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_text(&doc->title, "a b");
    assert_pos(doc->title.pos[2], 3, 1);
    gw_doc_free(doc);
    cap_close(&c);
}

/* An element with more attributes than any of the format's is refused before
 * libxml2 parses it (its duplicate check is quadratic); quoted '=' and
 * comments do not count. */
static void test_attribute_bound(void **state)
{
    (void)state;
    size_t cap = 2000000;
    char *src = malloc(cap);
    assert_non_null(src);
    int n = snprintf(src, cap, "<report version=\"1\">\n<!-- a=1 b=2 -->\n<title>t</title>\n  <p");
    for (int i = 0; i < 100000; i++)
        n += snprintf(src + n, cap - (size_t)n, " a%d=\"1\"", i);
    snprintf(src + n, cap - (size_t)n, ">x</p></report>");
    expect_literal_refused(src, "m.xml:4:3: <p> has more than 64 attributes: no element of "
                           "format v1 or v2 takes more than a few (docs/format.md lists them)\n");
    n = snprintf(src, cap, "<report version=\"1\"><title>t</title><p");
    for (int i = 0; i < 64; i++)
        n += snprintf(src + n, cap - (size_t)n, " a%d=\"=\"", i);
    snprintf(src + n, cap - (size_t)n, ">x</p></report>");
    capture c;
    cap_open(&c);
    assert_null(load_literal("m.xml", src, strlen(src), NULL, &c));
    assert_null(strstr(cap_text(&c), "more than 64 attributes"));   /* 64 pass the bound */
    assert_non_null(strstr(cap_text(&c), "<p> takes no attribute a0=\"=\""));
    cap_close(&c);
    free(src);
}

/* A declared encoding other than UTF-8 is refused at the declaration. */
static void test_declared_encoding(void **state)
{
    (void)state;
    expect_literal_refused("<?xml version=\"1.0\" encoding=\"GB2312\"?>\n<report version=\"1\">"
                           "<title>\xb1\xea</title></report>",
                           "m.xml:1:21: encoding=\"GB2312\" is declared, but gwpdf sources must be "
                           "UTF-8: convert the file (iconv -f GB18030 -t UTF-8 FILE >NEW.xml) and "
                           "declare encoding=\"UTF-8\"; plain text can be turned into a source "
                           "with gwpdf import\n");
    static const char ascii[] = "<?xml version='1.0' encoding='us-ascii'?><report version=\"1\">"
                                "<title>t</title><p>x</p></report>";
    capture c;
    cap_open(&c);
    gw_doc *doc = load_literal("m.xml", ascii, sizeof ascii - 1, NULL, &c);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    gw_doc_free(doc);
    cap_close(&c);
}

/* A text node over libxml2's own 10 MB cap (a source of wrapped lines, which
 * libxml2 gathers piece by piece) meets gwpdf's documented text limit, not
 * libxml2's "huge text node"; with the limit raised it loads. */
static void test_huge_text_node(void **state)
{
    (void)state;
    static const char line[] = "正文内容。\n";   /* 16 bytes, 5 characters once joined */
    size_t reps = (12u << 20) / (sizeof line - 1);
    const char *head = "<report version=\"1\"><title>t</title>\n<p>", *tail = "</p></report>";
    size_t body = reps * (sizeof line - 1), len = strlen(head) + body + strlen(tail);
    char *src = malloc(len + 1);
    assert_non_null(src);
    strcpy(src, head);
    for (size_t i = 0; i < reps; i++)
        memcpy(src + strlen(head) + i * (sizeof line - 1), line, sizeof line - 1);
    strcpy(src + strlen(head) + body, tail);
    gw_limits lim = gw_limits_default();
    lim.bytes = 20L << 20;
    capture c;
    cap_open(&c);
    /* One paragraph of it: the paragraph limit is met first. */
    assert_null(load_literal("m.xml", src, len, &lim, &c));
    assert_string_equal(cap_text(&c), "m.xml:2: this <p> holds more than 50000 characters of "
                        "text, the limit (raise it with --limit paragraph=N)\n");
    cap_close(&c);
    lim.paragraph = 20L << 20;
    lim.text = 1000000;         /* the node holds 3.9 million characters (blanks not counted) */
    cap_open(&c);
    assert_null(load_literal("m.xml", src, len, &lim, &c));
    assert_string_equal(cap_text(&c), "m.xml:2: the document holds more than 1000000 characters "
                        "of text, the limit (raise it with --limit text=N)\n");
    cap_close(&c);
    lim.text = 13L << 20;
    cap_open(&c);
    gw_doc *doc = load_literal("m.xml", src, len, &lim, &c);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_int_equal(doc->blocks[0].text.len, reps * 5);
    gw_doc_free(doc);
    cap_close(&c);
    free(src);
}

/* A title that prints nothing is refused at the title. */
static void test_blank_title(void **state)
{
    (void)state;
    const char *msg = "m.xml:2:1: the <title> has no text (only spaces or line breaks), which "
                      "would print a blank title: write the title in it\n";
    expect_literal_refused("<report version=\"1\">\n<title>  \n </title><p>x</p></report>", msg);
    expect_literal_refused("<report version=\"1\">\n<title>\xe3\x80\x80<br/></title><p>x</p>"
                           "</report>", msg);
    expect_literal_refused("<document version=\"2\">\n<title></title><p>x</p></document>", msg);
}

/* Document information longer than the PDF takes is an input error at the
 * element that supplies it. */
static void test_info_bounds(void **state)
{
    (void)state;
    size_t cap = 200000;
    char *src = malloc(cap);
    assert_non_null(src);
    int n = snprintf(src, cap, "<report version=\"1\">\n<meta><author>");
    for (int i = 0; i < 40000; i++)
        src[n++] = 'a';
    n += snprintf(src + n, cap - (size_t)n, "</author></meta>\n<title>");
    for (int i = 0; i < 8001; i++)
        src[n++] = 'b';
    snprintf(src + n, cap - (size_t)n, "</title><p>x</p></report>");
    expect_literal_refused(src, "m.xml:2:7: <meta><author> holds 40000 characters, more than the "
                           "8000 the PDF's document information takes: shorten it\n"
                           "m.xml:3:1: the title holds 8001 characters, more than the 8000 the "
                           "PDF's document information takes: shorten it, or give a shorter one "
                           "for the PDF in <meta><title>\n");
    /* A short <meta><title> lets the long printed title be. */
    n = snprintf(src, cap, "<report version=\"1\"><meta><title>m</title></meta><title>");
    for (int i = 0; i < 8001; i++)
        src[n++] = 'b';
    snprintf(src + n, cap - (size_t)n, "</title><p>x</p></report>");
    capture c;
    cap_open(&c);
    gw_doc *doc = load_literal("m.xml", src, strlen(src), NULL, &c);
    assert_string_equal(cap_text(&c), "");
    assert_non_null(doc);
    assert_string_equal(doc->meta.title, "m");
    gw_doc_free(doc);
    cap_close(&c);
    free(src);
}

/* "failed to validate attributes" names the attribute and its value, or the
 * attribute missing; a prefixed attribute keeps its prefix. */
static void test_attribute_messages(void **state)
{
    (void)state;
    expect_literal_refused("<report version=\"1\"><title>t</title>\n<table><col width=\"abc\"/>"
                           "<tbody><tr><td>x</td></tr></tbody></table></report>",
                           "m.xml:2: width=\"abc\" is not a value <col> takes (column width: "
                           "relative \"*\", \"2*\", \"1.5*\" or absolute \"30mm\", \"30.5mm\")\n");
    expect_literal_refused("<report version=\"1\"><title>t</title>\n<table><col/>"
                           "<tbody><tr><td>x</td></tr></tbody></table></report>",
                           "m.xml:2: <col> needs a width attribute (docs/format.md lists its "
                           "attributes and values)\n");
    expect_literal_refused("<report version=\"3\"><title>t</title><p>x</p></report>",
                           "m.xml:1: version=\"3\" is not a value <report> takes: version is 1 "
                           "(a format v2 source is a <document version=\"2\">)\n");
    expect_literal_refused("<report version=\"1\" xmlns:g=\"urn:x\"><title>t</title>\n"
                           "<p g:secret=\"1\">x</p></report>",
                           "m.xml:2: <p> takes no attribute g:secret=\"1\": its attributes are "
                           "indent and align\n");
}

/* The schema's messages name what was expected: the element missing before
 * another, the values an attribute takes, the attribute a required one is,
 * a near miss of an element or attribute name, what an element holds. */
static void test_schema_messages(void **state)
{
    (void)state;
    expect_literal_refused("<report version=\"1\">\n<label>附件1</label>\n<p>x</p></report>",
                           "m.xml:3: a <title> is required before <p> (inside <report>)\n");
    expect_literal_refused("<report version=\"1\"><title>t</title>\n<section><p>x</p>"
                           "<heading>h</heading></section></report>",
                           "m.xml:2: a <heading> is required before <p> (inside <section>)\n");
    expect_literal_refused("<document version=\"2\"><title>t</title><p>x</p>\n"
                           "<attachment><p>y</p></attachment></document>",
                           "m.xml:2: a <title> is required before <p> (inside <attachment>)\n");
    expect_literal_refused("<report><title>t</title><p>x</p></report>",
                           "m.xml:1: <report> needs a version attribute: version=\"1\"\n");
    expect_literal_refused("<report version=\"1\"><title>t</title>\n<p align=\"left\">x</p>"
                           "</report>",
                           "m.xml:2: align=\"left\" is not a value <p> takes: align is justify, "
                           "center or right\n");
    expect_literal_refused("<report version=\"1\"><title>t</title>\n<p algin=\"center\">x</p>"
                           "</report>",
                           "m.xml:2: <p> takes no attribute algin=\"center\": did you mean align? "
                           "(its attributes are indent and align)\n");
    expect_literal_refused("<report version=\"1\"><title>t</title>\n<section><heding>h</heding>"
                           "<p>x</p></section></report>",
                           "m.xml:2: format v1 has no element <heding>: did you mean <heading>? "
                           "(inside <section>)\n");
    /* Far from every name: no guess ("foo" is two edits from "to"). */
    expect_literal_refused("<document version=\"2\"><title>t</title>\n<foo/></document>",
                           "m.xml:2: format v2 has no element <foo> (inside <document>; "
                           "docs/format.md lists the elements)\n");
    expect_literal_refused("<report version=\"1\"><title>t</title>\n<list><p>x</p></list>"
                           "</report>",
                           "m.xml:2: <p> does not belong inside <list>, which holds only "
                           "<item>\n");
    expect_literal_refused("<report version=\"1\"><title>t\n<p>x</p></title></report>",
                           "m.xml:2: <p> does not belong inside <title>, which holds only text "
                           "and <br>\n");
}

/* An & that is not a reference, said in words a clerk can act on. */
static void test_entity_messages(void **state)
{
    (void)state;
    expect_literal_refused("<report version=\"1\"><title>t</title>\n<p>收入 & 支出</p></report>",
                           "m.xml:2:7: a bare &: write it as &amp;\n");
    expect_literal_refused("<report version=\"1\"><title>t</title>\n<p>A&nbsp;B</p></report>",
                           "m.xml:2:5: &nbsp; is not defined: XML knows only &amp; &lt; &gt; "
                           "&quot; &apos; and character references (&#x4E00;); write the character "
                           "itself, or &amp; for a bare &\n");
}

/* What is plainly not XML is named by its first bytes, before any parsing. */
static void test_not_xml(void **state)
{
    (void)state;
    static const struct { const char *bytes; size_t n; const char *what; } cases[] = {
        { "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "a PNG image" },
        { "%PDF-1.4\n%\xE2\xE3", 13, "a PDF" },
        { "PK\x03\x04\x14\0\x06\0", 8, "a ZIP archive (a .docx Word file?)" },
        { "\xFF\xD8\xFF\xE0", 4, "a JPEG image" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char want[400];
        snprintf(want, sizeof want, "m.xml: this is %s, not a gwpdf XML source; to start from a "
                 "Word or text file, save it as plain text (.txt) and use gwpdf import\n",
                 cases[i].what);
        capture c;
        cap_open(&c);
        assert_null(load_literal("m.xml", cases[i].bytes, cases[i].n, NULL, &c));
        assert_string_equal(cap_text(&c), want);
        assert_int_equal(c.diag.errors, 1);
        cap_close(&c);
    }
}

/* Sources that never end (/dev/zero) stop at the byte limit; a directory is
 * refused; a FIFO is opened without blocking. */
static void test_unbounded_sources(void **state)
{
    (void)state;
    gw_limits lim = gw_limits_default();
    lim.bytes = 1000;
    capture c;
    cap_open(&c);
    assert_null(gw_doc_load("/dev/zero", NULL, &lim, &c.diag));
    assert_string_equal(cap_text(&c), "/dev/zero: the source is more than 1000 bytes, the limit "
                        "(raise it with --limit bytes=N)\n");
    cap_close(&c);
    cap_open(&c);
    assert_null(gw_doc_load("/", NULL, &lim, &c.diag));
    assert_string_equal(cap_text(&c), "/: cannot read: is a directory\n");
    cap_close(&c);
    char *dir = scratch_dir();
    char fifo[512];
    snprintf(fifo, sizeof fifo, "%s/pipe.xml", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    cap_open(&c);
    assert_null(gw_doc_load(fifo, NULL, &lim, &c.diag));   /* no writer: empty, not a hang */
    assert_non_null(strstr(cap_text(&c), "Document is empty"));
    cap_close(&c);
    rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_report),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_scanner),
        cmocka_unit_test(test_whitespace),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_table_and_front_matter),
        cmocka_unit_test(test_table_grid_errors),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_error_unclosed),
        cmocka_unit_test(test_error_unknown_element),
        cmocka_unit_test(test_error_depth5),
        cmocka_unit_test(test_error_level_order),
        cmocka_unit_test(test_error_internal_entity),
        cmocka_unit_test(test_error_external_entity),
        cmocka_unit_test(test_error_undeclared_entity),
        cmocka_unit_test(test_error_c1_control),
        cmocka_unit_test(test_error_bad_date),
        cmocka_unit_test(test_error_missing_file),
        cmocka_unit_test(test_schema_path),
        cmocka_unit_test(test_text_utf8),
        cmocka_unit_test(test_v2_document),
        cmocka_unit_test(test_v2_src_fifo_and_limits),
        cmocka_unit_test(test_v2_src_nested),
        cmocka_unit_test(test_lone_cr_positions),
        cmocka_unit_test(test_attribute_bound),
        cmocka_unit_test(test_declared_encoding),
        cmocka_unit_test(test_huge_text_node),
        cmocka_unit_test(test_blank_title),
        cmocka_unit_test(test_info_bounds),
        cmocka_unit_test(test_attribute_messages),
        cmocka_unit_test(test_schema_messages),
        cmocka_unit_test(test_entity_messages),
        cmocka_unit_test(test_not_xml),
        cmocka_unit_test(test_unbounded_sources),
        cmocka_unit_test(test_xml_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
