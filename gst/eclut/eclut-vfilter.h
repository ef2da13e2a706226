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


/* A vertical filter of 8-bit rows with integer taps: the vertical pass of
 * the resampling that follows the table (the element takes the taps from
 * GstVideoScaler, see eclut-hfilter.h).  GStreamer's own 8-bit pass adds
 * one source row at a time into a 16-bit line; this one adds the rows two
 * at a time in registers and writes the output row once. */

#ifndef __ECLUT_VFILTER_H__
#define __ECLUT_VFILTER_H__

#include <glib.h>

#include "eclut-simd.h"

G_BEGIN_DECLS

/* One output row of @width samples from the source rows @rows[0 ..
 * n_taps - 1]:
 *
 *   out[i] = CLAMP ((sum over j of rows[j][i] * taps[j]
 *                    + (1 << (precision - 1))) >> precision, 0, 255)
 *
 * the sum exact, the shift arithmetic; @n_taps 1..256, @precision
 * 1..14. */
void eclut_vfilter_row (const guint8 * const *rows, const gint16 * taps,
    guint n_taps, guint precision, guint width, guint8 * out);

/* The same with the code of @level at most (never above
 * eclut_simd_level ()), for the tests and the benchmark. */
void eclut_vfilter_row_for_level (const guint8 * const *rows,
    const gint16 * taps, guint n_taps, guint precision, guint width,
    guint8 * out, EclutSimdLevel level);

/* One output row of @width 16-bit words (any value 0..65535):
 *
 *   out[i] = CLAMP ((sum over j of rows[j][i] * taps[j] + @round)
 *                   >> precision, 0, 65535)
 *
 * (GStreamer's 16-bit passes round with 2^precision - 1); @round in
 * 0..2^precision, the magnitudes of the taps summing to at most 2^14. */
void eclut_vfilter_row_words (const guint16 * const *rows,
    const gint16 * taps, guint n_taps, guint precision, gint32 round,
    guint width, guint16 * out);
void eclut_vfilter_row_words_for_level (const guint16 * const *rows,
    const gint16 * taps, guint n_taps, guint precision, gint32 round,
    guint width, guint16 * out, EclutSimdLevel level);
gboolean eclut_vfilter_has_simd_words (const gint16 * taps, guint n_taps,
    guint precision);

/* Whether eclut_vfilter_row () runs SIMD code for these taps on this CPU
 * (the element keeps GStreamer's ORC pass where it would not). */
gboolean eclut_vfilter_has_simd (const gint16 * taps, guint n_taps,
    guint precision);

G_END_DECLS

#endif /* __ECLUT_VFILTER_H__ */
