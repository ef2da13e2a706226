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

#define AVX2_OP(op) _mm256_ ## op

void
eclut_refine_phases_avx2 (guint32 * out, const guint32 * col,
    guint32 row_off, guint n, guint n_pos)
{
  const __m256i r = _mm256_set1_epi32 ((gint) row_off);
  /* x n_pos (4, 9 or 16) as (x << 2, 3 or 4) + (x if 9) */
  const __m128i sh = _mm_cvtsi32_si128 (n_pos == 4 ? 2 : n_pos == 9 ? 3 : 4);
  const __m256i nine = _mm256_set1_epi32 (n_pos == 9 ? -1 : 0);
  guint i;

  for (i = 0; i < n; i += 8) {
    __m256i o = _mm256_loadu_si256 ((const __m256i *) (out + i));
    __m256i c = _mm256_loadu_si256 ((const __m256i *) (col + i));

    o = _mm256_add_epi32 (_mm256_sll_epi32 (o, sh),
        _mm256_and_si256 (o, nine));
    _mm256_storeu_si256 ((__m256i *) (out + i),
        _mm256_add_epi32 (o, _mm256_add_epi32 (c, r)));
  }
}

void
eclut_refine_entries_avx2 (const guint8 * table, const guint32 * offs,
    guint n, gint8 * const planes[9])
{
  const guint32 *end = offs + n;
  guint i, j;

  /* two blocks of 16 entries at once, pixels i .. i + 15 in the low
   * 128-bit lanes and i + 16 .. i + 31 in the high ones */
  for (i = 0; offs < end; i += 32, offs += 32) {
    __m256i a[16], col[9];

    ECLUT_UNROLL for (j = 0; j < 16; j++)
      a[j] = _mm256_inserti128_si256 (_mm256_castsi128_si256 (_mm_load_si128
              ((const __m128i *) (table + offs[j]))),
          _mm_load_si128 ((const __m128i *) (table + offs[16 + j])), 1);
    ECLUT_REFINE_TRANSPOSE9 (__m256i, AVX2_OP, a, col);
    ECLUT_UNROLL for (j = 0; j < 9; j++)
      _mm256_storeu_si256 ((__m256i *) (planes[j] + i), col[j]);
  }
}

#define SEXT16(p) _mm256_cvtepi8_epi16 (_mm_loadu_si128 ((const __m128i *) (p)))

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add3 (gint16 * sum, const gint8 * a, const gint8 * b, const gint8 * c,
    guint i, gboolean first)
{
  __m256i s = _mm256_add_epi16 (SEXT16 (a + i),
      _mm256_add_epi16 (SEXT16 (b + i), SEXT16 (c + i)));

  if (!first)
    s = _mm256_add_epi16 (s, _mm256_loadu_si256 ((const __m256i *) (sum + i)));
  _mm256_storeu_si256 ((__m256i *) (sum + i), s);
}

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add9 (gint16 * const sum[3], const gint8 * const p[9], guint n,
    gboolean first)
{
  gint16 *s0 = sum[0], *s1 = sum[1], *s2 = sum[2];
  guint i;

  for (i = 0; i < n; i += 16) {
    add3 (s0, p[0], p[1], p[2], i, first);
    add3 (s1, p[3], p[4], p[5], i, first);
    add3 (s2, p[6], p[7], p[8], i, first);
  }
}

void
eclut_refine_add_avx2 (gint16 * const sum[3], const gint8 * const p[9],
    guint n, gboolean first)
{
  if (first)
    add9 (sum, p, n, TRUE);
  else
    add9 (sum, p, n, FALSE);
}

void
eclut_refine_finish_avx2 (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w)
{
  const __m256i bias = _mm256_set1_epi16 ((gint16) stage->bias);
  const __m128i shift = _mm_cvtsi32_si128 ((gint) stage->shift);
  guint x;

  /* whole groups of 16 (the arithmetic shift floors, the pack clamps to
   * 0..255); the rest with SSE2 and C, so that nothing past @w is read or
   * written */
  for (x = 0; x + 16 <= w; x += 16) {
#define LOAD(p) _mm256_loadu_si256 ((const __m256i *) (p))
    __m256i v = _mm256_add_epi16 (_mm256_add_epi16 (LOAD (s[0] + x),
            LOAD (s[1] + x)), _mm256_add_epi16 (LOAD (s[2] + x), bias));
#undef LOAD

    v = _mm256_sra_epi16 (v, shift);

    if (stage->residual)
      v = _mm256_add_epi16 (v, _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const
                      __m128i *) (in + x))));
    v = _mm256_permute4x64_epi64 (_mm256_packus_epi16 (v, v), 0x08);
    _mm_storeu_si128 ((__m128i *) (out + x), _mm256_castsi256_si128 (v));
  }
  if (x < w) {
    const gint16 *const rest[3] = { s[0] + x, s[1] + x, s[2] + x };

    eclut_refine_finish_sse2 (stage, rest, in + x, out + x, w - x);
  }
}

#endif /* ECLUT_HAVE_AVX2 */
