/* Unit tests of the server's modules that need no socket: the JSON answers and
 * the parsing of the CLI's messages (reply.c), the request directory and the
 * names clients may give files (workdir.c), and the worker process with its
 * limits (job.c, run here on /bin/sh).  The HTTP side is tested end to end by
 * tests/e2e/serve.sh and in the browser by tests/browser/serve.test.js. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "job.h"
#include "reply.h"
#include "workdir.h"

static char *json_of(const char *s, size_t len)
{
    gw_buf b = { 0 };
    gw_json_str(&b, s, len);
    assert_false(b.oom);
    return b.s;
}

static void json_escapes_quotes_controls_and_bad_utf8(void **state)
{
    (void)state;
    char *j = json_of("a\"b\\c\n\t\x01 公文", strlen("a\"b\\c\n\t\x01 公文"));
    assert_string_equal(j, "\"a\\\"b\\\\c\\n\\t\\u0001 公文\"");
    free(j);
    /* A lone continuation byte and a truncated sequence: U+FFFD, never raw. */
    j = json_of("x\x80y\xe5\x85", 5);
    assert_string_equal(j, "\"x\\ufffdy\\ufffd\\ufffd\"");
    free(j);
    /* NUL inside the data is escaped, not an end. */
    j = json_of("a\0b", 3);
    assert_string_equal(j, "\"a\\u0000b\"");
    free(j);
}

