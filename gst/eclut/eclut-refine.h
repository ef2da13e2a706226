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

/* A x1 refine stage of a v2 table (docs/lut-format.md, "Refine stages"):
 * an 8-bit (or 10-bit) plane in, a plane of the same size out, through
 * the same 2-pixel kernel, expand stage and four rotations as the
 * upscaling stage with r = 1.  No GStreamer types. */

#ifndef __ECLUT_REFINE_H__
#define __ECLUT_REFINE_H__

#include <glib.h>

#include "eclut-samples.h"

G_BEGIN_DECLS

#define ECLUT_REFINE_ENTRIES 9
#define ECLUT_REFINE_MAX_STEP 2
/* at most this many positions per axis (docs/lut-format.md, "Phases") */
#define ECLUT_REFINE_MAX_PHASES 4

typedef struct _EclutRefine EclutRefine;

/* The value that rotation 0 pairs with each pixel (a = the pixel, b = this
 * one, its neighbours replicated at the plane's edges); the other rotations
 * turn it with the plane (docs/lut-format.md, "Refine stages"). */
typedef enum
{
  ECLUT_REFINE_PAIR_BELOW = 0,  /* the pixel below */
  ECLUT_REFINE_PAIR_BELOW_RIGHT = 1,    /* the pixel below and to the right */
  ECLUT_REFINE_PAIR_CORNER = 2, /* (below + right + 1) >> 1 */
  /* the 2x2 block (the pixel, below, right, below-right), quantised to a
   * 16-bit index instead of a pair (docs/lut-format.md, "The quad pair") */
  ECLUT_REFINE_PAIR_QUAD = 3
} EclutRefinePair;

/* @table: T[a][b][p * 9 + c], 65536 * 9 @phases^2 int8 (copied).
 * @expand_step: 1 or 2; @rescale_shift 0..8 and 0 <= @rescale_bias <
 * 2^shift; @residual: the stage adds its input pixel (mode 1); @pair:
 * which pairs it reads; @phases 1..ECLUT_REFINE_MAX_PHASES: one table for
 * every pixel (1), or one per position p = (i mod P) P + (j mod P) of the
 * pixel (i, j) in each rotated frame.  NULL on parameters the format does
 * not allow. */
EclutRefine *eclut_refine_new (const gint8 * table, guint expand_step,
    guint rescale_shift, gint rescale_bias, gboolean residual,
    EclutRefinePair pair, guint phases);
void eclut_refine_free (EclutRefine * stage);

/* Bytes of scratch eclut_refine_rows() and eclut_refine_rows_samples()
 * (any layout) need for planes @width wide. */
gsize eclut_refine_scratch_size (guint width);

/* Writes rows [@y0, @y1) of the stage's output for the @width x @height
 * plane @src (which it reads around those rows; @dst must not overlap it).
 * Any row split gives the same bytes.  @scratch: 16-byte aligned,
 * eclut_refine_scratch_size() bytes. */
void eclut_refine_rows (const EclutRefine * stage, const guint8 * src,
    gint src_stride, guint width, guint height, guint8 * dst, gint dst_stride,
    guint y0, guint y1, gpointer scratch);

/* As eclut_refine_rows() for planes of @samples (eclut-samples.h);
 * pointers are byte pointers, strides in bytes.  At 10 bits the stage
 * reads its pairs from the top 8 bits and keeps two more bits of its
 * correction (docs/lut-format.md, "Refine stages at 10 bits"). */
void eclut_refine_rows_samples (const EclutRefine * stage,
    EclutSamples samples, const guint8 * src, gint src_stride,
    guint width, guint height, guint8 * dst, gint dst_stride,
    guint y0, guint y1, gpointer scratch);

G_END_DECLS

#endif /* __ECLUT_REFINE_H__ */
