/* fuzz_sink — what the libFuzzer harnesses (fuzz_render.c, fuzz_docx.c,
 * fuzz_import.c) share: the diagnostics sink, /dev/null, opened once in
 * LLVMFuzzerInitialize and closed at exit, so that each input's messages cost
 * nothing and no stream is left open for LeakSanitizer to see. */
#ifndef GW_FUZZ_SINK_H
#define GW_FUZZ_SINK_H

#include <stdio.h>
#include <stdlib.h>

static FILE *fuzz_sink;

static void fuzz_sink_close(void)
{
    if (fuzz_sink)
        fclose(fuzz_sink);
    fuzz_sink = NULL;
}

/* Opens the sink or stops the harness named `who`. */
static void fuzz_sink_open(const char *who)
{
    fuzz_sink = fopen("/dev/null", "w");
    if (!fuzz_sink) {
        perror(who);
        abort();
    }
}

#endif