static void base64_matches_rfc4648_vectors(void **state)
{
    (void)state;
    static const char *const IN[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *const OUT[] = { "\"\"", "\"Zg==\"", "\"Zm8=\"", "\"Zm9v\"", "\"Zm9vYg==\"",
                                       "\"Zm9vYmE=\"", "\"Zm9vYmFy\"" };
    for (size_t i = 0; i < 7; i++) {
        gw_buf b = { 0 };
        gw_json_base64(&b, (const unsigned char *)IN[i], strlen(IN[i]));
        assert_string_equal(b.s ? b.s : "", OUT[i]);
        free(b.s);
    }
}

static void messages_parse_positions_severity_and_names(void **state)
{
    (void)state;
    const char *names[] = { "report.xml", "a:b.xml", "report.docx" };
    const char *line = "report.xml:12:5: element <p> is not allowed here";
    gw_msg m = gw_msg_parse(line, strlen(line), names, 3, true);
    assert_string_equal(m.severity, "error");
    assert_int_equal(m.file_len, 10);
    assert_int_equal(m.line, 12);
    assert_int_equal(m.col, 5);
    assert_memory_equal(m.text, "element <p>", 11);

    line = "report.xml:7: warning: half-width ','";
    m = gw_msg_parse(line, strlen(line), names, 3, false);
    assert_string_equal(m.severity, "warning");
    assert_int_equal(m.line, 7);
    assert_int_equal(m.col, 0);
    assert_memory_equal(m.text, "half-width", 10);

    /* A name with a colon in it, and a .docx's paragraph position. */
    line = "a:b.xml:3:1: x";
    m = gw_msg_parse(line, strlen(line), names, 3, true);
    assert_int_equal(m.file_len, 7);
    assert_int_equal(m.line, 3);
    line = "report.docx:\xc2\xb6" "123: warning: a comment is dropped";
    m = gw_msg_parse(line, strlen(line), names, 3, false);
    assert_int_equal(m.file_len, 11);
    assert_int_equal(m.line, 123);
    assert_string_equal(m.severity, "warning");

    /* No position; the tool's own lines; a file not of the request. */
    line = "report.xml: the source is 9 bytes, more than 8, the limit";
    m = gw_msg_parse(line, strlen(line), names, 3, true);
    assert_int_equal(m.file_len, 10);
    assert_int_equal(m.line, 0);
    assert_memory_equal(m.text, "the source", 10);
    line = "gwpdf: out of memory";
    m = gw_msg_parse(line, strlen(line), names, 3, true);
    assert_int_equal(m.file_len, 0);
    assert_memory_equal(m.text, "out of memory", 13);
    line = "/etc/passwd:1:1: nothing of ours";
    m = gw_msg_parse(line, strlen(line), names, 3, true);
    assert_int_equal(m.file_len, 0);
    assert_int_equal(m.line, 0);
    assert_int_equal(m.text_len, strlen(line));
    /* A line that merely starts like a name is not about it. */
    line = "report.xmlx:1:1: no";
    m = gw_msg_parse(line, strlen(line), names, 3, true);
    assert_int_equal(m.file_len, 0);
}

static void messages_pick_warnings_or_the_rest(void **state)
{
    (void)state;
    const char *names[] = { "r.xml" };
    const char *err = "r.xml:1:2: warning: w1\nr.xml:3:4: e1\n\nr.xml:5: warning: w2\n";
    gw_buf b = { 0 };
    size_t n = 0;
    gw_json_messages(&b, err, names, 1, true, GW_MSG_WARNINGS, &n);
    assert_int_equal(n, 2);
    assert_non_null(strstr(b.s, "\"message\":\"w1\""));
    assert_non_null(strstr(b.s, "\"line\":5,\"col\":0"));
    assert_null(strstr(b.s, "e1"));
    free(b.s);
    b = (gw_buf){ 0 };
    n = 0;
    gw_json_messages(&b, err, names, 1, true, GW_MSG_OTHERS, &n);
    assert_int_equal(n, 1);
    assert_string_equal(b.s, "{\"severity\":\"error\",\"file\":\"r.xml\",\"line\":3,\"col\":4,"
                             "\"message\":\"e1\"}");
    free(b.s);
}

static void upload_names_are_single_plain_names(void **state)
{
    (void)state;
    const char *why;
    static const char *const GOOD[] = { "report.xml", "附件1 情况报告.xml", "seal.png", "a..b" };
    for (size_t i = 0; i < 4; i++)
        assert_true(gw_upload_name_ok(GOOD[i], strlen(GOOD[i]), &why));
    static const char *const BAD[] = { "", ".", "..", ".hidden", "../x", "a/b", "a\\b", "a\nb",
                                       "\xff.xml" };
    for (size_t i = 0; i < 9; i++) {
        why = NULL;
        assert_false(gw_upload_name_ok(BAD[i], strlen(BAD[i]), &why));
        assert_non_null(why);
    }
    char long_name[300];
    memset(long_name, 'a', sizeof long_name);
    assert_false(gw_upload_name_ok(long_name, 256, &why));
    assert_true(gw_upload_name_ok(long_name, 255, &why));
}

static void workdir_is_private_exclusive_and_removed_whole(void **state)
{
    (void)state;
    char parent[] = "/tmp/gw-test-serve-XXXXXX";
    assert_non_null(mkdtemp(parent));
    char dir[PATH_MAX];
    assert_int_equal(gw_workdir_make(parent, "req-", dir), 0);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    int fd = gw_workdir_create(dir, "a.xml");
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "x", 1), 1);
    close(fd);
    /* Never a second file of one name, never through a link. */
    assert_int_equal(gw_workdir_create(dir, "a.xml"), -1);
    assert_int_equal(errno, EEXIST);
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/link", dir);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    assert_int_equal(gw_workdir_create(dir, "link"), -1);
    /* A subfolder with a file, and a link to a folder outside, which must not
     * be followed. */
    char outside[PATH_MAX + 16];
    snprintf(outside, sizeof outside, "%s/outside", parent);
    assert_int_equal(mkdir(outside, 0700), 0);
    snprintf(path, sizeof path, "%s/outside/keep", parent);
    fd = open(path, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    snprintf(path, sizeof path, "%s/dirlink", dir);
    assert_int_equal(symlink(outside, path), 0);
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/sub/p.png", dir);
    fd = open(path, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(gw_workdir_remove(dir), 0);
    assert_int_equal(stat(dir, &st), -1);
    snprintf(path, sizeof path, "%s/outside/keep", parent);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(gw_workdir_remove(parent), 0);
    /* Removing what is not there is no error. */
    assert_int_equal(gw_workdir_remove(parent), 0);
}

static gw_job_result run_sh(const char *script, long cpu, double wall)
{
    char *const argv[] = { "sh", "-c", (char *)script, NULL };
    gw_job_limits lim = { cpu, 0, 16, wall };
    gw_job_result r;
    assert_int_equal(gw_job_run("/bin/sh", argv, "/tmp", &lim, NULL, &r), 0);
    return r;
}

static void job_captures_streams_and_exit_status(void **state)
{
    (void)state;
    gw_job_result r = run_sh("pwd; echo oops >&2; exit 3", 5, 10);
    assert_int_equal(r.end, GW_JOB_EXITED);
    assert_int_equal(r.exit_status, 3);
    assert_string_equal(r.out, "/tmp\n");
    assert_string_equal(r.err, "oops\n");
    gw_job_result_free(&r);
    /* stdin is /dev/null, and no descriptor of ours beyond 0-2 is open. */
    r = run_sh("cat; ls /proc/self/fd | wc -l", 5, 10);
    assert_int_equal(r.exit_status, 0);
    assert_true(atoi(r.out) <= 5);   /* 0 1 2, and ls's own */
    gw_job_result_free(&r);
}

static void job_output_is_capped(void **state)
{
    (void)state;
    gw_job_result r = run_sh("head -c 3000000 /dev/zero | tr '\\0' x", 5, 20);
    assert_int_equal(r.end, GW_JOB_EXITED);
    assert_int_equal(r.out_len, GW_JOB_CAPTURE);
    gw_job_result_free(&r);
}

static void job_limits_end_it(void **state)
{
    (void)state;
    /* CPU: a busy loop is stopped by RLIMIT_CPU (SIGXCPU). */
    gw_job_result r = run_sh("while :; do :; done", 1, 20);
    assert_int_equal(r.end, GW_JOB_CPU);
    gw_job_result_free(&r);
    /* Wall clock: a sleeper is killed at the deadline. */
    r = run_sh("exec sleep 30", 5, 0.5);
    assert_int_equal(r.end, GW_JOB_WALL);
    gw_job_result_free(&r);
    /* A crash is a crash. */
    r = run_sh("kill -SEGV $$", 5, 10);
    assert_int_equal(r.end, GW_JOB_CRASHED);
    assert_int_equal(r.signal, 11);
    gw_job_result_free(&r);
    /* The file-size limit: writing past it fails (SIGXFSZ). */
    r = run_sh("head -c 20000000 /dev/zero > big; s=$?; rm -f big; exit $s", 5, 20);
    assert_true(r.end != GW_JOB_EXITED || r.exit_status != 0);
    gw_job_result_free(&r);
    /* A program that is not there: exit 127, no hang. */
    char *const argv[] = { "nothing", NULL };
    gw_job_limits lim = { 5, 0, 16, 5 };
    assert_int_equal(gw_job_run("/nonexistent/program", argv, "/tmp", &lim, NULL, &r), 0);
    assert_int_equal(r.end, GW_JOB_EXITED);
    assert_int_equal(r.exit_status, 127);
    gw_job_result_free(&r);
}

/* No descriptor left for the pipes: the job does not start, says why, and
 * leaves no streams (the server answers 500 with an empty message list). */
static void job_not_started_says_why(void **state)
{
    (void)state;
    struct rlimit old, few;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
    int used = open("/dev/null", O_RDONLY);
    assert_true(used >= 0);
    few = old;
    few.rlim_cur = (rlim_t)used + 1;   /* no room for one more descriptor */
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &few), 0);
    char *const argv[] = { "sh", "-c", "exit 0", NULL };
    gw_job_limits lim = { 5, 0, 16, 5 };
    gw_job_result r;
    int rc = gw_job_run("/bin/sh", argv, "/tmp", &lim, NULL, &r);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    close(used);
    assert_int_equal(rc, -1);
    assert_int_equal(r.end, GW_JOB_NOT_STARTED);
    assert_non_null(strstr(r.error, "cannot make a pipe"));
    assert_null(r.out);
    assert_null(r.err);
    gw_job_result_free(&r);
}

