/* image — the seal's PNG read with libpng and turned into what a PDF/A-1 file
 * can hold: a one-bit stencil mask (which pixels carry ink) and the ink's
 * colour.  PDF/A-1 forbids transparency (soft masks), and a seal is one colour
 * of ink: painting the mask in that colour keeps the text under the seal's
 * paper visible and the red red.
 *
 * A pixel is ink when it is mostly opaque and not near white (so both a seal on
 * a transparent background and one on white paper work).  The physical size
 * comes from the PNG's pHYs chunk when it gives one in metres.
 *
 * Called by the layout (which checks and sizes the seal) and read by the PDF
 * output (which embeds the mask) and the OFD output (gw_seal_png); the layout
 * owns the image. */
#ifndef GW_IMAGE_H
#define GW_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct gw_seal_image {
    int width, height;          /* pixels */
    uint8_t *mask;              /* rows top to bottom, 1 bit a pixel (1 = ink), MSB first */
    size_t stride;              /* bytes a row */
    double red, green, blue;    /* the ink's mean colour, sRGB 0..1 */
    double width_mm;            /* from pHYs; 0 when the PNG does not say */
    size_t ink_pixels;
} gw_seal_image;

/* Read the PNG at `path`.  On failure reports at `where` (FILE, line, col of
 * the <seal> element) naming the path and returns NULL. */
gw_seal_image *gw_seal_load(const char *path, const char *where, long line, long col,
                            gw_diag *diag);
void gw_seal_free(gw_seal_image *img);

/* The seal as outputs with transparency draw it (the OFD's MultiMedia): a PNG
 * of the same pixels the PDF's mask inks — one bit a pixel over a palette of
 * two, the ink colour opaque where the mask is set and transparent paper
 * elsewhere — so both outputs show one seal, at the mask's size.  No time or
 * text chunks: the same image gives the same bytes.
 * Stores a malloc'd buffer the caller frees; 0, or -1 when out of memory. */
int gw_seal_png(const gw_seal_image *img, unsigned char **data, size_t *len);

#endif
