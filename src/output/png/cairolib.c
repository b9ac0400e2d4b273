/* cairolib — cairo through dlopen (see cairolib.h).  Called by pngout.c. */
#include "cairolib.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include "dynlib.h"

#ifndef GW_CAIRO_SONAME
#error "GW_CAIRO_SONAME (the soname of the libcairo built against) must be defined"
#endif

/* The slot `name` and the function cairo_`name` it holds.  The assignment
 * inside sizeof is never evaluated (nothing here refers to libcairo at link
 * time): it only has the compiler check that the slot's type is the type
 * cairo's headers give the function. */
#define SLOT(name)                                                                                \
    { "cairo_" #name,                                                                             \
      offsetof(gw_cairo, name) + 0 * sizeof(((gw_cairo *)NULL)->name = cairo_##name) }

static const gw_dl_symbol CAIRO_SYMBOLS[] = {
    SLOT(create),
    SLOT(destroy),
    SLOT(status),
    SLOT(status_to_string),
    SLOT(save),
    SLOT(restore),
    SLOT(set_matrix),
    SLOT(identity_matrix),
    SLOT(translate),
    SLOT(scale),
    SLOT(user_to_device),
    SLOT(user_to_device_distance),
    SLOT(device_to_user),
    SLOT(set_source_rgb),
    SLOT(set_line_width),
    SLOT(set_line_cap),
    SLOT(new_path),
    SLOT(move_to),
    SLOT(line_to),
    SLOT(rectangle),
    SLOT(paint),
    SLOT(mask),
    SLOT(fill),
    SLOT(fill_preserve),
    SLOT(stroke),
    SLOT(clip),
    SLOT(set_font_face),
    SLOT(set_font_size),
    SLOT(set_font_options),
    SLOT(show_glyphs),
    SLOT(glyph_path),
    SLOT(ft_font_face_create_for_ft_face),
    SLOT(font_face_destroy),
    SLOT(font_face_status),
    SLOT(font_face_set_user_data),
    SLOT(font_options_create),
    SLOT(font_options_destroy),
    SLOT(font_options_status),
    SLOT(font_options_set_antialias),
    SLOT(font_options_set_hint_style),
    SLOT(font_options_set_hint_metrics),
    SLOT(image_surface_create),
    SLOT(image_surface_get_data),
    SLOT(image_surface_get_width),
    SLOT(image_surface_get_height),
    SLOT(image_surface_get_stride),
    SLOT(surface_destroy),
    SLOT(surface_status),
    SLOT(surface_flush),
    SLOT(surface_mark_dirty),
    SLOT(pattern_create_for_surface),
    SLOT(pattern_destroy),
    SLOT(pattern_set_filter),
    SLOT(pattern_set_extend),
};

int gw_cairo_open(gw_cairo *c, const char **why)
{
    memset(c, 0, sizeof *c);
    void *handle = gw_dl_load(GW_CAIRO_SONAME, c, CAIRO_SYMBOLS,
                              sizeof CAIRO_SYMBOLS / sizeof CAIRO_SYMBOLS[0], why);
    if (!handle)
        return -1;
    /* Kept mapped to the process's end (cairolib.h says why): the library,
     * loaded now, marked not to be unloaded by a dlclose. */
    void *keep = dlopen(GW_CAIRO_SONAME, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD | RTLD_NODELETE);
    if (!keep) {
        *why = "loaded, but it cannot be kept loaded (dlopen RTLD_NODELETE)";
        gw_dl_unload(handle);
        memset(c, 0, sizeof *c);
        return -1;
    }
    dlclose(keep);
    c->handle = handle;
    return 0;
}

void gw_cairo_close(gw_cairo *c)
{
    gw_dl_unload(c->handle);
    memset(c, 0, sizeof *c);
}
