/* job — a worker process for one request (see job.h). */
#define _GNU_SOURCE  /* pipe2, close_range */
#include "job.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"

extern char **environ;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void limit(int resource, rlim_t soft, rlim_t hard)
{
    struct rlimit rl = { soft, hard };
    setrlimit(resource, &rl);
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void become_worker(const char *exe, char *const argv[], const char *dir,
                          const gw_job_limits *lim, int out_fd, int err_fd)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);   /* the server blocks SIGTERM/SIGINT for sigwait */
    signal(SIGPIPE, SIG_DFL);
    if (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0 || chdir(dir) != 0)
        _exit(127);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || dup2(devnull, STDIN_FILENO) < 0)
        _exit(127);
    /* Nothing of the server's survives: its listening socket, its clients. */
    close_range(3, ~0u, 0);
    limit(RLIMIT_CPU, (rlim_t)lim->cpu_seconds, (rlim_t)lim->cpu_seconds + 1);
    if (lim->memory_mib > 0)
        limit(RLIMIT_AS, (rlim_t)lim->memory_mib << 20, (rlim_t)lim->memory_mib << 20);
    limit(RLIMIT_FSIZE, (rlim_t)lim->file_mib << 20, (rlim_t)lim->file_mib << 20);
    limit(RLIMIT_CORE, 0, 0);
    limit(RLIMIT_NOFILE, 64, 64);
    execve(exe, argv, environ);
    _exit(127);
}

/* One of the worker's streams, kept as it comes (a few hundred bytes of
 * messages as a rule: the buffer grows with them, up to GW_JOB_CAPTURE). */
typedef struct capture {
    int fd;
    char *buf;
    size_t len, cap;
    bool lost;               /* out of memory: what came after was dropped */
} capture;

/* Read what is there; false at end of file. */
static bool capture_read(capture *c)
{
    char chunk[16384];
    ssize_t n = read(c->fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return true;
    if (n <= 0)
        return false;
    size_t keep = c->len + (size_t)n > GW_JOB_CAPTURE ? GW_JOB_CAPTURE - c->len : (size_t)n;
    if (keep && !c->lost && gw_grow(&c->buf, &c->cap, c->len + keep + 1, 1)) {
        memcpy(c->buf + c->len, chunk, keep);
        c->len += keep;
    } else if (keep) {
        c->lost = true;
    }
    return true;
}

/* The stream as a NUL-terminated string in *out (NULL when out of memory). */
static void capture_take(capture *c, char **out, size_t *len)
{
    if (!c->buf)
        gw_grow(&c->buf, &c->cap, 1, 1);
    if (c->buf)
        c->buf[c->len] = '\0';
    *out = c->buf;
    *len = c->buf ? c->len : 0;
}

/* Collect both streams until both end or the deadline passes; true if in time. */
static bool collect(capture *cap, double deadline, const gw_job_watch *watch, double watch_at,
                    pid_t pid)
{
    bool open_[2] = { true, true }, told = !watch || !watch->still_running;
    while (open_[0] || open_[1]) {
        double now = now_seconds(), left = deadline - now;
        if (left <= 0)
            return false;
        if (!told && now >= watch_at) {
            watch->still_running(watch->arg, (int)pid);
            told = true;
        }
        if (!told && watch_at - now < left)
            left = watch_at - now;
        struct pollfd p[2];
        nfds_t n = 0;
        int which[2];
        for (int i = 0; i < 2; i++)
            if (open_[i]) {
                p[n].fd = cap[i].fd;
                p[n].events = POLLIN;
                which[n++] = i;
            }
        int rc = poll(p, n, (int)(left * 1000) + 1);
        if (rc < 0 && errno != EINTR)
            return false;
        for (nfds_t k = 0; rc > 0 && k < n; k++)
            if (p[k].revents && !capture_read(&cap[which[k]]))
                open_[which[k]] = false;
    }
    return true;
}

static void classify(gw_job_result *r, int ws, bool killed_on_time, const gw_job_limits *lim)
{
    if (killed_on_time) {
        r->end = GW_JOB_WALL;
    } else if (WIFEXITED(ws)) {
        r->exit_status = WEXITSTATUS(ws);
        r->end = r->exit_status != 0 && lim->memory_mib > 0 && strstr(r->err, "out of memory")
                     ? GW_JOB_MEMORY : GW_JOB_EXITED;
    } else if (WIFSIGNALED(ws)) {
        r->signal = WTERMSIG(ws);
        if (r->signal == SIGXCPU)
            r->end = GW_JOB_CPU;
        else if (r->signal == SIGKILL)
            r->end = GW_JOB_MEMORY;   /* not ours: the kernel's out-of-memory killer */
        else
            r->end = GW_JOB_CRASHED;
    } else {
        r->end = GW_JOB_CRASHED;
    }
}

static int not_started(gw_job_result *r, const char *what)
{
    r->end = GW_JOB_NOT_STARTED;
    snprintf(r->error, sizeof r->error, "%s: %s", what, strerror(errno));
    return -1;
}

int gw_job_run(const char *exe, char *const argv[], const char *dir, const gw_job_limits *lim,
               const gw_job_watch *watch, gw_job_result *r)
{
    memset(r, 0, sizeof *r);
    capture cap[2] = { { .fd = -1 }, { .fd = -1 } };
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0)
        return not_started(r, "cannot make a pipe");
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        int err = errno;
        close(out_pipe[0]);
        close(out_pipe[1]);
        errno = err;
        return not_started(r, "cannot make a pipe");
    }
    double start = now_seconds(), deadline = start + lim->wall_seconds;
    pid_t pid = fork();
    if (pid == 0)
        become_worker(exe, argv, dir, lim, out_pipe[1], err_pipe[1]);
    int fork_errno = errno;
    close(out_pipe[1]);
    close(err_pipe[1]);
    cap[0].fd = out_pipe[0];
    cap[1].fd = err_pipe[0];
    bool in_time = pid > 0 && collect(cap, deadline, watch, start + (watch ? watch->after : 0), pid);
    close(out_pipe[0]);
    close(err_pipe[0]);
    capture_take(&cap[0], &r->out, &r->out_len);
    capture_take(&cap[1], &r->err, &r->err_len);
    if (pid < 0) {
        errno = fork_errno;
        gw_job_result_free(r);
        return not_started(r, "cannot start a worker process");
    }
    int ws = 0;
    /* Its streams closed, it should end at once; it is killed if not in time. */
    while (in_time && waitpid(pid, &ws, WNOHANG) == 0) {
        if (now_seconds() > deadline)
            in_time = false;
        else
            usleep(1000);
    }
    if (!in_time) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
    }
    if (!r->out || !r->err) {
        gw_job_result_free(r);
        errno = ENOMEM;
        return not_started(r, "out of memory");
    }
    classify(r, ws, !in_time, lim);
    return 0;
}

void gw_job_result_free(gw_job_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
    r->out_len = r->err_len = 0;
}
