/* gwpdf — the command line: parses arguments and runs the pipeline
 * model (XML → tree) → fonts (roles → faces) → layout (tree → pages) → PDF, OFD or PNG,
 * or one of the tools around it: `import` (plain text → format-v1 source) and
 * `lint` (proofreading checks on a source, with safe fixes).
 *
 * Exit status: 0 done; 1 the input is wrong (invalid XML, a schema violation, a
 * character no font draws); 2 usage or system error (bad arguments, unreadable
 * files, no font for a role, the output cannot be written). */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "fonts.h"
#include "import.h"
#include "layout.h"
#include "lint.h"
#include "model.h"
#include "outfile.h"
#include "ofdout.h"
#include "pdfout.h"
#include "serve.h"
#include "pngout.h"

enum { EXIT_DONE = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

/* What the command line says about an output beyond its kind. */
typedef struct output_options {
    int dpi;                 /* PNG: pixels an inch */
} output_options;

/* The outputs `render` can write, one set of calls each: the layout hands
 * its pages to any of them the same way. */
typedef struct output_kind {
    const char *name;        /* --format NAME */
    const char *ext;         /* the file name's extension it is known by */
    void *(*begin)(const output_options *opt, const gw_meta *meta, const char *name,
                   gw_diag *diag);
    gw_page_fn page;
    bool (*failed)(void *doc);
    int (*finish)(void *doc, const char *out_path);
    void (*discard)(void *doc);
} output_kind;

static void *pdf_begin(const output_options *o, const gw_meta *m, const char *n, gw_diag *g)
{
    (void)o;
    return gw_pdf_begin(m, n, g);
}
static bool pdf_failed(void *d) { return gw_pdf_failed(d); }
static int pdf_finish(void *d, const char *out) { return gw_pdf_finish(d, out); }
static void pdf_discard(void *d) { gw_pdf_discard(d); }
static void *ofd_begin(const output_options *o, const gw_meta *m, const char *n, gw_diag *g)
{
    (void)o;
    return gw_ofd_begin(m, n, g);
}
static bool ofd_failed(void *d) { return gw_ofd_failed(d); }
static int ofd_finish(void *d, const char *out) { return gw_ofd_finish(d, out); }
static void ofd_discard(void *d) { gw_ofd_discard(d); }
/* PNG images carry no document properties. */
static void *png_begin(const output_options *o, const gw_meta *m, const char *n, gw_diag *g)
{
    (void)m;
    return gw_png_begin(n, o->dpi, g);
}
static bool png_failed(void *d) { return gw_png_failed(d); }
static int png_finish(void *d, const char *out) { return gw_png_finish(d, out); }
static void png_discard(void *d) { gw_png_discard(d); }

static const output_kind OUTPUTS[] = {
    { "pdf", ".pdf", pdf_begin, gw_pdf_page_fn, pdf_failed, pdf_finish, pdf_discard },
    { "ofd", ".ofd", ofd_begin, gw_ofd_page_fn, ofd_failed, ofd_finish, ofd_discard },
    { "png", ".png", png_begin, gw_png_page_fn, png_failed, png_finish, png_discard },
};
#define N_OUTPUTS (sizeof OUTPUTS / sizeof OUTPUTS[0])

static const char USAGE[] =
    "usage: gwpdf render IN.xml -o OUT.pdf|OUT.ofd|OUT.png [--format pdf|ofd|png] [options]\n"
    "       gwpdf render IN.xml... -o DIR/ [--format pdf|ofd|png] [-j N] [options]\n"
    "       gwpdf fonts [options]\n"
    "       gwpdf import TEXT|FILE.docx -o OUT.xml\n"
    "       gwpdf lint IN.xml [--fix [-o OUT.xml]]\n"
    "       gwpdf serve [--listen ADDR:PORT] [--workers N] [options]\n"
    "       gwpdf --help | --version\n"
    "\n"
    "Typesets a report written in format v1 (docs/format.md) as a GB/T 9704-2012\n"
    "official-document PDF.\n"
    "\n"
    "commands:\n"
    "  render IN.xml -o OUT.pdf   validate IN.xml and write OUT.pdf (written only on success)\n"
    "  render IN.xml -o OUT.ofd   the same pages as an OFD package (GB/T 33190), docs/ofd.md\n"
    "  render IN.xml -o OUT.png   the same pages as PNG images: OUT.png for one page, else\n"
    "                             OUT-1.png ... OUT-N.png (N padded to the page count's\n"
    "                             digits), docs/png.md\n"
    "  render A.xml B.xml -o DIR/ render each into DIR/A.pdf, DIR/B.pdf, loading the fonts once;\n"
    "                             -j N shares the documents among N processes\n"
    "  --format pdf|ofd|png       what render writes (default: from OUT's extension, else pdf;\n"
    "                             for -o DIR/, pdf)\n"
    "  --dpi N                    PNG: pixels an inch, 18 to 600 (default 150)\n"
    "  fonts                      show the face that serves each font role and where it was found\n"
    "  import TEXT -o OUT.xml     turn a report's plain text (UTF-8 or GB18030) into a format-v1\n"
    "                             source: headings, run-in headings, lists, signature; each\n"
    "                             uncertain judgement is a warning with its line (-o - : stdout)\n"
    "  import FILE.docx -o OUT.xml the same from a Word document: its paragraphs, Word's\n"
    "                             numbering and heading styles; positions are paragraphs (¶N)\n"
    "  lint IN.xml                report half-width punctuation next to Chinese text, straight\n"
    "                             quotes, unbalanced brackets and quotes, typed heading numbers,\n"
    "                             dates, empty sections, a missing signature (exit 1 if any)\n"
    "  serve                      the web page and its JSON API on 127.0.0.1:8080 (docs/serve.md):\n"
    "                             paste or open a text, .docx or source, see the pages, download\n"
    "                             the PDF; --listen ADDR:PORT, --workers N (at once; default: the\n"
    "                             cores), --queue N (waiting, 64), --max-body BYTES (32 MiB),\n"
    "                             --cpu-seconds S (30) and --memory MIB (1024) a worker,\n"
    "                             --request-timeout S (30)\n"
    "  lint IN.xml --fix [-o OUT] apply the safe fixes (full-width punctuation, paired quotes) to\n"
    "                             IN.xml, or write OUT; each fix listed on stdout\n"
    "\n"
    "options:\n"
    "  --font ROLE=PATH[,PATH...] use these font files first for ROLE (a .ttc face as PATH:INDEX);\n"
    "                             roles: body title heading1 heading2 label pagenum latin\n"
    "  --fonts-dir DIR            look for office fonts in DIR (default: the project's fonts/)\n"
    "  --profile gb|word-grid     line-breaking profile (default: the document's profile\n"
    "                             attribute, else gb); see docs/linebreak.md\n"
    "  --option strict            —— and …… may not start a line either\n"
    "  --option glue_num_han      no line break between a number and the Han character after it\n"
    "  --limit NAME=N             change a bound on the input (bytes elements depth text\n"
    "                             paragraph table_cells pages errors); see docs/limits.md\n"
    "  --confine                  read seals only from the source's folder or below, by relative\n"
    "                             paths without .. (as attachments always are; serve uses it)\n"
    "  --no-hinting               embed TrueType glyphs without hinting instructions (a\n"
    "                             smaller PDF; see docs/pdf.md)\n"
    "  --verbose                  render: name the stand-in face of each font role after the\n"
    "                             document's messages (by default one line says how many)\n"
    "  -h, --help                 show this help\n"
    "  --version                  show the version\n"
    "\n"
    "exit status: 0 done, 1 the input is wrong (lint: something to report), 2 usage or\n"
    "system error; docs/import.md describes import and lint\n";

typedef struct cli {
    const char *command;
    const char **inputs;     /* points into argv; owned by main */
    size_t n_inputs;
    long jobs;               /* worker processes for several documents */
    const char *output;
    const output_kind *format;   /* --format, or NULL: from the output's name */
    output_options out;      /* --dpi */
    bool dpi_set;            /* --dpi was given (only the PNG output takes it) */
    bool fix;                /* lint --fix */
    bool verbose;            /* render: one warning per stand-in font role */
    gw_font_options fonts;
    gw_layout_options layout;
    gw_limits limits;
} cli;

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "gwpdf: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run 'gwpdf --help' for usage)\n");
    return EXIT_USAGE;
}

