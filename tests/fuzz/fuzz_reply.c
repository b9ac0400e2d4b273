/* fuzz_reply — libFuzzer harness for what the server writes from what a
 * worker printed (src/server/reply.c): the CLI's `FILE:LINE:COL: message`
 * lines, whose messages quote the client's own text and file names, parsed and
 * written as JSON.  The input's first line is the request's file names,
 * separated by '|'; the rest is the worker's stderr.  A finding is a crash, a
 * sanitizer report, or an answer that is not valid JSON: a byte under 0x20 or
 * not UTF-8 inside it, a string left open, an escape JSON does not have, a
 * message about a file not of the request.
 *
 * Called by libFuzzer; built only with -DGWPDF_FUZZ=ON; run by
 * `scripts/fuzz.sh --reply` (docs/fuzzing.md). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The JSON text of objects written by gw_json_messages, checked the way a
 * strict parser reads strings; false at the first fault. */
static bool json_strings_ok(const char *s, size_t n)
{
    bool in = false;
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20)
            return false;
        if (ch >= 0x80) {
            uint32_t cp;
            size_t k = gw_utf8_decode((const unsigned char *)s + i, n - i, &cp);
            if (k == 0)
                return false;
            i += k;
            continue;
        }
        if (in && ch == '\\') {
            if (i + 1 >= n || !strchr("\"\\/bfnrtu", s[i + 1]))
                return false;
            if (s[i + 1] == 'u') {
                for (size_t h = 2; h < 6; h++)
                    if (i + h >= n || !strchr("0123456789abcdefABCDEF", s[i + h]))
                        return false;
                i += 6;
            } else {
                i += 2;
            }
            continue;
        }
        if (ch == '"')
            in = !in;
        i++;
    }
    return !in;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* Names: the first line, split at '|' (at most 4). */
    char *nl = strchr(text, '\n');
    char *err = nl ? nl + 1 : text + strlen(text);
    if (nl)
        *nl = '\0';
    const char *names[4];
    size_t n_names = 0;
    for (char *p = text; nl && n_names < 4;) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        if (*p)
            names[n_names++] = p;
        if (!bar)
            break;
        p = bar + 1;
    }
    static const gw_msg_pick PICKS[] = { GW_MSG_ALL, GW_MSG_WARNINGS, GW_MSG_OTHERS };
    size_t counts[3] = { 0, 0, 0 };
    for (int k = 0; k < 3; k++) {
        gw_buf b = { 0 };
        gw_json_messages(&b, err, names, n_names, k == 1, PICKS[k], &counts[k]);
        if (b.oom || (b.n && !json_strings_ok(b.s, b.n)))
            abort();
        free(b.s);
    }
    /* Warnings and the rest make up all of them. */
    if (counts[0] != counts[1] + counts[2])
        abort();
    /* Each line parsed alone: its file is one of the names or none. */
    for (const char *s = err; *s;) {
        const char *end = strchr(s, '\n');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        gw_msg m = gw_msg_parse(s, len, names, n_names, true);
        bool known = m.file_len == 0;
        for (size_t i = 0; i < n_names && !known; i++)
            known = m.file == names[i] && m.file_len == strlen(names[i]);
        if (!known || m.line < 0 || m.col < 0 || m.text < s || m.text + m.text_len > s + len)
            abort();
        s += len + (end != NULL);
    }
    free(text);
    return 0;
}
