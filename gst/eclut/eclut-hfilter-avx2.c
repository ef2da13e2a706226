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


/* The horizontal filter with AVX2 (built with -mavx2; called only where
 * the CPU has it). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "eclut-hfilter-private.h"

#ifdef ECLUT_HAVE_AVX2

/* Each way of reading the windows gives the sums of 8 output pixels (not
 * yet rounded) in an order of its own; row_groups () rounds, clamps and
 * stores 16 at a time, with the byte shuffle that puts them back in order
 * (after the packs, per 16 pixels: the first 8 pixels' low lane, the next
 * 8's low lane, then the high lanes likewise). */
typedef __m256i (*EightSumsFunc) (const EclutHFilter * f, const guint8 * in,
    guint x);

static ECLUT_ALWAYS_INLINE void
store16 (const EclutHFilter * f, __m256i a, __m256i b, __m128i order,
    guint8 * out)
{
  const __m256i round = _mm256_set1_epi32 (1 << (f->precision - 1));
  const __m128i shift = _mm_cvtsi32_si128 ((gint) f->precision);
  /* per lane: 8 sums as int16 (the filters' overshoot is far inside),
   * then as bytes clamped to 0..255 */
  const __m256i s = _mm256_packs_epi32 (_mm256_sra_epi32 (_mm256_add_epi32
          (a, round), shift), _mm256_sra_epi32 (_mm256_add_epi32 (b, round),
          shift));
  const __m256i u = _mm256_packus_epi16 (s, s);
  const __m128i q =
      _mm256_castsi256_si128 (_mm256_permute4x64_epi64 (u, 0x08));

  _mm_storeu_si128 ((__m128i *) out, _mm_shuffle_epi8 (q, order));
}

/* The pixels 0 .. n_simd - 1 in groups of 16, the last overlapping the one
 * before if n_simd is not a multiple of 16 (n_simd >= 16; @sums is a
 * constant, inlined) */
static ECLUT_ALWAYS_INLINE void
row_groups (const EclutHFilter * f, const guint8 * in, guint8 * out,
    EightSumsFunc sums, __m128i order)
{
  guint x;

  for (x = 0; x + 16 <= f->n_simd; x += 16)
    store16 (f, sums (f, in, x), sums (f, in, x + 8), order, out + x);
  if (x < f->n_simd) {
    x = f->n_simd - 16;
    store16 (f, sums (f, in, x), sums (f, in, x + 8), order, out + x);
  }
}

/* ---- windows of 16 samples (9 to 16 taps) ---- */

/* The four partial sums (32 bits) of output pixel x in the low lane and of
 * x + 1 in the high lane: each window times its taps, as bytes. */
static inline __m256i
pair_sums (const EclutHFilter * f, const guint8 * in, guint x)
{
  const __m128i w0 = _mm_loadu_si128 ((const __m128i *) (in + f->offset[x]));
  const __m128i w1 =
      _mm_loadu_si128 ((const __m128i *) (in + f->offset[x + 1]));
  const __m256i w = _mm256_inserti128_si256 (_mm256_castsi128_si256 (w0),
      w1, 1);
  const __m256i t = _mm256_loadu_si256 ((const __m256i *) (f->taps8 +
          (gsize) x * 16));

  return _mm256_madd_epi16 (_mm256_maddubs_epi16 (w, t),
      _mm256_set1_epi16 (1));
}

/* Pixels x, x + 2, x + 4, x + 6 in the low lane, the odd ones in the high
 * lane */
static ECLUT_ALWAYS_INLINE __m256i
eight_sums16 (const EclutHFilter * f, const guint8 * in, guint x)
{
  const __m256i h01 = _mm256_hadd_epi32 (pair_sums (f, in, x),
      pair_sums (f, in, x + 2));
  const __m256i h23 = _mm256_hadd_epi32 (pair_sums (f, in, x + 4),
      pair_sums (f, in, x + 6));

  return _mm256_hadd_epi32 (h01, h23);
}

void
eclut_hfilter_row16_avx2 (const EclutHFilter * f, const guint8 * in,
    guint8 * out)
{
  row_groups (f, in, out, eight_sums16, _mm_setr_epi8 (0, 8, 1, 9, 2, 10, 3,
          11, 4, 12, 5, 13, 6, 14, 7, 15));
}

/* ---- windows of 8 samples (up to 8 taps): half the multiplies ---- */

/* The two partial sums of output pixels x, x + 1 (low lane) and x + 2,
 * x + 3 (high lane) */
static inline __m256i
quad_sums (const EclutHFilter * f, const guint8 * in, guint x)
{
  const guint32 *o = f->offset + x;
  const __m128i lo = _mm_castpd_si128 (_mm_loadh_pd (_mm_castsi128_pd
          (_mm_loadl_epi64 ((const __m128i *) (in + o[0]))),
          (const double *) (in + o[1])));
  const __m128i hi = _mm_castpd_si128 (_mm_loadh_pd (_mm_castsi128_pd
          (_mm_loadl_epi64 ((const __m128i *) (in + o[2]))),
          (const double *) (in + o[3])));
  const __m256i w = _mm256_inserti128_si256 (_mm256_castsi128_si256 (lo),
      hi, 1);
  const __m256i t = _mm256_loadu_si256 ((const __m256i *) (f->taps8 +
          (gsize) x * 8));

  return _mm256_madd_epi16 (_mm256_maddubs_epi16 (w, t),
      _mm256_set1_epi16 (1));
}