static int parse_font_option(cli *c, const char *spec)
{
    const char *eq = strchr(spec, '=');
    if (!eq || eq == spec || !eq[1])
        return usage_error("--font expects ROLE=PATH[,PATH...], got '%s'", spec);
    char role_name[32];
    size_t n = (size_t)(eq - spec);
    if (n >= sizeof role_name)
        return usage_error("unknown font role in '%s'", spec);
    memcpy(role_name, spec, n);
    role_name[n] = '\0';
    gw_role role;
    if (!gw_role_parse(role_name, &role))
        return usage_error("unknown font role '%s' (roles: body title heading1 heading2 "
                           "label pagenum latin)", role_name);
    c->fonts.role_paths[role] = eq + 1;
    return EXIT_DONE;
}

static int parse_profile(cli *c, const char *v)
{
    if (!strcmp(v, "gb"))
        c->layout.profile = GW_LB_GB;
    else if (!strcmp(v, "word-grid"))
        c->layout.profile = GW_LB_WORD_GRID;
    else
        return usage_error("unknown profile '%s' (profiles: gb word-grid)", v);
    c->layout.profile_set = true;
    return EXIT_DONE;
}

static int parse_layout_option(cli *c, const char *v)
{
    if (!strcmp(v, "strict"))
        c->layout.strict = true;
    else if (!strcmp(v, "glue_num_han"))
        c->layout.glue_num_han = true;
    else
        return usage_error("unknown option '%s' for --option (options: strict glue_num_han)", v);
    return EXIT_DONE;
}

