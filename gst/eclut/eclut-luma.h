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

/* The ECLUT luma core: table lookups in 4 rotations, expand stage, rescale and
 * clamp, exactly as docs/lut-format.md specifies.  No GStreamer types. */

#ifndef __ECLUT_LUMA_H__
#define __ECLUT_LUMA_H__

#include <glib.h>
#include "eclut-lut.h"
#include "eclut-samples.h"

G_BEGIN_DECLS

/* The code that runs for one stream: the path (and its functions for this
 * CPU) chosen once from the table, the input size and the CPU, the scratch
 * it needs and the tables it reads.  Immutable, so the threads of a stream
 * share one. */
typedef struct _EclutLumaPlan EclutLumaPlan;

/* The plan for upscaling 8-bit planes of @in_width x @in_height (both > 0)
 * with @lut (referenced).  May build the chosen path's tables the first
 * time they are needed (kept with @lut).  NULL (with a critical warning)
 * if the width's rows cannot be addressed. */
EclutLumaPlan *eclut_luma_plan_new (EclutLut * lut, guint in_width,
    guint in_height);
/* As eclut_luma_plan_new() for planes of @samples (eclut-samples.h): 10-bit
 * planes are upscaled to 10-bit planes of the same layout by the rule of
 * docs/lut-format.md, "Inference at 10 bits" (the bits outside the
 * 10-bit value are ignored on input and written as zero). */
EclutLumaPlan *eclut_luma_plan_new_for_samples (EclutLut * lut,
    guint in_width, guint in_height, EclutSamples samples);
void eclut_luma_plan_free (EclutLumaPlan * plan);

/* What runs, in words (path and instruction set, e.g. "edge x2, AVX2"),
 * for logs. */
const gchar *eclut_luma_plan_describe (const EclutLumaPlan * plan);

/* Bytes of scratch memory one call of eclut_luma_plan_upscale_rows() needs
 * (each thread its own).  A 10-bit plan's includes an 8-bit plane of the
 * input size (the top 8 bits of the rows a call reads). */
gsize eclut_luma_plan_scratch_size (const EclutLumaPlan * plan);

/* Output rows [@out_y0, @out_y1) (0 <= out_y0 <= out_y1 <= scale *
 * in_height) of the upscaled plane, as eclut_luma_upscale_rows() below;
 * @src and @dst hold samples of the plan's layout, strides in bytes;
 * @scratch: eclut_luma_plan_scratch_size() bytes, 16-byte aligned. */
void eclut_luma_plan_upscale_rows (const EclutLumaPlan * plan,
    const guint8 * src, gint src_stride, guint8 * dst, gint dst_stride,
    guint out_y0, guint out_y1, gpointer scratch);

/* Told by eclut_luma_plan_stream_rows () that the output rows below
 * @n_done are written. */
typedef void (*EclutRowsDoneFunc) (gpointer user_data, guint n_done);

/* As eclut_luma_plan_upscale_rows (), but output row y is written to row y %
 * @ring_rows of @ring (rows @ring_stride bytes apart), in increasing order,
 * so that a consumer can read the rows while they are still in the caches
 * instead of from a whole plane.  @done is called each time more rows are
 * written: with n, when rows [@out_y0, n) are and no row at or above n yet
 * (so the ring holds rows [MAX (@out_y0, n - @ring_rows), n)); the last
 * call has n = @out_y1.  At most the plan's scale of rows is written
 * between two calls.  Same bytes as eclut_luma_plan_upscale_rows (). */
void eclut_luma_plan_stream_rows (const EclutLumaPlan * plan,
    const guint8 * src, gint src_stride, guint8 * ring, gint ring_stride,
    guint ring_rows, guint out_y0, guint out_y1, gpointer scratch,
    EclutRowsDoneFunc done, gpointer user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EclutLumaPlan, eclut_luma_plan_free)

/* One-call forms (tests, tools): a plan for this call only.
 *
 * Bytes of scratch memory one call of eclut_luma_upscale_rows() needs for an
 * input plane @in_width pixels wide.  Each thread uses its own scratch. */
gsize eclut_luma_scratch_size (const EclutLut * lut, guint in_width);

/* Upscales an 8-bit plane of @in_width x @in_height by the table's scale and
 * writes output rows [@out_y0, @out_y1) (0 <= out_y0 <= out_y1 <= scale *
 * in_height) of the (scale*in_width) x (scale*in_height) result.  Any split of
 * the output rows gives the same bytes as one call for the whole plane.
 * Strides are in bytes and may exceed the row width.  @scratch is at least
 * eclut_luma_scratch_size() bytes, 16-byte aligned. */
void eclut_luma_upscale_rows (const EclutLut * lut,
    const guint8 * src, gint src_stride, guint in_width, guint in_height,
    guint8 * dst, gint dst_stride, guint out_y0, guint out_y1,
    gpointer scratch);

G_END_DECLS

#endif /* __ECLUT_LUMA_H__ */
