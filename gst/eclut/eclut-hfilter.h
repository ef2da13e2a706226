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


/* A horizontal polyphase filter of 8-bit rows with integer taps: the
 * horizontal pass of the resampling that follows the table when the
 * output is not r times the input (the element takes the taps from
 * GstVideoScaler, so that the method is videoscale's).  GStreamer's own
 * 8-bit pass gathers every (pixel, tap) byte in a scalar loop before it
 * multiplies; this one reads each output pixel's window with one load. */

#ifndef __ECLUT_HFILTER_H__
#define __ECLUT_HFILTER_H__

#include <glib.h>

#include "eclut-simd.h"

G_BEGIN_DECLS

/* The widest window the SIMD code reads per output pixel */
#define ECLUT_HFILTER_MAX_SIMD_TAPS 16

typedef struct _EclutHFilter EclutHFilter;

/* The filter from rows of @in_width samples to rows of @out_width:
 *
 *   out[x] = CLAMP ((sum over j < n_taps of
 *                    in[offset[x] + j] * taps[x * n_taps + j]
 *                    + (1 << (precision - 1))) >> precision, 0, 255)
 *
 * with the sum exact and the shift arithmetic (rounding down).  NULL
 * when the parameters are refused: no taps or more than 256, a window
 * that leaves the row (offset[x] + n_taps > in_width), a precision outside
 * 1..14, or a width of 0.  @offset and @taps are copied. */
EclutHFilter *eclut_hfilter_new (guint in_width, guint out_width,
    guint n_taps, const guint32 * offset, const gint16 * taps,
    guint precision);

/* The same with the code of @level at most (never above
 * eclut_simd_level ()), for the tests and the benchmark. */
EclutHFilter *eclut_hfilter_new_for_level (guint in_width, guint out_width,
    guint n_taps, const guint32 * offset, const gint16 * taps,
    guint precision, EclutSimdLevel level);

/* A filter of rows of 16-bit words (any value 0..65535):
 *
 *   out[x] = CLAMP ((sum over j < n_taps of
 *                    in[offset[x] + j] * taps[x * n_taps + j]
 *                    + @round) >> precision, 0, 65535)
 *
 * (GStreamer's 16-bit passes round with 2^precision - 1); NULL as
 * eclut_hfilter_new (), or where the sum of the taps' magnitudes exceeds
 * 2^14 (the sum must fit 32 bits), or @round is outside 0..2^precision. */
EclutHFilter *eclut_hfilter_new_words (guint in_width, guint out_width,
    guint n_taps, const guint32 * offset, const gint16 * taps,
    guint precision, gint32 round);
EclutHFilter *eclut_hfilter_new_words_for_level (guint in_width,
    guint out_width, guint n_taps, const guint32 * offset,
    const gint16 * taps, guint precision, gint32 round,
    EclutSimdLevel level);

void eclut_hfilter_free (EclutHFilter * f);

/* Filters one row: @in has in_width samples, @out out_width (a filter
 * made by eclut_hfilter_new ()). */
void eclut_hfilter_row (const EclutHFilter * f, const guint8 * in,
    guint8 * out);

/* The same for a filter of words (eclut_hfilter_new_words ()) */
void eclut_hfilter_row_words (const EclutHFilter * f, const guint16 * in,
    guint16 * out);

/* Whether the filter runs SIMD code (the element keeps GStreamer's own
 * pass where it would not: that is faster than the C loop). */
gboolean eclut_hfilter_has_simd (const EclutHFilter * f);

/* "AVX2, 16-sample windows", "AVX2, 8-word windows" or "C", for the debug
 * log. */
const gchar *eclut_hfilter_describe (const EclutHFilter * f);

G_END_DECLS

#endif /* __ECLUT_HFILTER_H__ */