static int parse_limit(cli *c, const char *v)
{
    const char *why;
    if (!gw_limits_set(&c->limits, v, &why)) {
        fprintf(stderr, "gwpdf: --limit %s: %s (limits: %s)\n", v, why, gw_limits_names());
        return EXIT_USAGE;
    }
    return EXIT_DONE;
}

static int parse_jobs(cli *c, const char *v)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || end == v || n < 1 || n > 64)
        return usage_error("-j expects a number of processes from 1 to 64, got '%s'", v);
    c->jobs = n;
    return EXIT_DONE;
}

static int parse_format(cli *c, const char *v)
{
    for (size_t i = 0; i < N_OUTPUTS; i++)
        if (!strcmp(v, OUTPUTS[i].name)) {
            c->format = &OUTPUTS[i];
            return EXIT_DONE;
        }
    return usage_error("unknown format '%s' for --format (formats: pdf ofd png)", v);
}

static int parse_dpi(cli *c, const char *v)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (*end || end == v || errno || n < GW_PNG_DPI_MIN || n > GW_PNG_DPI_MAX) {
        fprintf(stderr, "gwpdf: --dpi expects pixels an inch from %d to %d, got '%s'\n"
                "(run 'gwpdf --help' for usage)\n", GW_PNG_DPI_MIN, GW_PNG_DPI_MAX, v);
        return EXIT_USAGE;
    }
    c->out.dpi = (int)n;
    c->dpi_set = true;
    return EXIT_DONE;
}

/* The output a file name's extension names (case aside), or NULL. */
static const output_kind *kind_of_name(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < N_OUTPUTS; i++) {
        size_t e = strlen(OUTPUTS[i].ext);
        if (n > e && !strcasecmp(path + n - e, OUTPUTS[i].ext))
            return &OUTPUTS[i];
    }
    return NULL;
}

static int parse_args(cli *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--font") || !strcmp(a, "--fonts-dir") ||
            !strcmp(a, "--profile") || !strcmp(a, "--option") || !strcmp(a, "--limit") ||
            !strcmp(a, "-j") || !strcmp(a, "--format") || !strcmp(a, "--dpi")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (!*v)
                return usage_error("%s needs a value, got an empty one", a);
            if (!strcmp(a, "-o"))
                c->output = v;
            else if (!strcmp(a, "--fonts-dir"))
                c->fonts.fonts_dir = v;
            else if (!strcmp(a, "--profile") && parse_profile(c, v) != EXIT_DONE)
                return EXIT_USAGE;
            else if (!strcmp(a, "--option") && parse_layout_option(c, v) != EXIT_DONE)
                return EXIT_USAGE;
            else if (!strcmp(a, "--font") && parse_font_option(c, v) != EXIT_DONE)
                return EXIT_USAGE;
            else if (!strcmp(a, "--limit") && parse_limit(c, v) != EXIT_DONE)
                return EXIT_USAGE;
            else if (!strcmp(a, "-j") && parse_jobs(c, v) != EXIT_DONE)
                return EXIT_USAGE;
            else if (!strcmp(a, "--format") && parse_format(c, v) != EXIT_DONE)
                return EXIT_USAGE;
            else if (!strcmp(a, "--dpi") && parse_dpi(c, v) != EXIT_DONE)
                return EXIT_USAGE;
        } else if (!strcmp(a, "--confine")) {
            c->layout.confine_files = true;
        } else if (!strcmp(a, "--no-hinting")) {
            c->fonts.drop_hinting = true;
        } else if (!strcmp(a, "--fix")) {
            c->fix = true;
        } else if (!strcmp(a, "--verbose")) {
            c->verbose = true;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (!c->command) {
            c->command = a;
        } else if (!strcmp(c->command, "render")
                   || ((!strcmp(c->command, "import") || !strcmp(c->command, "lint"))
                       && c->n_inputs == 0)) {
            c->inputs[c->n_inputs++] = a;
        } else {
            return usage_error("unexpected argument '%s'", a);
        }
    }
    return EXIT_DONE;
}