typedef struct watched {
    int calls, pid;
} watched;

static void note_still_running(void *arg, int pid)
{
    watched *w = arg;
    w->calls++;
    w->pid = pid;
}

static void job_watch_is_told_once_of_a_long_job(void **state)
{
    (void)state;
    char *const argv[] = { "sh", "-c", "sleep 0.6; echo $$", NULL };
    gw_job_limits lim = { 5, 0, 16, 10 };
    watched w = { 0, 0 };
    gw_job_watch watch = { 0.2, note_still_running, &w };
    gw_job_result r;
    assert_int_equal(gw_job_run("/bin/sh", argv, "/tmp", &lim, &watch, &r), 0);
    assert_int_equal(r.exit_status, 0);
    assert_int_equal(w.calls, 1);
    assert_int_equal(w.pid, atoi(r.out));     /* the worker's own pid */
    gw_job_result_free(&r);
    /* A quick job is never reported. */
    char *const quick[] = { "sh", "-c", "exit 0", NULL };
    w = (watched){ 0, 0 };
    watch.after = 2;
    assert_int_equal(gw_job_run("/bin/sh", quick, "/tmp", &lim, &watch, &r), 0);
    assert_int_equal(w.calls, 0);
    gw_job_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_escapes_quotes_controls_and_bad_utf8),
        cmocka_unit_test(base64_matches_rfc4648_vectors),
        cmocka_unit_test(messages_parse_positions_severity_and_names),
        cmocka_unit_test(messages_pick_warnings_or_the_rest),
        cmocka_unit_test(upload_names_are_single_plain_names),
        cmocka_unit_test(workdir_is_private_exclusive_and_removed_whole),
        cmocka_unit_test(job_captures_streams_and_exit_status),
        cmocka_unit_test(job_output_is_capped),
        cmocka_unit_test(job_limits_end_it),
        cmocka_unit_test(job_watch_is_told_once_of_a_long_job),
        cmocka_unit_test(job_not_started_says_why),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
