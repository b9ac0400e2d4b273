/* Unit tests of fileio.c and outfile.c: opens that never block, reads bounded
 * whatever the file type, output targets (regular files replaced through
 * links, devices and FIFOs written in place, directories and inputs refused). */
#define _DEFAULT_SOURCE  /* mkdtemp, symlink */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "diag.h"
#include "fileio.h"
#include "outfile.h"

typedef struct fixture {
    char dir[64];
    char path[128];
    char *log;
    size_t log_len;
    FILE *sink;
    gw_diag diag;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    strcpy(f->dir, "/tmp/gwpdf-fileio-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    f->sink = open_memstream(&f->log, &f->log_len);
    f->diag = gw_diag_init(f->sink);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    fclose(f->sink);
    free(f->log);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static const char *at(fixture *f, const char *name)
{
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    return f->path;
}

static const char *messages(fixture *f)
{
    fflush(f->sink);
    return f->log ? f->log : "";
}

static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* A FIFO with no writer opens at once and is refused where a file is meant. */
static void test_open_regular_refuses_fifo_and_directory(void **state)
{
    fixture *f = *state;
    const char *why = NULL;
    assert_int_equal(mkfifo(at(f, "fifo"), 0600), 0);
    assert_int_equal(gw_open_regular(f->path, &why), -1);
    assert_string_equal(why, "is a FIFO (named pipe), not a regular file");
    assert_int_equal(gw_open_regular(f->dir, &why), -1);
    assert_string_equal(why, "is a directory");
    assert_int_equal(gw_open_regular(at(f, "absent"), &why), -1);
    assert_string_equal(why, strerror(ENOENT));
    put(at(f, "file"), "x");
    int fd = gw_open_regular(f->path, &why);
    assert_true(fd >= 0);
    assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);      /* blocking again for the reads */
    close(fd);
    /* An input may be a FIFO; with no writer a read sees the end at once. */
    fd = gw_open_input(at(f, "fifo"), &why);
    assert_true(fd >= 0);
    size_t len = 99;
    char *data = gw_read_fd(fd, 10, &len);
    assert_non_null(data);
    assert_int_equal(len, 0);
    free(data);
    close(fd);
}

/* The bound holds for a stream with no size: one byte past it is refused. */
static void test_read_fd_bounded(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    char block[100];
    memset(block, 'a', sizeof block);
    assert_int_equal(write(p[1], block, sizeof block), (ssize_t)sizeof block);
    close(p[1]);
    size_t len;
    errno = 0;
    assert_null(gw_read_fd(p[0], 99, &len));
    assert_int_equal(errno, EFBIG);
    close(p[0]);
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], block, sizeof block), (ssize_t)sizeof block);
    close(p[1]);
    char *data = gw_read_fd(p[0], 100, &len);
    assert_non_null(data);
    assert_int_equal(len, 100);
    assert_int_equal(data[100], '\0');
    free(data);
    close(p[0]);
    /* /dev/zero never ends: the bound ends it. */
    int z = open("/dev/zero", O_RDONLY);
    assert_true(z >= 0);
    assert_null(gw_read_fd(z, 1 << 20, &len));
    assert_int_equal(errno, EFBIG);
    close(z);
}

static void test_read_file_reports_the_bound(void **state)
{
    fixture *f = *state;
    size_t len;
    assert_null(gw_read_file("/dev/zero", 1000, &len, &f->diag));
    assert_int_equal(errno, EFBIG);
    assert_string_equal(messages(f), "/dev/zero: the file is more than 1000 bytes, the limit "
                                     "(raise it with --limit bytes=N)\n");
}

/* A regular file is replaced atomically; through a link, the link stays. */
static void test_write_output_replaces_through_a_link(void **state)
{
    fixture *f = *state;
    char target[128], link[128];
    snprintf(target, sizeof target, "%s", at(f, "target.xml"));
    snprintf(link, sizeof link, "%s", at(f, "link.xml"));
    put(target, "old");
    chmod(target, 0600);
    assert_int_equal(symlink("target.xml", link), 0);
    assert_int_equal(gw_write_output(link, NULL, 0, "new", 3, &f->diag), 0);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_size, 3);
    assert_int_equal(st.st_mode & 0777, 0600);          /* the old file's permissions kept */
    assert_string_equal(messages(f), "");
}

/* Output = input, through a hard link: refused, the input untouched. */
static void test_output_is_an_input(void **state)
{
    fixture *f = *state;
    char in[128], hard[128];
    snprintf(in, sizeof in, "%s", at(f, "in.txt"));
    snprintf(hard, sizeof hard, "%s", at(f, "hard.txt"));
    put(in, "source");
    assert_int_equal(link(in, hard), 0);
    const char *inputs[] = { in };
    assert_int_equal(gw_write_output(hard, inputs, 1, "x", 1, &f->diag), -1);
    assert_non_null(strstr(messages(f), "is the input"));
    struct stat st;
    assert_int_equal(stat(in, &st), 0);
    assert_int_equal(st.st_size, 6);
    assert_true(gw_same_file(hard, in));
    assert_false(gw_same_file(at(f, "absent"), in));
}

static void test_targets_refused_or_in_place(void **state)
{
    fixture *f = *state;
    gw_out_target t;
    assert_int_equal(gw_out_target_open(&t, f->dir, NULL, 0, &f->diag), -1);
    assert_non_null(strstr(messages(f), "cannot write the output into a directory"));
    assert_int_equal(gw_out_target_open(&t, "", NULL, 0, &f->diag), -1);
    assert_int_equal(mkfifo(at(f, "fifo"), 0600), 0);
    assert_int_equal(gw_out_target_open(&t, f->path, NULL, 0, &f->diag), 0);
    assert_true(t.in_place);
    gw_out_target_free(&t);
    /* Nobody reads the FIFO: the write fails at once instead of blocking. */
    assert_int_equal(gw_write_output(at(f, "fifo"), NULL, 0, "x", 1, &f->diag), -1);
    assert_non_null(strstr(messages(f), "no process is reading this FIFO"));
    assert_int_equal(gw_out_target_open(&t, at(f, "new.pdf"), NULL, 0, &f->diag), 0);
    assert_false(t.in_place);
    gw_out_target_free(&t);
}

/* A device node (made here, never the machine's /dev/null) stays a device. */
static void test_device_written_in_place(void **state)
{
    fixture *f = *state;
    if (mknod(at(f, "null"), S_IFCHR | 0666, makedev(1, 3)) != 0) {
        print_message("not run: mknod needs root\n");
        return;
    }
    assert_int_equal(gw_write_output(f->path, NULL, 0, "pdf", 3, &f->diag), 0);
    struct stat st;
    assert_int_equal(stat(f->path, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    assert_int_equal(mknod(at(f, "full"), S_IFCHR | 0666, makedev(1, 7)), 0);
    assert_int_equal(gw_write_output(f->path, NULL, 0, "pdf", 3, &f->diag), -1);
    assert_non_null(strstr(messages(f), strerror(ENOSPC)));
    assert_int_equal(stat(f->path, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_regular_refuses_fifo_and_directory, setup, teardown),
        cmocka_unit_test(test_read_fd_bounded),
        cmocka_unit_test_setup_teardown(test_read_file_reports_the_bound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_output_replaces_through_a_link, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_is_an_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_targets_refused_or_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_written_in_place, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