static const char *source_name(gw_font_source s)
{
    switch (s) {
    case GW_SRC_OPTION: return "--font";
    case GW_SRC_FONTS_DIR: return "fonts directory";
    case GW_SRC_SYSTEM: return "installed (fontconfig)";
    case GW_SRC_FALLBACK: return "fallback stand-in";
    }
    return "?";
}

static int cmd_fonts(const cli *c)
{
    gw_diag diag = gw_diag_init(stderr);
    gw_fontset *fs = gw_fonts_open(&c->fonts, &diag);
    if (!fs)
        return EXIT_USAGE;
    for (int r = 0; r < GW_ROLE_COUNT; r++) {
        gw_role role = (gw_role)r;
        printf("%-9s %s: %s%s\n", gw_role_name(role), gw_role_design(role),
               source_name(gw_fonts_role_source(fs, role)),
               gw_fonts_synthetic_bold(fs, role) ? ", synthetic bold" : "");
        size_t n = gw_fonts_chain_len(fs, role);
        for (size_t i = 0; i < n; i++) {
            const gw_face *f = gw_fonts_chain_face(fs, role, i);
            printf("    %zu. %s — %s:%d\n", i + 1, gw_face_family(f), gw_face_path(f),
                   gw_face_index(f));
        }
    }
    fflush(stdout);
    gw_fonts_report_standins(fs, &diag);
    gw_fonts_close(fs);
    return EXIT_DONE;
}

/* model → layout → PDF, OFD or PNG for one document with fonts already open; the
 * exit status.  Pages go to the output as they are laid out and are freed at
 * once, so memory holds the document model, the fonts and a page or so. */
static int render_one(const cli *c, const char *input, const char *output, gw_fontset *fs,
                      gw_diag *diag)
{
    if (access(input, R_OK) != 0) {
        /* A file that is not there is a usage error, not a wrong input. */
        gw_error(diag, input, 0, 0, "cannot read: %s", strerror(errno));
        return EXIT_USAGE;
    }
    gw_doc *doc = gw_doc_load(input, NULL, &c->limits, diag);
    if (!doc)
        return EXIT_INPUT;
    gw_fonts_clear_used(fs);                 /* each PDF embeds only its own glyphs */
    gw_layout_options lo = c->layout;
    lo.max_pages = c->limits.pages;
    const output_kind *kind = c->format;
    void *out = kind->begin(&c->out, &doc->meta, output, diag);
    int status = EXIT_USAGE;
    if (out) {
        if (gw_layout_stream(doc, fs, &lo, kind->page, out, diag) != 0) {
            status = kind->failed(out) ? EXIT_USAGE : EXIT_INPUT;
            kind->discard(out);
        } else {
            status = kind->finish(out, output) == 0 ? EXIT_DONE : EXIT_USAGE;
        }
    }
    gw_doc_free(doc);
    return status;
}

/* Diagnostics on stderr, errors and warnings each capped by --limit errors. */
static gw_diag counted_diag(const cli *c)
{
    gw_diag diag = gw_diag_init(stderr);
    diag.max_errors = (int)(c->limits.errors < INT_MAX ? c->limits.errors : INT_MAX);
    return diag;
}

