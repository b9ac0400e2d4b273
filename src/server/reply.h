/* reply — the JSON the server answers with: strings escaped (bytes that are
 * not UTF-8 become U+FFFD, so the answer is always valid JSON), files as
 * base64, and the CLI's messages — one `FILE:LINE:COL: message` line each on
 * the worker's stderr (diag.h) — as objects
 * {"severity", "file", "line", "col", "message"}.
 *
 * Called by serve.c; pure functions over a gw_buf (textbuf.h). */
#ifndef GW_SERVER_REPLY_H
#define GW_SERVER_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "textbuf.h"

/* s[0..len) as a JSON string, quotes included. */
void gw_json_str(gw_buf *b, const char *s, size_t len);
/* data[0..len) as a JSON string of its base64 (RFC 4648, padded). */
void gw_json_base64(gw_buf *b, const unsigned char *data, size_t len);

/* Which of the messages to write. */
typedef enum gw_msg_pick { GW_MSG_ALL, GW_MSG_WARNINGS, GW_MSG_OTHERS } gw_msg_pick;

/* One parsed message line; the strings point into the line. */
typedef struct gw_msg {
    const char *severity;        /* "error", "warning" or "note" */
    const char *file;            /* one of the request's names, or "" */
    size_t file_len;
    long line, col;              /* 0 when not given */
    const char *text;
    size_t text_len;
} gw_msg;

/* Parse the line s[0..len) (no newline).  `names` are the request's file names,
 * which a line starts with when it is about one of them; `failed`: the command
 * failed, so a line with no "warning:" is an error (else a note). */
gw_msg gw_msg_parse(const char *s, size_t len, const char *const *names, size_t n_names,
                    bool failed);

/* The messages of `err` (the worker's stderr) picked by `pick`, as JSON
 * objects separated by commas (the caller writes the brackets); *count is
 * increased by the number written. */
void gw_json_messages(gw_buf *b, const char *err, const char *const *names, size_t n_names,
                      bool failed, gw_msg_pick pick, size_t *count);

#endif
