/* doctime — the time a document is dated with: SOURCE_DATE_EPOCH when set
 * (reproducible builds: the same input gives the same bytes), else now.
 * Called by the outputs (the PDF's dates, the OFD's DocInfo and ZIP times). */
#ifndef GW_DOCTIME_H
#define GW_DOCTIME_H

#include <time.h>

#include "diag.h"

/* Stores the time; -1 after reporting a SOURCE_DATE_EPOCH that is not a
 * number of seconds (0 .. 9999-12-31T23:59:59Z). */
int gw_document_time(time_t *when, gw_diag *diag);

#endif
