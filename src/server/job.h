/* job — runs one request's work in a worker process: the gwpdf binary itself,
 * executed afresh with the CLI's arguments, inside the request's private
 * directory, under CPU-time, memory, file-size and open-file rlimits, with a
 * wall-clock deadline after which it is killed.
 *
 * Why a fresh process and not a thread or a bare fork: a hostile document may
 * exhaust memory, spin or crash the code that reads it, and none of that may
 * touch the server; exec gives the work an address space of its own with
 * nothing of the server's (its sockets, its other requests' data), and the
 * CLI it runs is the one users run, so the server's PDF is the CLI's PDF.
 * The cost is the CLI's start (fonts opened again), a few milliseconds.
 *
 * Called by the server's request handlers (serve.c); safe to call from many
 * threads at once (fork+exec, nothing shared). */
#ifndef GW_SERVER_JOB_H
#define GW_SERVER_JOB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct gw_job_limits {
    long cpu_seconds;      /* RLIMIT_CPU */
    long memory_mib;       /* RLIMIT_AS (0: none — an ASan build reserves terabytes) */
    long file_mib;         /* RLIMIT_FSIZE: the largest file the worker may write */
    double wall_seconds;   /* killed after this long, whatever it is doing */
} gw_job_limits;

/* Told once, `after` seconds into the job, that it is still running (the
 * server then lets it make way for short jobs: serve.c, the gate); NULL: never. */
typedef struct gw_job_watch {
    double after;
    void (*still_running)(void *arg, int pid);
    void *arg;
} gw_job_watch;

typedef enum gw_job_end {
    GW_JOB_EXITED,         /* exit_status is the CLI's */
    GW_JOB_CPU,            /* killed: CPU-time limit */
    GW_JOB_MEMORY,         /* stopped by the memory limit (out of memory or killed on it) */
    GW_JOB_WALL,           /* killed: the wall-clock deadline */
    GW_JOB_CRASHED,        /* another signal: a bug (signal says which) */
    GW_JOB_NOT_STARTED     /* fork or pipe failed: the server's fault (error says why) */
} gw_job_end;

typedef struct gw_job_result {
    gw_job_end end;
    int exit_status;
    int signal;
    char *out;             /* the worker's stdout and stderr, NUL-terminated, each; */
    size_t out_len;        /* capped at GW_JOB_CAPTURE bytes (the rest is dropped); */
                           /* NULL when the job did not start */
    char *err;
    size_t err_len;
    char error[128];       /* GW_JOB_NOT_STARTED: why */
} gw_job_result;

#define GW_JOB_CAPTURE (1u << 20)

/* Run `exe` with argv (argv[0] included, NULL-terminated) in directory `dir`,
 * environment inherited, watched by `watch` (may be NULL).  Fills *r (free its buffers with gw_job_result_free);
 * returns 0, or -1 with r->end == GW_JOB_NOT_STARTED. */
int gw_job_run(const char *exe, char *const argv[], const char *dir, const gw_job_limits *lim,
               const gw_job_watch *watch, gw_job_result *r);
void gw_job_result_free(gw_job_result *r);

#endif
