/* pngerr — libpng's errors as gwpdf takes them, shared by the seal's PNG
 * reader and writer (image.c) and the page images (src/output/png/pngout.c).
 * libpng reports an error by calling a function that must not return: it
 * keeps libpng's words and longjmps back to the caller's setjmp on `jump`.
 * Warnings (a damaged ancillary chunk: the pixels still decode) are dropped.
 * Pass a gw_png_failure as the error pointer of png_create_*_struct. */
#ifndef GW_PNGERR_H
#define GW_PNGERR_H

#include <png.h>
#include <setjmp.h>

typedef struct gw_png_failure {
    jmp_buf jump;
    char message[200];
} gw_png_failure;

void gw_png_on_error(png_structp png, png_const_charp message);
void gw_png_on_warning(png_structp png, png_const_charp message);

#endif
