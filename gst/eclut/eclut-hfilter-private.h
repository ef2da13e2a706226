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


/* The horizontal filter's pieces that its instruction sets share (not
 * installed): eclut-hfilter.c and eclut-hfilter-avx2.c. */

#ifndef __ECLUT_HFILTER_PRIVATE_H__
#define __ECLUT_HFILTER_PRIVATE_H__

#include "eclut-hfilter.h"

G_BEGIN_DECLS

/* Output pixels 0 .. n_simd - 1 of a row (the C code does the rest) */
typedef void (*EclutHFilterSimdFunc) (const EclutHFilter * f,
    const guint8 * in, guint8 * out);

/* The same for words */
typedef void (*EclutHFilterWordsSimdFunc) (const EclutHFilter * f,
    const guint16 * in, guint16 * out);

struct _EclutHFilter
{
  guint in_width, out_width, n_taps, precision;
  gboolean words;               /* 16-bit samples */
  gint32 round;
  guint32 *offset;              /* out_width */
  gint16 *taps;                 /* out_width x n_taps */
  /* the pixels the SIMD code does (whose windows of @window samples, 8 or
   * 16, lie in the row: at 8 bits at least 16, in groups of 16, the last
   * group overlapping the one before; words: a multiple of 8), their taps
   * as bytes, @window per pixel, zero beyond n_taps */
  guint n_simd, window;
  gint8 *taps8;
  /* or, where every 4 pixels' windows of 8 lie in 16 samples (shrinking
   * by up to 8/3; n_simd then a multiple of 8, the last 8 done in a group
   * of 16 that overlaps the one before): per 4 pixels the first sample of
   * those 16, and per 8 pixels a record of 128 bytes: the byte shuffles that cut the windows
   * of pixels 0 1 | 4 5 and 2 3 | 6 7 out of the two 16-sample loads, then
   * their taps in the same order */
  guint32 *shared_base;
  guint8 *shared_rec;
  EclutHFilterSimdFunc simd_row;
  /* words: the taps of the SIMD pixels, 8 per pixel (zero beyond n_taps),
   * and per pixel round + 32768 * (sum of its taps) (the SIMD code
   * multiplies sample - 32768, a signed word), the bias in the order the
   * AVX2 code's sums come out in (see setup_simd_words) */
  gint16 *taps_w;
  gint32 *bias_w;
  EclutHFilterWordsSimdFunc simd_row_words;
};

#ifdef ECLUT_HAVE_AVX2
void eclut_hfilter_row_words_avx2 (const EclutHFilter * f,
    const guint16 * in, guint16 * out);
void eclut_hfilter_row8_avx2 (const EclutHFilter * f, const guint8 * in,
    guint8 * out);
void eclut_hfilter_row_shared_avx2 (const EclutHFilter * f,
    const guint8 * in, guint8 * out);
void eclut_hfilter_row16_avx2 (const EclutHFilter * f, const guint8 * in,
    guint8 * out);
#endif

G_END_DECLS

#endif /* __ECLUT_HFILTER_PRIVATE_H__ */
