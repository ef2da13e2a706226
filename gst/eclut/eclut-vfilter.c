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


#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "eclut-vfilter.h"
#include "eclut-vfilter-private.h"
#include "eclut-filter-private.h"

/* The SIMD code multiplies two rows at a time by their taps as bytes
 * (pmaddubsw) and keeps the sum in 16 bits, so it may run only where every
 * tap fits a signed byte and no partial sum can leave 16 bits, whatever
 * the samples: GStreamer's own 8-bit taps (6 bits) always do, since its
 * own pass sums in 16 bits too. */
static gboolean
taps_fit_16_bits (const gint16 * taps, guint n_taps, guint precision)
{
  gint pos = 0, neg = 0;
  guint j;

  for (j = 0; j < n_taps; j++) {
    if (taps[j] < -128 || taps[j] > 127)
      return FALSE;
    pos += MAX (taps[j], 0);
    neg += MIN (taps[j], 0);
  }
  return 255 * pos + (1 << (precision - 1)) <= G_MAXINT16 &&
      255 * neg >= G_MININT16;
}

/* The words' SIMD code multiplies sample - 32768 (a signed word) by the
 * taps and adds 32768 times their sum back: exact in 32 bits while the
 * taps' magnitudes sum to 2^14 or less. */
static gboolean
taps_fit_words (const gint16 * taps, guint n_taps)
{
  return eclut_filter_taps_magnitude (taps, n_taps) <=
      ECLUT_FILTER_WORDS_MAX_MAGNITUDE;
}

gboolean
eclut_vfilter_has_simd_words (const gint16 * taps, guint n_taps,
    guint precision)
{
#ifdef ECLUT_HAVE_AVX2
  return eclut_simd_level () >= ECLUT_SIMD_AVX2 && n_taps <= 256 &&
      precision >= 1 && precision <= 14 && taps_fit_words (taps, n_taps);
#else
  return FALSE;
#endif
}

void
eclut_vfilter_row_words_for_level (const guint16 * const *rows,
    const gint16 * taps, guint n_taps, guint precision, gint32 round,
    guint width, guint16 * out, EclutSimdLevel level)
{
  guint i = 0, j;

  g_return_if_fail (n_taps >= 1 && n_taps <= 256);
  g_return_if_fail (precision >= 1 && precision <= 14);
  g_return_if_fail (round >= 0 && round <= 1 << precision);
  g_return_if_fail (taps_fit_words (taps, n_taps));

#ifdef ECLUT_HAVE_AVX2
  if (MIN (level, eclut_simd_level ()) >= ECLUT_SIMD_AVX2)
    i = eclut_vfilter_row_words_avx2 (rows, taps, n_taps, precision, round,
        width, out);
#endif
  for (; i < width; i++) {
    gint32 acc = round;

    for (j = 0; j < n_taps; j++)
      acc += rows[j][i] * taps[j];
    acc = eclut_filter_floor_shift (acc, precision);
    out[i] = (guint16) CLAMP (acc, 0, 65535);
  }
}

void
eclut_vfilter_row_words (const guint16 * const *rows, const gint16 * taps,
    guint n_taps, guint precision, gint32 round, guint width, guint16 * out)
{
  eclut_vfilter_row_words_for_level (rows, taps, n_taps, precision, round,
      width, out, ECLUT_SIMD_AVX2);
}

gboolean
eclut_vfilter_has_simd (const gint16 * taps, guint n_taps, guint precision)
{
#ifdef ECLUT_HAVE_AVX2
  return eclut_simd_level () >= ECLUT_SIMD_AVX2 && n_taps <= 256 &&
      precision >= 1 && precision <= 14 &&
      taps_fit_16_bits (taps, n_taps, precision);
#else
  return FALSE;
#endif
}

void
eclut_vfilter_row_for_level (const guint8 * const *rows, const gint16 * taps,
    guint n_taps, guint precision, guint width, guint8 * out,
    EclutSimdLevel level)
{
  const gint32 round = 1 << (precision - 1);
  guint i = 0, j;

  g_return_if_fail (n_taps >= 1 && n_taps <= 256);
  g_return_if_fail (precision >= 1 && precision <= 14);

#ifdef ECLUT_HAVE_AVX2
  if (MIN (level, eclut_simd_level ()) >= ECLUT_SIMD_AVX2 &&
      taps_fit_16_bits (taps, n_taps, precision))
    i = eclut_vfilter_row_avx2 (rows, taps, n_taps, precision, width, out);
#endif
  for (; i < width; i++) {
    gint32 acc = round;

    for (j = 0; j < n_taps; j++)
      acc += rows[j][i] * taps[j];
    acc = eclut_filter_floor_shift (acc, precision);
    out[i] = (guint8) CLAMP (acc, 0, 255);
  }
}

void
eclut_vfilter_row (const guint8 * const *rows, const gint16 * taps,
    guint n_taps, guint precision, guint width, guint8 * out)
{
  eclut_vfilter_row_for_level (rows, taps, n_taps, precision, width, out,
      ECLUT_SIMD_AVX2);
}
