/* model — the document model: a format-v1 report or a format-v2 公文 (docs/format.md)
 * parsed and validated by libxml2 against schema/report-v1.rng or report-v2.rng,
 * turned into our own tree; a v2 document's attachments bound from other files
 * (attachment src) are loaded into it.
 *
 * No libxml2 type leaves this module.  Text is stored as code points with the
 * source position (line, column) of every character, so later stages can report
 * `FILE:LINE:COL` for a character no font draws.  Whitespace is normalised here
 * (see gw_text); numbering of sections and list items is NOT generated here —
 * the layout does that from the nesting.
 *
 * Called by the CLI (gw_doc_load) and read by the layout. */
#ifndef GW_MODEL_H
#define GW_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "gwlimits.h"
#include "utf8.h"

/* Line and column (1-based; column counted in characters) in the source file. */
typedef struct gw_pos {
    /* int, not long: a position is kept for every character of the document
     * (the model's largest part), and an input is at most a few hundred MiB. */
    int32_t line, col;
} gw_pos;

/* Per-character flags of a gw_text. */
enum {
    GW_CH_BOLD = 1u << 0,   /* inside <b> */
};

/* Inline text after whitespace normalisation:
 *  - leading and trailing whitespace of the block is removed;
 *  - a run of XML whitespace (space, tab, CR, LF) becomes one U+0020, except
 *    that a run containing a line end and touching a CJK character on either
 *    side is removed (authors may wrap long Chinese lines in the source);
 *  - every other character, U+3000 included, is kept exactly as typed. */
typedef struct gw_text {
    uint32_t *cp;      /* code points */
    gw_pos *pos;       /* source position of each code point */
    uint8_t *flags;    /* GW_CH_* of each code point */
    size_t len;
} gw_text;

typedef enum gw_align { GW_ALIGN_JUSTIFY, GW_ALIGN_CENTER, GW_ALIGN_RIGHT } gw_align;

typedef enum gw_block_kind {
    GW_BLOCK_PARA,       /* p: text, indent, align */
    GW_BLOCK_SECTION,    /* section: heading + children */
    GW_BLOCK_LIST,       /* list: children are GW_BLOCK_ITEM */
    GW_BLOCK_ITEM,       /* item: text of one numbered paragraph */
    GW_BLOCK_TABLE,      /* table: parsed and validated; see gw_table */
    GW_BLOCK_PAGEBREAK,  /* pagebreak */
} gw_block_kind;

typedef struct gw_cell {
    gw_text text;        /* the cell's paragraphs joined by GW_CP_LINE_BREAK */
    bool header;         /* th */
    int colspan, rowspan;
    int col;             /* first grid column it covers (0-based), resolved by the model */
    bool align_set;      /* align was given (else th centres, td is flush left: cells are set ragged) */
    gw_align align;
    gw_pos pos;          /* its start tag */
} gw_cell;

typedef struct gw_row {
    gw_cell *cells;
    size_t n_cells;
    bool in_head;        /* row of thead */
    gw_pos pos;
} gw_row;

/* A table whose structure the model has checked: every cell lies inside the
 * grid of `n_grid_cols` columns and its rows (a rowspan stays within thead or
 * within the body), and no two cells overlap.  Slots no cell covers are left
 * empty. */
typedef struct gw_table {
    gw_text caption;     /* len 0 when absent */
    char **col_widths;   /* width attribute of each col, as typed ("2*", "30mm") */
    size_t n_cols;       /* col elements */
    size_t n_grid_cols;  /* columns of the grid: n_cols, or the first row's spans without col */
    gw_row *rows;
    size_t n_rows;
    size_t n_head_rows;  /* the first n_head_rows rows are thead's */
    bool landscape;
} gw_table;

typedef struct gw_block {
    gw_block_kind kind;
    gw_pos pos;                  /* position of the element's start tag */
    /* PARA, ITEM */
    gw_text text;
    bool indent;                 /* first-line indent (indent="0" clears it) */
    gw_align align;
    /* SECTION */
    int level;                   /* 1..4: numbering style (level attribute or depth) */
    gw_text heading;
    gw_pos heading_pos;
    bool runin;                  /* heading runs into the first paragraph */
    bool numbered;               /* false for number="none" */
    /* SECTION, LIST */
    struct gw_block *children;
    size_t n_children;
    /* TABLE */
    gw_table *table;
} gw_block;

typedef enum gw_profile { GW_PROFILE_GB, GW_PROFILE_WORD_GRID } gw_profile;

/* A seal or signature stamp image named by the source. */
typedef struct gw_seal_ref {
    char *src;                   /* path as typed (relative to the source file) */
    double diameter_mm;          /* 0 when not given */
    gw_pos pos;                  /* the element */
} gw_seal_ref;

/* 落款: issuers (several for 联合行文, in organ order), the date, and either one
 * seal per issuer (the same order), no seal, or a signer's stamp (签名章) with
 * the signer's title beside it (format v2). */
