/* Unit tests of lanes.c: every job runs once, on the lane the costs give it
 * (the largest on the calling thread, the rest where the load is less), a
 * failing job fails the batch without stopping the others, and the lanes
 * really are two threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "lanes.h"

#define MAX_ITEMS 16

typedef struct record {
    int runs[MAX_ITEMS];        /* each item's job writes only its own slots */
    int lane[MAX_ITEMS];
    pthread_t thread[MAX_ITEMS];
    size_t fail;                /* the item whose job fails, or MAX_ITEMS */
    size_t order[2][MAX_ITEMS]; /* the items of each lane as they ran */
    size_t n_run[2];
} record;

static int note(void *arg, size_t i, int lane)
{
    record *r = arg;
    r->runs[i]++;
    r->lane[i] = lane;
    r->thread[i] = pthread_self();
    r->order[lane][r->n_run[lane]++] = i;
    return i == r->fail ? -1 : 0;
}

static void test_every_item_once_by_cost(void **state)
{
    (void)state;
    /* A body face (most of the work) and four small ones. */
    const size_t cost[] = { 10, 2, 500, 40, 3 };
    record r = { .fail = MAX_ITEMS };
    assert_int_equal(gw_lanes_run(5, cost, note, &r), 0);
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(r.runs[i], 1);
    /* The largest here; the rest, 55 in all, less than 500: the worker. */
    assert_int_equal(r.lane[2], 0);
    assert_true(pthread_equal(r.thread[2], pthread_self()));
    assert_int_equal(r.n_run[0], 1);
    assert_int_equal(r.n_run[1], 4);
    const size_t worker_order[] = { 3, 0, 4, 1 };  /* largest first */
    assert_memory_equal(r.order[1], worker_order, sizeof worker_order);
    for (size_t k = 0; k < 4; k++)
        assert_false(pthread_equal(r.thread[worker_order[k]], pthread_self()));
}

static void test_even_costs_alternate(void **state)
{
    (void)state;
    const size_t cost[] = { 5, 5, 5, 5 };
    record r = { .fail = MAX_ITEMS };
    assert_int_equal(gw_lanes_run(4, cost, note, &r), 0);
    assert_int_equal(r.n_run[0], 2);
    assert_int_equal(r.n_run[1], 2);
    assert_int_equal(r.lane[0], 0);               /* ties keep the items' order */
    assert_int_equal(r.lane[1], 1);
}

static void test_a_failure_fails_the_batch_not_the_others(void **state)
{
    (void)state;
    const size_t cost[] = { 1, 9, 4, 4 };
    for (size_t bad = 0; bad < 4; bad++) {
        record r = { .fail = bad };
        assert_int_equal(gw_lanes_run(4, cost, note, &r), -1);
        for (size_t i = 0; i < 4; i++)
            assert_int_equal(r.runs[i], 1);
    }
}

static void test_one_item_and_none(void **state)
{
    (void)state;
    const size_t cost[] = { 7 };
    record r = { .fail = MAX_ITEMS };
    assert_int_equal(gw_lanes_run(1, cost, note, &r), 0);
    assert_int_equal(r.runs[0], 1);
    assert_true(pthread_equal(r.thread[0], pthread_self()));   /* no worker for one */
    record none = { .fail = MAX_ITEMS };
    assert_int_equal(gw_lanes_run(0, NULL, note, &none), 0);
    assert_int_equal(none.n_run[0] + none.n_run[1], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_item_once_by_cost),
        cmocka_unit_test(test_even_costs_alternate),
        cmocka_unit_test(test_a_failure_fails_the_batch_not_the_others),
        cmocka_unit_test(test_one_item_and_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
