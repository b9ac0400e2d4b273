/* pdfspill — where page contents wait for the save.  libharu keeps every
 * object in memory until it writes the file (it has no incremental writer),
 * so each page's content is compressed into an unnamed temporary file
 * instead, and its stream object reads it back from there while the document
 * is saved.
 *
 * The compression runs on a worker thread while the layout sets the next
 * pages: on a long report it was a fifth of the main thread's time.  Pages
 * are queued (a few at a time, so memory still holds a page or so), written
 * in the order given, and the stream objects are complete once pdf_spill_wait
 * returns.  Without a worker (pthread_create failed) each page is compressed
 * as it is put.
 *
 * Internal to the PDF output: called by pdfout.c only. */
#ifndef GW_PDFSPILL_H
#define GW_PDFSPILL_H

#include <hpdf.h>
#include <stddef.h>

typedef struct pdf_spill pdf_spill;

/* A spill file in $TMPDIR (else /tmp), its pages compressed at libdeflate
 * `level`; NULL with errno set on failure.  Free with pdf_spill_close. */
pdf_spill *pdf_spill_open(int level);

/* Make the (empty) stream object `s` of `pdf` read `data` (len bytes, malloc'd;
 * the spill frees it), compressed, from the spill file, with /Filter set.
 * HPDF_OK, or an error code (data freed).  A failure of the worker on an
 * earlier page shows here or in pdf_spill_wait. */
HPDF_STATUS pdf_spill_put(pdf_spill *sp, HPDF_Doc pdf, HPDF_Dict s, void *data, size_t len);

/* Every page put so far compressed and written, the worker ended (no page may
 * be put after).  0, or -1 with errno set (ENOMEM, or the file's write error). */
int pdf_spill_wait(pdf_spill *sp);

/* Wait, then close the file and free sp: after libharu has saved or freed the
 * document whose streams read it (NULL is fine). */
void pdf_spill_close(pdf_spill *sp);

#endif