/* One document, its messages capped; the exit status. */
static int render_counted(const cli *c, const char *input, const char *output, gw_fontset *fs)
{
    gw_diag diag = counted_diag(c);
    int status = render_one(c, input, output, fs, &diag);
    gw_diag_summary(&diag, input);
    return status;
}

/* DIR/NAME.pdf (or .ofd, .png: the PNG output makes DIR/NAME-N.png of it
 * for several pages) for DIR/…/NAME.xml; caller frees. */
static char *output_in(const char *dir, const char *input, const output_kind *kind)
{
    const char *base = strrchr(input, '/');
    base = base ? base + 1 : input;
    size_t stem = strlen(base);
    if (stem > 4 && !strcmp(base + stem - 4, ".xml"))
        stem -= 4;
    size_t n = strlen(dir) + stem + strlen(kind->ext) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s%.*s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", (int)stem,
                 base, kind->ext);
    return out;
}

/* Before any rendering: every output of the batch is a distinct name, none
 * is an input, and none is a directory or the like.  Two inputs of one base
 * name (a/r.xml, b/r.xml) would silently give one PDF.  EXIT_DONE or the
 * usage status after reporting. */
static int check_batch_outputs(const cli *c, gw_diag *diag)
{
    char **outs = calloc(c->n_inputs, sizeof *outs);
    int status = outs ? EXIT_DONE : EXIT_USAGE;
    for (size_t i = 0; i < c->n_inputs && status == EXIT_DONE; i++) {
        outs[i] = output_in(c->output, c->inputs[i], c->format);
        gw_out_target t;
        if (!outs[i]) {
            status = EXIT_USAGE;
            break;
        }
        for (size_t k = 0; k < i && status == EXIT_DONE; k++) {
            if (!strcmp(outs[k], outs[i])) {
                gw_error(diag, NULL, 0, 0, "%s and %s would both be written to %s: give them "
                         "different names or render them into different directories",
                         c->inputs[k], c->inputs[i], outs[i]);
                status = EXIT_USAGE;
            }
        }
        if (status == EXIT_DONE &&
            gw_out_target_open(&t, outs[i], c->inputs, c->n_inputs, diag) != 0)
            status = EXIT_USAGE;
        else if (status == EXIT_DONE)
            gw_out_target_free(&t);
    }
    if (!outs)
        fputs("gwpdf: out of memory\n", stderr);
    for (size_t i = 0; outs && i < c->n_inputs; i++)
        free(outs[i]);
    free(outs);
    return status;
}

/* Documents first, first + step, … into dir; the worst exit status. */
static int render_share(const cli *c, gw_fontset *fs, size_t first, size_t step)
{
    int worst = EXIT_DONE;
    for (size_t i = first; i < c->n_inputs; i += step) {
        char *out = output_in(c->output, c->inputs[i], c->format);
        int st = out ? render_counted(c, c->inputs[i], out, fs) : EXIT_USAGE;
        if (!out)
            fprintf(stderr, "gwpdf: out of memory\n");
        if (st > worst)
            worst = st;
        free(out);
    }
    return worst;
}

/* Several documents: the fonts are opened once, then `jobs` processes share
 * the list (each inherits the open fonts); the worst exit status. */
static int render_batch(const cli *c, gw_fontset *fs)
{
    size_t jobs = (size_t)c->jobs < c->n_inputs ? (size_t)c->jobs : c->n_inputs;
    if (jobs <= 1)
        return render_share(c, fs, 0, 1);
    fflush(stdout);
    fflush(stderr);
    pid_t pids[64];
    size_t started = 0;
    int worst = EXIT_DONE;
    for (size_t k = 0; k < jobs; k++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(render_share(c, fs, k, jobs));
        if (pid < 0) {
            fprintf(stderr, "gwpdf: cannot start a worker: %s\n", strerror(errno));
            worst = EXIT_USAGE;
            break;
        }
        pids[started++] = pid;
    }
    for (size_t k = 0; k < started; k++) {
        int ws;
        int st = waitpid(pids[k], &ws, 0) == pids[k] && WIFEXITED(ws) ? WEXITSTATUS(ws) : EXIT_USAGE;
        if (st > worst)
            worst = st;
    }
    return worst;
}

static bool is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The output's kind: --format, else the output name's extension, else PDF;
 * a name whose extension says otherwise than --format is refused. */
