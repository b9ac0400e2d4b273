/* gwpdf — the command line: parses arguments and runs the pipeline
 * model (XML → tree) → fonts (roles → faces) → layout (tree → pages) → PDF.
 *
 * Exit status: 0 done; 1 the input is wrong (invalid XML, a schema violation, a
 * character no font draws); 2 usage or system error (bad arguments, unreadable
 * files, no font for a role, the output cannot be written). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fonts.h"
#include "layout.h"
#include "model.h"
#include "pdfout.h"

enum { EXIT_DONE = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

static const char USAGE[] =
    "usage: gwpdf render IN.xml -o OUT.pdf [options]\n"
    "       gwpdf fonts [options]\n"
    "       gwpdf --help | --version\n"
    "\n"
    "Typesets a report written in format v1 (docs/format.md) as a GB/T 9704-2012\n"
    "official-document PDF.\n"
    "\n"
    "commands:\n"
    "  render IN.xml -o OUT.pdf   validate IN.xml and write OUT.pdf (written only on success)\n"
    "  fonts                      show the face that serves each font role and where it was found\n"
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
    "                             table_cells pages errors); see docs/limits.md\n"
    "  -h, --help                 show this help\n"
    "  --version                  show the version\n"
    "\n"
    "exit status: 0 done, 1 the input is wrong, 2 usage or system error\n";

typedef struct cli {
    const char *command;
    const char *input;
    const char *output;
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

static int parse_args(cli *c, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--font") || !strcmp(a, "--fonts-dir") ||
            !strcmp(a, "--profile") || !strcmp(a, "--option") || !strcmp(a, "--limit")) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", a);
            const char *v = argv[++i];
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
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (!c->command) {
            c->command = a;
        } else if (!c->input) {
            c->input = a;
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
    gw_fonts_close(fs);
    return EXIT_DONE;
}

/* model → fonts → layout → PDF for one document; the exit status. */
static int render_one(const cli *c, gw_diag *diag)
{
    if (access(c->input, R_OK) != 0) {
        /* A file that is not there is a usage error, not a wrong input. */
        gw_error(diag, c->input, 0, 0, "cannot read: %s", strerror(errno));
        return EXIT_USAGE;
    }
    gw_doc *doc = gw_doc_load(c->input, NULL, &c->limits, diag);
    if (!doc)
        return EXIT_INPUT;
    int status = EXIT_USAGE;
    gw_fontset *fs = gw_fonts_open(&c->fonts, diag);
    if (fs) {
        gw_layout_options lo = c->layout;
        lo.max_pages = c->limits.pages;
        gw_layout *lay = gw_layout_document(doc, fs, &lo, diag);
        if (!lay)
            status = EXIT_INPUT;
        else if (gw_pdf_write(lay, fs, &doc->meta, c->output, diag) == 0)
            status = EXIT_DONE;
        gw_layout_free(lay);
        gw_fonts_close(fs);
    }
    gw_doc_free(doc);
    return status;
}

static int cmd_render(const cli *c)
{
    if (!c->input)
        return usage_error("%s", "render needs an input file");
    if (!c->output)
        return usage_error("%s", "render needs -o OUT.pdf");
    gw_diag diag = gw_diag_init(stderr);
    diag.max_errors = (int)(c->limits.errors < INT_MAX ? c->limits.errors : INT_MAX);
    int status = render_one(c, &diag);
    if (diag.errors > diag.max_errors)
        fprintf(stderr, "%s: %d more errors not shown (raise the limit with --limit errors=N)\n",
                c->input, diag.errors - diag.max_errors);
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
    if (parse_args(&c, argc, argv) != EXIT_DONE)
        return EXIT_USAGE;
    if (!c.command)
        return usage_error("%s", "no command given");
    if (!strcmp(c.command, "render"))
        return cmd_render(&c);
    if (!strcmp(c.command, "fonts"))
        return cmd_fonts(&c);
    return usage_error("unknown command '%s'", c.command);
}
