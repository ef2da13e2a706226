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

/* The refine stage's kernels with AVX2 (eclut-refine-private.h).  Built
 * with -mavx2 (meson.build), run only where the CPU has AVX2 (chosen in
 * eclut_refine_new ()). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "eclut-refine-private.h"

#ifdef ECLUT_HAVE_AVX2

/* The entries of pairs[0..7]: one 4-byte gather each. */
static ECLUT_ALWAYS_INLINE __m256i
gather8 (const guint8 * table, const guint16 * pairs)
{
  __m256i idx = _mm256_slli_epi32 (_mm256_cvtepu16_epi32 (_mm_loadu_si128
          ((const __m128i *) pairs)), 4);

  G_STATIC_ASSERT (ECLUT_REFINE_ENTRY_BYTES == 16);
  return _mm256_i32gather_epi32 ((const int *) table, idx, 1);
}

void
eclut_refine_gather_avx2 (const guint8 * table, const guint16 * pairs,
    guint n, gint8 * p0, gint8 * p1, gint8 * p2)
{
  /* per 128-bit lane: byte j of its 4 entries together; then the eight
   * bytes j of the 8 entries as 64-bit piece j */
  const __m256i bytes = _mm256_setr_epi8 (0, 4, 8, 12, 1, 5, 9, 13,
      2, 6, 10, 14, 3, 7, 11, 15, 0, 4, 8, 12, 1, 5, 9, 13,
      2, 6, 10, 14, 3, 7, 11, 15);
  const __m256i order = _mm256_setr_epi32 (0, 4, 1, 5, 2, 6, 3, 7);
  guint i;

  for (i = 0; i < n; i += 32) {
    __m256i s0 = _mm256_permutevar8x32_epi32 (_mm256_shuffle_epi8 (gather8
            (table, pairs + i), bytes), order);
    __m256i s1 = _mm256_permutevar8x32_epi32 (_mm256_shuffle_epi8 (gather8
            (table, pairs + i + 8), bytes), order);
    __m256i s2 = _mm256_permutevar8x32_epi32 (_mm256_shuffle_epi8 (gather8
            (table, pairs + i + 16), bytes), order);
    __m256i s3 = _mm256_permutevar8x32_epi32 (_mm256_shuffle_epi8 (gather8
            (table, pairs + i + 24), bytes), order);
    /* lane 0 of t0: piece 0 of s0, s1; lane 1: piece 2 of s0, s1 */
    __m256i t0 = _mm256_unpacklo_epi64 (s0, s1);
    __m256i t1 = _mm256_unpackhi_epi64 (s0, s1);
    __m256i t2 = _mm256_unpacklo_epi64 (s2, s3);
    __m256i t3 = _mm256_unpackhi_epi64 (s2, s3);

    _mm256_storeu_si256 ((__m256i *) (p0 + i),
        _mm256_permute2x128_si256 (t0, t2, 0x20));
    _mm256_storeu_si256 ((__m256i *) (p1 + i),
        _mm256_permute2x128_si256 (t1, t3, 0x20));
    _mm256_storeu_si256 ((__m256i *) (p2 + i),
        _mm256_permute2x128_si256 (t0, t2, 0x31));
  }
}

#define SEXT16(p) _mm256_cvtepi8_epi16 (_mm_loadu_si128 ((const __m128i *) (p)))

void
eclut_refine_add_avx2 (gint16 * sum, const gint8 * a, const gint8 * b,
    const gint8 * c, guint n)
{
  guint i;

  for (i = 0; i < n; i += 16) {
    __m256i s = _mm256_loadu_si256 ((const __m256i *) (sum + i));

    s = _mm256_add_epi16 (s, _mm256_add_epi16 (SEXT16 (a + i),
            _mm256_add_epi16 (SEXT16 (b + i), SEXT16 (c + i))));
    _mm256_storeu_si256 ((__m256i *) (sum + i), s);
  }
}

void
eclut_refine_finish_avx2 (const EclutRefine * stage, const gint16 * sum,
    const guint8 * in, guint8 * out, guint w)
{
  const __m256i bias = _mm256_set1_epi16 ((gint16) stage->bias);
  const __m128i shift = _mm_cvtsi32_si128 ((gint) stage->shift);
  guint x;

  /* whole groups of 16 (the arithmetic shift floors, the pack clamps to
   * 0..255); the rest with SSE2 and C, so that nothing past @w is read or
   * written */
  for (x = 0; x + 16 <= w; x += 16) {
    __m256i v = _mm256_sra_epi16 (_mm256_add_epi16 (_mm256_loadu_si256
            ((const __m256i *) (sum + x)), bias), shift);

    if (stage->residual)
      v = _mm256_add_epi16 (v, _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const
                      __m128i *) (in + x))));
    v = _mm256_permute4x64_epi64 (_mm256_packus_epi16 (v, v), 0x08);
    _mm_storeu_si128 ((__m128i *) (out + x), _mm256_castsi256_si128 (v));
  }
  eclut_refine_finish_sse2 (stage, sum + x, in + x, out + x, w - x);
}

#endif /* ECLUT_HAVE_AVX2 */
