/* eclut - learned lookup-table video upscaling for GStreamer
 * Copyright (C) 2026 The eclut authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 *
 * You should have received a copy of the GNU Library General Public
 * License along with this library; if not, write to the
 * Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
 * Boston, MA 02110-1301, USA.
 */

/* The ECLUT table: loading, validation and the in-memory layout used by the
 * luma core.  No GStreamer types here (GLib only), so the loader can be unit
 * tested and fuzzed on its own.  File format: docs/lut-format.md. */

#ifndef __ECLUT_LUT_H__
#define __ECLUT_LUT_H__

#include <glib.h>

#include "eclut-refine.h"

G_BEGIN_DECLS

#define ECLUT_LUT_HEADER_SIZE 64
#define ECLUT_LUT_MIN_SCALE 2
#define ECLUT_LUT_MAX_SCALE 4
/* refine stages a version 2 file may hold */
#define ECLUT_LUT_MAX_REFINE 4

#define ECLUT_LUT_ERROR (eclut_lut_error_quark ())
GQuark eclut_lut_error_quark (void);

typedef enum
{
  ECLUT_LUT_ERROR_IO,           /* missing, unreadable, or failed read */
  ECLUT_LUT_ERROR_FORMAT,       /* bad magic/version/field/size/CRC */
  ECLUT_LUT_ERROR_SCALE         /* valid table, but not for the requested scale */
} EclutLutError;

/* Immutable once loaded and reference-counted (atomic), so several elements
 * and threads may share one. */
typedef struct _EclutLut EclutLut;

/* Reads the whole file into memory (never mmap: a file truncated under a live
 * mapping would SIGBUS) and validates every field.  On failure returns NULL and
 * sets @error with a message naming @path and the first rule broken.
 * @expected_scale: 0 to accept any, else a table for another scale fails with
 * ECLUT_LUT_ERROR_SCALE. */
EclutLut *eclut_lut_load_file (const gchar * path, guint expected_scale,
    GError ** error);

/* eclut_lut_load_file(), sharing: while a table loaded from the same file
 * (same device, inode, size and modification time) is alive, returns another
 * reference to it instead of loading it again.  A file replaced or rewritten
 * since is a different file and is loaded anew; holders of the old table
 * keep it.  Thread-safe. */
EclutLut *eclut_lut_load_file_shared (const gchar * path,
    guint expected_scale, GError ** error);

/* Same checks on a file image already in memory (@name is used in messages).
 * This is the fuzzing entry point. */
EclutLut *eclut_lut_load_data (const guint8 * data, gsize size,
    const gchar * name, guint expected_scale, GError ** error);

EclutLut *eclut_lut_ref (EclutLut * lut);
void eclut_lut_unref (EclutLut * lut);

guint eclut_lut_get_scale (const EclutLut * lut);
/* 1 (one HR pixel) or scale (one LR pixel) */
guint eclut_lut_get_expand_step (const EclutLut * lut);
guint eclut_lut_get_rescale_shift (const EclutLut * lut);
gint eclut_lut_get_rescale_bias (const EclutLut * lut);

/* The refine stages of a version 2 file (0 for version 1), and stage @k
 * (0-based, < eclut_lut_get_n_refine ()), which lives as long as @lut.  A
 * stage is built the first time it is asked for (its table re-laid, which
 * takes milliseconds), so ask when a stream is set up, not per frame.
 * Thread-safe. */
guint eclut_lut_get_n_refine (const EclutLut * lut);
const EclutRefine *eclut_lut_get_refine (const EclutLut * lut, guint k);

/* Raw payload entry T[a][b][e] as in the file (for tests). */
gint8 eclut_lut_get_entry (const EclutLut * lut, guint a, guint b, guint e);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EclutLut, eclut_lut_unref)

G_END_DECLS

#endif /* __ECLUT_LUT_H__ */
