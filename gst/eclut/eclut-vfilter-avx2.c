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


/* The vertical filter with AVX2 (built with -mavx2; called only where the
 * CPU has it). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "eclut-vfilter-private.h"

#ifdef ECLUT_HAVE_AVX2

guint
eclut_vfilter_row_avx2 (const guint8 * const *rows, const gint16 * taps,
    guint n_taps, guint precision, guint width, guint8 * out)
{
  const guint n_pairs = (n_taps + 1) / 2;
  const __m256i round = _mm256_set1_epi16 ((gint16) (1 << (precision - 1)));
  const __m128i shift = _mm_cvtsi32_si128 ((gint) precision);
  __m256i pair_taps[128];
  const guint8 *pair_rows[128][2];
  guint i, k;

  /* rows 2k and 2k + 1 with their taps as the bytes of one 16-bit word
   * (an odd last row paired with itself and a tap of 0) */
  for (k = 0; k < n_pairs; k++) {
    guint j = 2 * k;
    gint t1 = j + 1 < n_taps ? taps[j + 1] : 0;

    pair_taps[k] = _mm256_set1_epi16 ((gint16) ((taps[j] & 0xff) |
            ((t1 & 0xff) << 8)));
    pair_rows[k][0] = rows[j];
    pair_rows[k][1] = j + 1 < n_taps ? rows[j + 1] : rows[j];
  }

  for (i = 0; i + 32 <= width; i += 32) {
    __m256i lo = round, hi = round;

    for (k = 0; k < n_pairs; k++) {
      const __m256i a =
          _mm256_loadu_si256 ((const __m256i *) (pair_rows[k][0] + i));
      const __m256i b =
          _mm256_loadu_si256 ((const __m256i *) (pair_rows[k][1] + i));

      lo = _mm256_add_epi16 (lo,
          _mm256_maddubs_epi16 (_mm256_unpacklo_epi8 (a, b), pair_taps[k]));
      hi = _mm256_add_epi16 (hi,
          _mm256_maddubs_epi16 (_mm256_unpackhi_epi8 (a, b), pair_taps[k]));
    }
    /* the unpacks and the pack work per 128-bit lane alike: the samples
     * come back in order */
    _mm256_storeu_si256 ((__m256i *) (out + i),
        _mm256_packus_epi16 (_mm256_sra_epi16 (lo, shift),
            _mm256_sra_epi16 (hi, shift)));
  }
  return i;
}

guint
eclut_vfilter_row_words_avx2 (const guint16 * const *rows,
    const gint16 * taps, guint n_taps, guint precision, gint32 round,
    guint width, guint16 * out)
{
  const guint n_pairs = (n_taps + 1) / 2;
  const __m256i flip = _mm256_set1_epi16 ((gint16) 0x8000);
  const __m128i shift = _mm_cvtsi32_si128 ((gint) precision);
  __m256i pair_taps[128], bias;
  const guint16 *pair_rows[128][2];
  gint32 sum = 0;
  guint i, k;

  /* rows 2k and 2k + 1 with their taps as the two halves of a 32-bit word
   * (an odd last row paired with itself and a tap of 0); the samples go
   * in less 32768, so 32768 times the taps' sum comes back in the bias */
  for (k = 0; k < n_pairs; k++) {
    guint j = 2 * k;
    gint t1 = j + 1 < n_taps ? taps[j + 1] : 0;

    pair_taps[k] = _mm256_set1_epi32 ((gint32) ((guint16) taps[j] |
            ((guint32) (guint16) t1 << 16)));
    pair_rows[k][0] = rows[j];
    pair_rows[k][1] = j + 1 < n_taps ? rows[j + 1] : rows[j];
    sum += taps[j] + t1;
  }
  bias = _mm256_set1_epi32 (round + 32768 * sum);

  for (i = 0; i + 16 <= width; i += 16) {
    __m256i lo = bias, hi = bias;

    for (k = 0; k < n_pairs; k++) {
      const __m256i a = _mm256_xor_si256 (_mm256_loadu_si256 ((const __m256i
                  *) (pair_rows[k][0] + i)), flip);
      const __m256i b = _mm256_xor_si256 (_mm256_loadu_si256 ((const __m256i
                  *) (pair_rows[k][1] + i)), flip);

      lo = _mm256_add_epi32 (lo,
          _mm256_madd_epi16 (_mm256_unpacklo_epi16 (a, b), pair_taps[k]));
      hi = _mm256_add_epi32 (hi,
          _mm256_madd_epi16 (_mm256_unpackhi_epi16 (a, b), pair_taps[k]));
    }
    _mm256_storeu_si256 ((__m256i *) (out + i),
        _mm256_packus_epi32 (_mm256_sra_epi32 (lo, shift),
            _mm256_sra_epi32 (hi, shift)));
  }
  return i;
}

#endif /* ECLUT_HAVE_AVX2 */