static int choose_format(cli *c, bool to_dir)
{
    const output_kind *named = to_dir ? NULL : kind_of_name(c->output);
    if (c->format && named && named != c->format) {
        fprintf(stderr, "gwpdf: -o %s names a .%s file, but --format says %s\n"
                "(run 'gwpdf --help' for usage)\n", c->output, named->name, c->format->name);
        return EXIT_USAGE;
    }
    if (!c->format)
        c->format = named ? named : &OUTPUTS[0];
    if (c->dpi_set && strcmp(c->format->name, "png") != 0) {
        fprintf(stderr, "gwpdf: --dpi is the resolution of PNG images, but the output is %s\n"
                "(run 'gwpdf --help' for usage)\n", c->format->name);
        return EXIT_USAGE;
    }
    return EXIT_DONE;
}

static int cmd_render(cli *c)
{
    if (c->n_inputs == 0)
        return usage_error("%s", "render needs an input file");
    if (!c->output)
        return usage_error("%s", "render needs -o OUT.pdf (or -o DIR/ for several inputs)");
    size_t len = strlen(c->output);
    bool to_dir = c->n_inputs > 1 || c->output[len - 1] == '/';
    if (to_dir && !is_directory(c->output))
        return usage_error(c->n_inputs > 1 ? "-o %s: several inputs need an existing directory"
                                           : "-o %s: a name ending in / is a directory, and "
                                             "there is none by that name", c->output);
    if (choose_format(c, to_dir) != EXIT_DONE)
        return EXIT_USAGE;
    gw_diag diag = gw_diag_init(stderr);
    gw_out_target t;
    if (to_dir ? check_batch_outputs(c, &diag) != EXIT_DONE
               : gw_out_target_open(&t, c->output, c->inputs, 1, &diag) != 0)
        return EXIT_USAGE;
    if (!to_dir)
        gw_out_target_free(&t);
    gw_fontset *fs = gw_fonts_open(&c->fonts, &diag);
    if (!fs)
        return EXIT_USAGE;
    int status = to_dir ? render_batch(c, fs) : render_counted(c, c->inputs[0], c->output, fs);
    /* After the documents' messages, never before them: a clerk's stderr
     * shows the errors first, and a failed render needs no word on fonts. */
    if (c->verbose)
        gw_fonts_report_standins(fs, &diag);
    else if (status == EXIT_DONE)
        gw_fonts_report_standin_summary(fs, &diag);
    gw_fonts_close(fs);
    return status;
}

/* The seal a .docx import may write beside OUT.xml: its name in the source
 * ("OUT-seal.png", relative to the source's folder) and its path.  False when
 * out of memory. */
static bool seal_names(const char *output, char **src, char **path)
{
    const char *slash = strrchr(output, '/');
    const char *base = slash ? slash + 1 : output;
    size_t dir = (size_t)(base - output), stem = strlen(base);
    if (stem > 4 && !strcasecmp(base + stem - 4, ".xml"))
        stem -= 4;
    static const char suffix[] = "-seal.png";
    *src = malloc(stem + sizeof suffix);
    *path = malloc(dir + stem + sizeof suffix);
    if (!*src || !*path) {
        free(*src);
        free(*path);
        *src = *path = NULL;
        return false;
    }
    snprintf(*src, stem + sizeof suffix, "%.*s%s", (int)stem, base, suffix);
    snprintf(*path, dir + stem + sizeof suffix, "%.*s%s", (int)dir, output, *src);
    return true;
}

