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

/* Bilinear x scale of chroma planes with centre-aligned sampling that follows
 * the chroma siting, integer arithmetic with rounding (docs/lut-format.md,
 * "Chroma"), on 8-bit or 10-bit samples.  No GStreamer types. */

#ifndef __ECLUT_CHROMA_H__
#define __ECLUT_CHROMA_H__

#include <glib.h>

#include "eclut-samples.h"

G_BEGIN_DECLS

typedef struct
{
  guint scale;                  /* r: 2..4 */
  guint sub_x, sub_y;           /* f per axis: 1 or 2 (chroma subsampling) */
  gboolean centred_x, centred_y;        /* q per axis (ignored where f = 1) */
  guint n_components;           /* 1 (planar) or 2 (interleaved UV/VU) */
  guint in_width, in_height;    /* source plane size in samples */
  guint out_width, out_height;  /* output plane size (from the output frame) */
  EclutSamples samples;         /* layout of the samples, in and out (0: 8
                                 * bits) */
} EclutChromaParams;

/* The code that runs for one chroma plane of a stream: the per-column
 * source indices and weights, and the row functions of the vertical and
 * horizontal passes for the layout and this CPU, chosen once from the
 * params.  Immutable, so the threads of a stream share one. */
typedef struct _EclutChromaPlan EclutChromaPlan;

/* The plan for planes of @p (copied), or NULL if the core refuses the
 * params (scale, subsampling, components or layout out of range, an empty
 * source plane, rows too wide to address) or the tables cannot be
 * allocated. */
EclutChromaPlan *eclut_chroma_plan_new (const EclutChromaParams * p);
void eclut_chroma_plan_free (EclutChromaPlan * plan);

/* What runs, in words (e.g. "bilinear x2, 4:2:0, 10-bit (MSB), AVX2"), for
 * logs. */
const gchar *eclut_chroma_plan_describe (const EclutChromaPlan * plan);

/* Bytes of scratch memory one call of eclut_chroma_plan_upscale_rows()
 * needs (each thread its own). */
gsize eclut_chroma_plan_scratch_size (const EclutChromaPlan * plan);

/* Output rows [@out_y0, @out_y1) of the plane, as
 * eclut_chroma_upscale_rows() below; @scratch:
 * eclut_chroma_plan_scratch_size() bytes, 16-byte aligned. */
void eclut_chroma_plan_upscale_rows (const EclutChromaPlan * plan,
    const guint8 * src, gint src_stride, guint8 * dst, gint dst_stride,
    guint out_y0, guint out_y1, gpointer scratch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EclutChromaPlan, eclut_chroma_plan_free)

/* One-call forms (tests, fuzzing, tools): a plan for this call only.
 *
 * Bytes of scratch memory one call of eclut_chroma_upscale_rows() needs
 * (the plan's tables included), G_MAXSIZE for params the core refuses. */
gsize eclut_chroma_scratch_size (const EclutChromaParams * p);

/* Writes output rows [@out_y0, @out_y1) of the plane.  Any row split gives the
 * same bytes.  Pointers and strides are in bytes whatever the layout; 10-bit
 * samples are little-endian 16-bit words (P010's UV plane: @n_components
 * 2, the values in the high bits, whose low 6 bits are ignored on input and
 * written as zero).  @scratch: eclut_chroma_scratch_size() bytes, 16-byte
 * aligned. */
void eclut_chroma_upscale_rows (const EclutChromaParams * p,
    const guint8 * src, gint src_stride, guint8 * dst, gint dst_stride,
    guint out_y0, guint out_y1, gpointer scratch);

G_END_DECLS

#endif /* __ECLUT_CHROMA_H__ */