typedef struct gw_signature {
    gw_text *issuers;            /* n_issuers of them; 0 when none */
    size_t n_issuers;
    gw_text date;                /* as printed: ISO dates become 2023年3月15日; len 0 when absent */
    bool has_date;
    gw_seal_ref *seals;          /* n_seals of them */
    size_t n_seals;
    bool has_stamp;              /* signer-stamp: stamp and stamp_title */
    gw_seal_ref stamp;
    gw_text stamp_title;         /* 职务, e.g. 局长 */
    gw_pos pos;
} gw_signature;

typedef struct gw_meta {
    char *title, *author, *subject, *keywords;   /* UTF-8, NULL when absent */
} gw_meta;

typedef enum gw_doc_kind {
    GW_KIND_GENERAL,             /* 通用格式 (and every version 1 report) */
    GW_KIND_LETTER,              /* 信函格式 */
    GW_KIND_ORDER,               /* 命令格式 */
    GW_KIND_MINUTES,             /* 纪要格式 */
} gw_doc_kind;

/* 版头 (format v2).  Texts of len 0 are absent. */
typedef struct gw_header {
    gw_text copy;                /* 份号: six digits */
    gw_text secrecy;             /* 密级 */
    gw_text period;              /* 保密期限, printed after ★ */
    gw_text urgency;             /* 紧急程度 */
    gw_text *marks;              /* 发文机关标志, lead organ first */
    size_t n_marks;
    gw_text suffix;              /* 文件, printed once right of the marks */
    gw_text doc_number;          /* 发文字号 */
    gw_text *signers;            /* 签发人: any makes the document an upward one */
    size_t n_signers;
    gw_pos pos;
} gw_header;

/* 纪要's attendance: 出席, 请假, 列席 (len 0 when absent). */
typedef struct gw_attendance {
    gw_text present, absent, attending;
} gw_attendance;

/* 版记. */
typedef struct gw_record {
    gw_text cc;                  /* 抄送 organs, typed with the final 。; len 0 when absent */
    gw_text distributor;         /* 印发机关; len 0 when absent */
    gw_text distributed;         /* printed 印发日期 (2023年3月15日) */
    gw_pos pos;
} gw_record;

struct gw_doc;

/* An attachment (附件) or a document this one issues (role="issued"). */
typedef struct gw_attachment {
    struct gw_doc *doc;          /* its title, body, signature (owned); NULL when not bound */
    gw_text title;               /* the title as listed (line breaks removed), or its name= */
    gw_text label;               /* label= (replaces 附件), len 0 when absent */
    bool bound;                  /* printed after the document (bound="false": listed only) */
    bool issued;                 /* role="issued": no label, not in the 附件说明 */
    gw_pos pos;
} gw_attachment;

typedef struct gw_doc {
    char *path;                  /* the source path, as given */
    int version;                 /* 1: <report>, 2: <document> */
    gw_doc_kind kind;
    bool duplex;                 /* the 版记 goes on an even page */
    gw_profile profile;
    int first_page_number;
    bool page_numbers;
    gw_meta meta;
    gw_header *header;           /* NULL when absent */
    gw_text label;               /* len 0 when absent */
    gw_pos label_pos;
    gw_text title;               /* len 0 only in an order without a title */
    gw_pos title_pos;
    gw_text subtitle;            /* len 0 when absent */
    gw_text to;                  /* 主送; len 0 when absent */
    gw_attendance *attendance;   /* NULL when absent */
    gw_block *blocks;            /* body blocks in order */
    size_t n_blocks;
    gw_signature *signature;     /* NULL when absent */
    gw_text note;                /* 附注; len 0 when absent */
    gw_pos note_pos;
    gw_attachment *attachments;  /* in order, bound or not */
    size_t n_attachments;
    gw_record *record;           /* NULL when absent */
} gw_doc;

/* Parse and validate `path` against the RELAX NG schema at `schema_path`
 * (NULL: the schema compiled into the program for the source's version:
 * schema/report-v1.rng for <report>, schema/report-v2.rng for <document>), within
 * `limits` (NULL: gw_limits_default(); the source's size, elements, nesting,
 * text and table cells are checked before validation; attachments bound with
 * src count towards the same limits).  A version 2 document's attachment
 * sources are loaded too (relative paths inside the document's folder only).
 * On success returns a new document the caller frees with gw_doc_free.
 * On failure reports every error found to `diag` and returns NULL. */
gw_doc *gw_doc_load(const char *path, const char *schema_path, const gw_limits *limits,
                    gw_diag *diag);

/* The same from a memory buffer; `name` is used in messages. */
gw_doc *gw_doc_load_memory(const char *name, const char *data, size_t len,
                           const char *schema_path, const gw_limits *limits, gw_diag *diag);

void gw_doc_free(gw_doc *doc);

/* UTF-8 copy of a text (GW_CP_LINE_BREAK written as '\n'); caller frees. */
char *gw_text_utf8(const gw_text *t);

#endif
