/* doctime — SOURCE_DATE_EPOCH or now (see doctime.h). */
#include "doctime.h"

#include <errno.h>
#include <stdlib.h>

int gw_document_time(time_t *when, gw_diag *diag)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (!epoch || !*epoch) {
        *when = time(NULL);
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long long v = strtoll(epoch, &end, 10);
    if (errno || *end || epoch[0] == '-' || epoch[0] == '+' || epoch[0] == ' ' ||
        v > (long long)253402300799LL) {          /* 9999-12-31T23:59:59Z */
        gw_error(diag, "SOURCE_DATE_EPOCH", 0, 0,
                 "'%s' is not a number of seconds since 1970-01-01 00:00 UTC", epoch);
        return -1;
    }
    *when = (time_t)v;
    return 0;
}
