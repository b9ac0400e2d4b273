/* lanes — jobs shared between the calling thread and one worker (see lanes.h).
 * Called by the PDF and OFD outputs' font embedding. */
#include "lanes.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct lane {
    const size_t *order;     /* every item, largest cost first */
    const unsigned char *of; /* of[k]: the lane of order[k] */
    size_t n;
    int id;
    gw_lane_job job;
    void *arg;
    bool ok;
} lane;

static void *lane_run(void *arg)
{
    lane *l = arg;
    for (size_t k = 0; k < l->n; k++)
        if (l->of[k] == l->id && l->job(l->arg, l->order[k], l->id) != 0)
            l->ok = false;
    return NULL;
}

/* order[] sorted by decreasing cost, ties kept in item order (insertion sort:
 * a document has a handful of faces). */
static void by_cost(size_t *order, const size_t *cost, size_t n)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && cost[order[k]] > cost[order[k - 1]]; k--) {
            size_t t = order[k];
            order[k] = order[k - 1];
            order[k - 1] = t;
        }
}

int gw_lanes_run(size_t n, const size_t *cost, gw_lane_job job, void *arg)
{
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    unsigned char *of = malloc(n ? n : 1);
    if (!order || !of) {
        free(order);
        free(of);
        return -1;
    }
    by_cost(order, cost, n);
    size_t load[2] = { 0, 0 };
    for (size_t k = 0; k < n; k++) {
        int to = load[1] < load[0];
        of[k] = (unsigned char)to;
        load[to] += cost[order[k]];
    }
    lane lanes[2] = {
        { order, of, n, 0, job, arg, true },
        { order, of, n, 1, job, arg, true },
    };
    pthread_t worker;
    bool threaded = load[1] > 0 && pthread_create(&worker, NULL, lane_run, &lanes[1]) == 0;
    lane_run(&lanes[0]);
    if (threaded)
        pthread_join(worker, NULL);
    else
        lane_run(&lanes[1]);
    free(order);
    free(of);
    return lanes[0].ok && lanes[1].ok ? 0 : -1;
}