/* Pixels 0 1 4 5 in the low lane, 2 3 6 7 in the high one */
static ECLUT_ALWAYS_INLINE __m256i
eight_sums8 (const EclutHFilter * f, const guint8 * in, guint x)
{
  return _mm256_hadd_epi32 (quad_sums (f, in, x), quad_sums (f, in, x + 4));
}

void
eclut_hfilter_row8_avx2 (const EclutHFilter * f, const guint8 * in,
    guint8 * out)
{
  row_groups (f, in, out, eight_sums8, _mm_setr_epi8 (0, 1, 8, 9, 2, 3, 10,
          11, 4, 5, 12, 13, 6, 7, 14, 15));
}

/* ---- windows of 8 cut out of shared 16-sample loads ---- */

/* The sums of output pixels x .. x + 3 (low lane) and x + 4 .. x + 7 (high
 * lane), not yet rounded */
static ECLUT_ALWAYS_INLINE __m256i
eight_sums_shared (const EclutHFilter * f, const guint8 * in, guint x)
{
  const __m256i *rec = (const __m256i *) (f->shared_rec + (gsize) x * 16);
  const __m256i w = _mm256_inserti128_si256 (_mm256_castsi128_si256
      (_mm_loadu_si128 ((const __m128i *) (in + f->shared_base[x / 4]))),
      _mm_loadu_si128 ((const __m128i *) (in + f->shared_base[x / 4 + 1])),
      1);
  const __m256i ones = _mm256_set1_epi16 (1);
  /* pixels 0 1 | 4 5, and 2 3 | 6 7: two partial sums each */
  const __m256i a = _mm256_madd_epi16 (_mm256_maddubs_epi16
      (_mm256_shuffle_epi8 (w, _mm256_loadu_si256 (rec)),
          _mm256_loadu_si256 (rec + 2)), ones);
  const __m256i b = _mm256_madd_epi16 (_mm256_maddubs_epi16
      (_mm256_shuffle_epi8 (w, _mm256_loadu_si256 (rec + 1)),
          _mm256_loadu_si256 (rec + 3)), ones);

  return _mm256_hadd_epi32 (a, b);
}

void
eclut_hfilter_row_shared_avx2 (const EclutHFilter * f, const guint8 * in,
    guint8 * out)
{
  /* x is a multiple of 8 in every group: the records are per 8 pixels */
  row_groups (f, in, out, eight_sums_shared, _mm_setr_epi8 (0, 1, 2, 3, 8,
          9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15));
}

/* ---- words: windows of 8 (up to 8 taps) ---- */

/* The four partial sums of output pixel x (low lane) and x + 1 (high
 * lane), of the samples less 32768 */
static inline __m256i
pair_sums_words (const EclutHFilter * f, const guint16 * in, guint x)
{
  const __m256i flip = _mm256_set1_epi16 ((gint16) 0x8000);
  const __m128i w0 = _mm_loadu_si128 ((const __m128i *) (in + f->offset[x]));
  const __m128i w1 =
      _mm_loadu_si128 ((const __m128i *) (in + f->offset[x + 1]));
  const __m256i w = _mm256_xor_si256 (_mm256_inserti128_si256
      (_mm256_castsi128_si256 (w0), w1, 1), flip);
  const __m256i t = _mm256_loadu_si256 ((const __m256i *) (f->taps_w +
          (gsize) x * 8));

  return _mm256_madd_epi16 (w, t);
}

void
eclut_hfilter_row_words_avx2 (const EclutHFilter * f, const guint16 * in,
    guint16 * out)
{
  const __m128i shift = _mm_cvtsi32_si128 ((gint) f->precision);
  guint x;

  for (x = 0; x < f->n_simd; x += 8) {
    const __m256i h01 = _mm256_hadd_epi32 (pair_sums_words (f, in, x),
        pair_sums_words (f, in, x + 2));
    const __m256i h23 = _mm256_hadd_epi32 (pair_sums_words (f, in, x + 4),
        pair_sums_words (f, in, x + 6));
    /* pixels 0 2 4 6 | 1 3 5 7, with their bias in the same order */
    const __m256i a = _mm256_sra_epi32 (_mm256_add_epi32 (_mm256_hadd_epi32
            (h01, h23), _mm256_loadu_si256 ((const __m256i *) (f->bias_w +
                    x))), shift);
    const __m256i u = _mm256_packus_epi32 (a, a);

    _mm_storeu_si128 ((__m128i *) (out + x),
        _mm_unpacklo_epi16 (_mm256_castsi256_si128 (u),
            _mm256_extracti128_si256 (u, 1)));
  }
}

#endif /* ECLUT_HAVE_AVX2 */
