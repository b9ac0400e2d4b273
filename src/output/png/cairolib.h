/* cairolib — cairo, loaded when a PNG document begins and not before.
 *
 * Debian's cairo brings pixman and the X11/xcb libraries it is built with:
 * linked into gwpdf, those 12 shared libraries cost 1.1–1.7 ms of every start
 * of every command, some 5 % of rendering the real report to PDF, and the
 * server's workers are the CLI, started once a request (docs/png.md#costs).
 * So pngout.c calls cairo through this table, filled by dynlib.h from the
 * library the build was made against (its soname, GW_CAIRO_SONAME; cairo-ft's
 * functions are in the same libcairo).  Each slot is the cairo function of
 * its name with the cairo_ prefix dropped, of the type <cairo.h> and
 * <cairo-ft.h> declare (cairolib.c checks them against those declarations).
 *
 * Once loaded, libcairo stays mapped until the process exits, whatever
 * gw_cairo_close does: its caches keep font faces alive after pngout lets go
 * of them (each holding an FT_Face of ours, released by cairo's callback), so
 * unloading it would leak them, and a second document in the same process
 * may still be drawing.
 *
 * Internal to the PNG output: called by pngout.c only. */
#ifndef GW_PNG_CAIROLIB_H
#define GW_PNG_CAIROLIB_H

#include <cairo-ft.h>
#include <cairo.h>

typedef struct gw_cairo {
    void *handle;
    /* drawing contexts */
    cairo_t *(*create)(cairo_surface_t *);
    void (*destroy)(cairo_t *);
    cairo_status_t (*status)(cairo_t *);
    const char *(*status_to_string)(cairo_status_t);
    void (*save)(cairo_t *);
    void (*restore)(cairo_t *);
    /* transformations */
    void (*set_matrix)(cairo_t *, const cairo_matrix_t *);
    void (*identity_matrix)(cairo_t *);
    void (*translate)(cairo_t *, double, double);
    void (*scale)(cairo_t *, double, double);
    void (*user_to_device)(cairo_t *, double *, double *);
    void (*user_to_device_distance)(cairo_t *, double *, double *);
    void (*device_to_user)(cairo_t *, double *, double *);
    /* paths and painting */
    void (*set_source_rgb)(cairo_t *, double, double, double);
    void (*set_line_width)(cairo_t *, double);
    void (*set_line_cap)(cairo_t *, cairo_line_cap_t);
    void (*new_path)(cairo_t *);
    void (*move_to)(cairo_t *, double, double);
    void (*line_to)(cairo_t *, double, double);
    void (*rectangle)(cairo_t *, double, double, double, double);
    void (*paint)(cairo_t *);
    void (*mask)(cairo_t *, cairo_pattern_t *);
    void (*fill)(cairo_t *);
    void (*fill_preserve)(cairo_t *);
    void (*stroke)(cairo_t *);
    void (*clip)(cairo_t *);
    /* text */
    void (*set_font_face)(cairo_t *, cairo_font_face_t *);
    void (*set_font_size)(cairo_t *, double);
    void (*set_font_options)(cairo_t *, const cairo_font_options_t *);
    void (*show_glyphs)(cairo_t *, const cairo_glyph_t *, int);
    void (*glyph_path)(cairo_t *, const cairo_glyph_t *, int);
    /* font faces and options */
    cairo_font_face_t *(*ft_font_face_create_for_ft_face)(FT_Face, int);
    void (*font_face_destroy)(cairo_font_face_t *);
    cairo_status_t (*font_face_status)(cairo_font_face_t *);
    cairo_status_t (*font_face_set_user_data)(cairo_font_face_t *, const cairo_user_data_key_t *,
                                              void *, cairo_destroy_func_t);
    cairo_font_options_t *(*font_options_create)(void);
    void (*font_options_destroy)(cairo_font_options_t *);
    cairo_status_t (*font_options_status)(cairo_font_options_t *);
    void (*font_options_set_antialias)(cairo_font_options_t *, cairo_antialias_t);
    void (*font_options_set_hint_style)(cairo_font_options_t *, cairo_hint_style_t);
    void (*font_options_set_hint_metrics)(cairo_font_options_t *, cairo_hint_metrics_t);
    /* surfaces and patterns */
    cairo_surface_t *(*image_surface_create)(cairo_format_t, int, int);
    unsigned char *(*image_surface_get_data)(cairo_surface_t *);
    int (*image_surface_get_width)(cairo_surface_t *);
    int (*image_surface_get_height)(cairo_surface_t *);
    int (*image_surface_get_stride)(cairo_surface_t *);
    void (*surface_destroy)(cairo_surface_t *);
    cairo_status_t (*surface_status)(cairo_surface_t *);
    void (*surface_flush)(cairo_surface_t *);
    void (*surface_mark_dirty)(cairo_surface_t *);
    cairo_pattern_t *(*pattern_create_for_surface)(cairo_surface_t *);
    void (*pattern_destroy)(cairo_pattern_t *);
    void (*pattern_set_filter)(cairo_pattern_t *, cairo_filter_t);
    void (*pattern_set_extend)(cairo_pattern_t *, cairo_extend_t);
} gw_cairo;

/* Load cairo into *c: 0, or -1 with *why saying what failed (dlerror's
 * words, valid until the next dl call) and *c zeroed. */
int gw_cairo_open(gw_cairo *c, const char **why);
/* Let go of it (a zeroed or failed *c is fine); libcairo stays mapped. */
void gw_cairo_close(gw_cairo *c);

#endif