/* import TEXT -o OUT.xml: the text as a format-v1 source, checked against the schema. */
static int cmd_import(const cli *c)
{
    if (c->n_inputs != 1)
        return usage_error("%s", "import needs one text or .docx file: gwpdf import FILE -o OUT.xml");
    if (!c->output)
        return usage_error("%s", "import needs -o OUT.xml (or -o - for standard output)");
    gw_diag diag = counted_diag(c);
    size_t len, xml_len;
    char *text = gw_read_file(c->inputs[0], c->limits.bytes, &len, &diag);
    if (!text)
        return errno == EFBIG ? EXIT_INPUT : EXIT_USAGE;
    /* The kind from the content, not the name: a .docx is a ZIP. */
    char *xml = NULL;
    bool to_stdout = !strcmp(c->output, "-");
    char *seal_src = NULL, *seal_path = NULL;
    gw_import_image seal = { 0 };
    switch (gw_import_sniff((const unsigned char *)text, len)) {
    case GW_IMPORT_ZIP:
        if (!to_stdout && !seal_names(c->output, &seal_src, &seal_path)) {
            free(text);
            fprintf(stderr, "gwpdf: out of memory\n");
            return EXIT_USAGE;
        }
        xml = gw_import_docx(c->inputs[0], (const unsigned char *)text, len, &c->limits, seal_src,
                             &seal, &xml_len, &diag);
        break;
    case GW_IMPORT_OLE:
        gw_error(&diag, c->inputs[0], 0, 0, "an OLE compound file — a Word 97-2003 document "
                 "(.doc) or a password-protected .docx: save it as a .docx without a password "
                 "(in Word or WPS: Save As, Word Document)");
        break;
    case GW_IMPORT_TEXT:
        xml = gw_import_text(c->inputs[0], text, len, &c->limits, &xml_len, &diag);
        break;
    }
    free(text);
    gw_diag_summary(&diag, c->inputs[0]);
    if (!xml) {
        free(seal_src);
        free(seal_path);
        return EXIT_INPUT;
    }
    int status = EXIT_DONE;
    /* The seal first: a source is never written that refers to a file not there. */
    if (seal.data && gw_write_output(seal_path, c->inputs, 1, (const char *)seal.data, seal.len,
                                     &diag) != 0)
        status = EXIT_USAGE;
    free(seal.data);
    free(seal_src);
    free(seal_path);
    if (status == EXIT_DONE && to_stdout) {
        if (fwrite(xml, 1, xml_len, stdout) != xml_len || fflush(stdout) != 0) {
            fprintf(stderr, "gwpdf: cannot write to standard output: %s\n", strerror(errno));
            status = EXIT_USAGE;
        }
    } else if (status == EXIT_DONE &&
               gw_write_output(c->output, c->inputs, 1, xml, xml_len, &diag) != 0) {
        status = EXIT_USAGE;
    }
    free(xml);
    return status;
}

/* lint IN.xml [--fix [-o OUT.xml]]: findings as warnings; fixes written atomically. */
static int cmd_lint(const cli *c)
{
    if (c->n_inputs != 1)
        return usage_error("%s", "lint needs one source: gwpdf lint IN.xml [--fix [-o OUT.xml]]");
    if (c->output && !c->fix)
        return usage_error("%s", "lint writes a file only with --fix");
    gw_diag diag = counted_diag(c);
    const char *fix_path = c->fix ? (c->output ? c->output : c->inputs[0]) : NULL;
    int status = gw_lint_run(c->inputs[0], &c->limits, fix_path, stdout, &diag);
    gw_diag_summary(&diag, c->inputs[0]);
    return status;
}

/* serve's own options and their values; false when `a` is none of them. */
static bool parse_serve_option(gw_serve_options *so, const char *a, const char *v, int *status)
{
    static const struct { const char *name; long min, max; size_t offset; } NUMBERS[] = {
        { "--workers", 1, 256, offsetof(gw_serve_options, workers) },
        { "--queue", 0, 4096, offsetof(gw_serve_options, queue) },
        { "--max-body", 1024, 1L << 32, offsetof(gw_serve_options, max_body) },
        { "--cpu-seconds", 1, 3600, offsetof(gw_serve_options, cpu_seconds) },
        { "--memory", 64, 1L << 20, offsetof(gw_serve_options, memory_mib) },
        { "--request-timeout", 1, 3600, offsetof(gw_serve_options, request_timeout) },
    };
    if (!strcmp(a, "--listen")) {
        so->listen = v;
        return true;
    }
    for (size_t i = 0; i < sizeof NUMBERS / sizeof NUMBERS[0]; i++) {
        if (strcmp(a, NUMBERS[i].name) != 0)
            continue;
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || end == v || n < NUMBERS[i].min || n > NUMBERS[i].max) {
            fprintf(stderr, "gwpdf: %s expects a number from %ld to %ld, got '%s'\n"
                    "(run 'gwpdf --help' for usage)\n", a, NUMBERS[i].min, NUMBERS[i].max, v);
            *status = EXIT_USAGE;
        }
        *(long *)((char *)so + NUMBERS[i].offset) = n;
        return true;
    }
    return false;
}

