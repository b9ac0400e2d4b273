/* reply — JSON answers of the server (see reply.h). */
#include "reply.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

void gw_json_str(gw_buf *b, const char *s, size_t len)
{
    gw_buf_put(b, "\"", 1);
    for (size_t i = 0; i < len;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 0x80) {
            uint32_t cp;
            size_t n = gw_utf8_decode((const unsigned char *)s + i, len - i, &cp);
            if (n == 0) {
                gw_buf_str(b, "\\ufffd");
                i++;
            } else {
                gw_buf_put(b, s + i, n);
                i += n;
            }
            continue;
        }
        if (ch == '"' || ch == '\\') {
            gw_buf_put(b, "\\", 1);
            gw_buf_put(b, s + i, 1);
        } else if (ch == '\n') {
            gw_buf_str(b, "\\n");
        } else if (ch == '\t') {
            gw_buf_str(b, "\\t");
        } else if (ch < 0x20 || ch == 0x7F) {
            gw_buf_printf(b, "\\u%04x", ch);
        } else {
            gw_buf_put(b, s + i, 1);
        }
        i++;
    }
    gw_buf_put(b, "\"", 1);
}

void gw_json_base64(gw_buf *b, const unsigned char *data, size_t len)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    gw_buf_put(b, "\"", 1);
    char quad[4];
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)data[i + 1] << 8;
        if (i + 2 < len)
            v |= data[i + 2];
        quad[0] = A[(v >> 18) & 63];
        quad[1] = A[(v >> 12) & 63];
        quad[2] = i + 1 < len ? A[(v >> 6) & 63] : '=';
        quad[3] = i + 2 < len ? A[v & 63] : '=';
        gw_buf_put(b, quad, 4);
    }
    gw_buf_put(b, "\"", 1);
}

/* Digits at *s (advanced past them) as a number; -1 when there are none. */
static long take_number(const char **s, const char *end)
{
    long v = 0;
    const char *p = *s;
    while (p < end && *p >= '0' && *p <= '9' && v < 100000000)
        v = v * 10 + (*p++ - '0');
    if (p == *s)
        return -1;
    *s = p;
    return v;
}

/* ":LINE" or ":LINE:COL" (a .docx line is "¶N") then ": "; fills m, or leaves
 * it when the text does not have that shape. */
static const char *take_position(const char *p, const char *end, gw_msg *m)
{
    static const char PILCROW[] = "\xc2\xb6";
    const char *q = p + 1;
    if ((size_t)(end - q) >= 2 && !memcmp(q, PILCROW, 2))
        q += 2;
    long line = take_number(&q, end);
    if (line < 0)
        return p;
    long col = 0;
    if (q < end && *q == ':' && q + 1 < end && q[1] >= '0' && q[1] <= '9') {
        q++;
        col = take_number(&q, end);
    }
    if (q + 1 < end && q[0] == ':' && q[1] == ' ') {
        m->line = line;
        m->col = col;
        return q;
    }
    return p;
}

gw_msg gw_msg_parse(const char *s, size_t len, const char *const *names, size_t n_names,
                    bool failed)
{
    gw_msg m = { failed ? "error" : "note", "", 0, 0, 0, s, len };
    const char *end = s + len, *p = NULL;
    static const char TOOL[] = "gwpdf: ";
    if (len >= sizeof TOOL - 1 && !memcmp(s, TOOL, sizeof TOOL - 1)) {
        p = s + sizeof TOOL - 3;   /* at ": " */
    } else {
        size_t best = 0;
        for (size_t i = 0; i < n_names; i++) {
            size_t n = strlen(names[i]);
            if (n > best && n < len && !memcmp(s, names[i], n) && s[n] == ':') {
                best = n;
                m.file = names[i];
                m.file_len = n;
            }
        }
        if (best)
            p = take_position(s + best, end, &m);
    }
    if (p && p + 1 < end && p[0] == ':' && p[1] == ' ') {
        m.text = p + 2;
        m.text_len = (size_t)(end - m.text);
    } else {
        m.file = "";
        m.file_len = 0;
        m.line = m.col = 0;
    }
    static const char WARN[] = "warning: ";
    if (m.text_len >= sizeof WARN - 1 && !memcmp(m.text, WARN, sizeof WARN - 1)) {
        m.severity = "warning";
        m.text += sizeof WARN - 1;
        m.text_len -= sizeof WARN - 1;
    }
    return m;
}

static void message_json(gw_buf *b, const gw_msg *m)
{
    gw_buf_str(b, "{\"severity\":\"");
    gw_buf_str(b, m->severity);
    gw_buf_str(b, "\",\"file\":");
    gw_json_str(b, m->file, m->file_len);
    gw_buf_printf(b, ",\"line\":%ld,\"col\":%ld,\"message\":", m->line, m->col);
    gw_json_str(b, m->text, m->text_len);
    gw_buf_str(b, "}");
}

void gw_json_messages(gw_buf *b, const char *err, const char *const *names, size_t n_names,
                      bool failed, gw_msg_pick pick, size_t *count)
{
    for (const char *s = err; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (len > 0) {
            gw_msg m = gw_msg_parse(s, len, names, n_names, failed);
            bool warning = !strcmp(m.severity, "warning");
            if (pick == GW_MSG_ALL || (pick == GW_MSG_WARNINGS) == warning) {
                if (*count)
                    gw_buf_str(b, ",");
                message_json(b, &m);
                ++*count;
            }
        }
        s += len + (nl != NULL);
    }
}
