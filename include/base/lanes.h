/* lanes — a batch of independent jobs shared between this thread and one
 * worker thread: the machine has two cores, and a document's last steps
 * (subsetting each face, compressing each font program) are a handful of jobs
 * of very different sizes, the largest of which sets the pace.
 *
 * Used by both outputs for their fonts (subset, then compressed, a face a
 * job: the face of the body text is most of the work). */
#ifndef GW_LANES_H
#define GW_LANES_H

#include <stddef.h>

/* One job: item i on lane 0 (the calling thread) or 1 (the worker).  Each item
 * runs once, on one lane, and the items of one lane run one after another in
 * the order of their cost, largest first; state a job keeps per lane (a
 * compressor, a diagnostics sink) is indexed by `lane`.  0 for success. */
typedef int (*gw_lane_job)(void *arg, size_t i, int lane);

/* Run job for every i < n.  The items go largest cost first, each to the lane
 * that has less so far, so the two lanes end together as nearly as the costs
 * allow.  Without a worker (n < 2, or pthread_create failed) lane 1's items
 * run here after lane 0's, still as lane 1.  Every item runs even after one
 * failed.  0 when every job returned 0; -1 otherwise or out of memory (then
 * no job ran). */
int gw_lanes_run(size_t n, const size_t *cost, gw_lane_job job, void *arg);

#endif