/* The options a worker is run with: those that choose fonts and bound the input. */
static bool is_worker_option(const char *a)
{
    return !strcmp(a, "--font") || !strcmp(a, "--fonts-dir") || !strcmp(a, "--profile") ||
           !strcmp(a, "--option") || !strcmp(a, "--limit") || !strcmp(a, "--no-hinting");
}

/* serve [--listen ADDR:PORT] [--workers N] … [font and limit options]: the
 * web page and its API (docs/serve.md), until SIGINT or SIGTERM. */
static int cmd_serve(cli *c, int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    gw_serve_options so = {
        .listen = "127.0.0.1:8080", .workers = cores > 0 ? cores : 1, .queue = 64,
        .max_body = 32L << 20, .cpu_seconds = 30, .memory_mib = 1024, .request_timeout = 30,
        .version = GWPDF_VERSION,
    };
#if defined(__SANITIZE_ADDRESS__)
    so.memory_mib = 0;   /* AddressSanitizer reserves terabytes of address space */
#endif
    /* argv[0] and "serve", then the worker options, checked by parse_args. */
    char **checked = calloc((size_t)argc + 1, sizeof *checked);
    if (!checked) {
        fputs("gwpdf: out of memory\n", stderr);
        return EXIT_USAGE;
    }
    int n = 0, status = EXIT_DONE;
    checked[n++] = argv[0];
    checked[n++] = argv[1];
    for (int i = 2; i < argc && status == EXIT_DONE; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (v && parse_serve_option(&so, argv[i], v, &status)) {
            i++;
        } else if (is_worker_option(argv[i])) {
            checked[n++] = argv[i];
            if (strcmp(argv[i], "--no-hinting") != 0 && v)
                checked[n++] = argv[++i];
        } else {
            status = usage_error("serve does not take '%s' (serve options: --listen --workers "
                                 "--queue --max-body --cpu-seconds --memory --request-timeout, "
                                 "and the font and limit options of render)", argv[i]);
        }
    }
    if (status == EXIT_DONE)
        status = parse_args(c, n, checked);
    char exe[PATH_MAX];
    ssize_t len = status == EXIT_DONE ? readlink("/proc/self/exe", exe, sizeof exe - 1) : -1;
    if (status == EXIT_DONE && len <= 0) {
        fprintf(stderr, "gwpdf: cannot find its own program file: %s\n", strerror(errno));
        status = EXIT_USAGE;
    }
    gw_diag diag = gw_diag_init(stderr);
    gw_fontset *fs = status == EXIT_DONE ? gw_fonts_open(&c->fonts, &diag) : NULL;
    if (fs) {
        exe[len] = '\0';
        so.exe = exe;
        so.worker_args = (const char *const *)checked + 2;
        so.n_worker_args = (size_t)n - 2;
        so.fonts = fs;
        status = gw_serve_run(&so);
        gw_fonts_close(fs);
    } else if (status == EXIT_DONE) {
        status = EXIT_USAGE;
    }
    free(checked);
    return status;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            fputs(USAGE, stdout);
            return EXIT_DONE;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("gwpdf %s\n", GWPDF_VERSION);
            return EXIT_DONE;
        }
    }
    cli c = { 0 };
    c.fonts.fonts_dir = GWPDF_FONTS_DIR;
    c.limits = gw_limits_default();
    c.jobs = 1;
    c.out.dpi = GW_PNG_DPI_DEFAULT;
    c.inputs = calloc((size_t)argc, sizeof *c.inputs);
    if (!c.inputs) {
        fputs("gwpdf: out of memory\n", stderr);
        return EXIT_USAGE;
    }
    int status;
    if (argc > 1 && !strcmp(argv[1], "serve"))
        status = cmd_serve(&c, argc, argv);
    else if (parse_args(&c, argc, argv) != EXIT_DONE)
        status = EXIT_USAGE;
    else if (!c.command)
        status = usage_error("%s", "no command given");
    else if (c.fix && strcmp(c.command, "lint") != 0)
        status = usage_error("%s", "--fix is an option of lint");
    else if (!strcmp(c.command, "render"))
        status = cmd_render(&c);
    else if (!strcmp(c.command, "fonts"))
        status = cmd_fonts(&c);
    else if (!strcmp(c.command, "import"))
        status = cmd_import(&c);
    else if (!strcmp(c.command, "lint"))
        status = cmd_lint(&c);
    else
        status = usage_error("unknown command '%s'", c.command);
    free(c.inputs);
    return status;
}
