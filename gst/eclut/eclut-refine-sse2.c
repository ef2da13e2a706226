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

/* The refine stage's kernels with SSE2 (eclut-refine-private.h). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "eclut-refine-private.h"

#ifdef ECLUT_HAVE_SSE2

/* The quad pair's levels of the differences @n - @a, 16 at once: |d| from
 * two saturating subtractions, m the steps it reaches counted by
 * comparisons, and the sign from which subtraction is not zero. */
static inline __m128i
quad_levels (__m128i a, __m128i n)
{
  static const guint8 steps[] = { 1, 3, 6, 10, 16, 26, 46 };
  const __m128i up = _mm_subs_epu8 (n, a), down = _mm_subs_epu8 (a, n);
  const __m128i mag = _mm_or_si128 (up, down);
  /* -1 where n <= a: the level is 7 - m there (m = 0 where n = a) */
  const __m128i below = _mm_cmpeq_epi8 (up, _mm_setzero_si128 ());
  __m128i m = _mm_setzero_si128 ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (steps); i++) {
    const __m128i t = _mm_set1_epi8 ((gchar) steps[i]);

    /* max (|d|, t) == |d| where |d| >= t: -1 there */
    m = _mm_sub_epi8 (m, _mm_cmpeq_epi8 (_mm_max_epu8 (mag, t), mag));
  }
  /* (m ^ below) - below = -m where below, else m */
  return _mm_add_epi8 (_mm_set1_epi8 (7),
      _mm_sub_epi8 (_mm_xor_si128 (m, below), below));
}

void
eclut_refine_quad_sse2 (const guint8 * a, const guint8 * u, const guint8 * v,
    const guint8 * g, guint n, guint8 * hi, guint8 * lo)
{
  const __m128i top = _mm_set1_epi8 ((gchar) 0xf0);
  guint i;

  for (i = 0; i + 16 <= n; i += 16) {
    const __m128i va = _mm_loadu_si128 ((const __m128i *) (a + i));
    const __m128i lu = quad_levels (va, _mm_loadu_si128 ((const __m128i *)
            (u + i)));
    const __m128i lv = quad_levels (va, _mm_loadu_si128 ((const __m128i *)
            (v + i)));
    const __m128i lg = quad_levels (va, _mm_loadu_si128 ((const __m128i *)
            (g + i)));

    _mm_storeu_si128 ((__m128i *) (hi + i),
        _mm_or_si128 (_mm_and_si128 (va, top), lu));
    /* lv < 16: a shift of the 16-bit lanes by 4 keeps each byte's bits
     * in that byte */
    _mm_storeu_si128 ((__m128i *) (lo + i),
        _mm_or_si128 (_mm_slli_epi16 (lv, 4), lg));
  }
  eclut_refine_quad_c (a + i, u + i, v + i, g + i, n - i, hi + i, lo + i);
}

void
eclut_refine_pairs_sse2 (const guint8 * a, const guint8 * b, guint n,
    guint32 * out)
{
  const __m128i z = _mm_setzero_si128 ();
  guint i;

  for (i = 0; i + 16 <= n; i += 16) {
    __m128i va = _mm_loadu_si128 ((const __m128i *) (a + i));
    __m128i vb = _mm_loadu_si128 ((const __m128i *) (b + i));
    /* little endian: the low byte of each 16-bit pair from b */
    __m128i lo = _mm_unpacklo_epi8 (vb, va), hi = _mm_unpackhi_epi8 (vb, va);

    _mm_storeu_si128 ((__m128i *) (out + i),
        _mm_slli_epi32 (_mm_unpacklo_epi16 (lo, z), 4));
    _mm_storeu_si128 ((__m128i *) (out + i + 4),
        _mm_slli_epi32 (_mm_unpackhi_epi16 (lo, z), 4));
    _mm_storeu_si128 ((__m128i *) (out + i + 8),
        _mm_slli_epi32 (_mm_unpacklo_epi16 (hi, z), 4));
    _mm_storeu_si128 ((__m128i *) (out + i + 12),
        _mm_slli_epi32 (_mm_unpackhi_epi16 (hi, z), 4));
  }
  for (; i < n; i++)
    out[i] = (guint32) (a[i] << 8 | b[i]) * ECLUT_REFINE_ENTRY_BYTES;
}

void
eclut_refine_phases_sse2 (guint32 * out, const guint32 * col,
    guint32 row_off, guint n, guint n_pos)
{
  const __m128i r = _mm_set1_epi32 ((gint) row_off);
  /* x n_pos (4, 9 or 16) as (x << 2, 3 or 4) + (x if 9) */
  const __m128i sh = _mm_cvtsi32_si128 (n_pos == 4 ? 2 : n_pos == 9 ? 3 : 4);
  const __m128i one = _mm_set1_epi32 (n_pos == 9 ? -1 : 0);
  guint i;

  for (i = 0; i < n; i += 4) {
    __m128i o = _mm_loadu_si128 ((const __m128i *) (out + i));
    __m128i c = _mm_loadu_si128 ((const __m128i *) (col + i));

    o = _mm_add_epi32 (_mm_sll_epi32 (o, sh), _mm_and_si128 (o, one));
    _mm_storeu_si128 ((__m128i *) (out + i),
        _mm_add_epi32 (o, _mm_add_epi32 (c, r)));
  }
}

#define SSE2_OP(op) _mm_ ## op

void
eclut_refine_entries_sse2 (const guint8 * table, const guint32 * offs,
    guint n, gint8 * const planes[9])
{
  const guint32 *end = offs + n;
  guint i, j;

  for (i = 0; offs < end; i += 16, offs += 16) {
    __m128i a[16], col[9];

    ECLUT_UNROLL for (j = 0; j < 16; j++)
      a[j] = _mm_load_si128 ((const __m128i *) (table + offs[j]));
    ECLUT_REFINE_TRANSPOSE9 (__m128i, SSE2_OP, a, col);
    ECLUT_UNROLL for (j = 0; j < 9; j++)
      _mm_storeu_si128 ((__m128i *) (planes[j] + i), col[j]);
  }
}

/* int8 to int16: each byte doubled, then shifted down with its sign */
#define SEXT_LO(v) _mm_srai_epi16 (_mm_unpacklo_epi8 ((v), (v)), 8)
#define SEXT_HI(v) _mm_srai_epi16 (_mm_unpackhi_epi8 ((v), (v)), 8)

static ECLUT_ALWAYS_INLINE void
add3 (gint16 * sum, const gint8 * a, const gint8 * b, const gint8 * c,
    guint i, gboolean first)
{
  {
    __m128i va = _mm_loadu_si128 ((const __m128i *) (a + i));
    __m128i vb = _mm_loadu_si128 ((const __m128i *) (b + i));
    __m128i vc = _mm_loadu_si128 ((const __m128i *) (c + i));
    __m128i s0 = first ? _mm_setzero_si128 () :
        _mm_loadu_si128 ((const __m128i *) (sum + i));
    __m128i s1 = first ? _mm_setzero_si128 () :
        _mm_loadu_si128 ((const __m128i *) (sum + i + 8));

    s0 = _mm_add_epi16 (s0, _mm_add_epi16 (SEXT_LO (va),
            _mm_add_epi16 (SEXT_LO (vb), SEXT_LO (vc))));
    s1 = _mm_add_epi16 (s1, _mm_add_epi16 (SEXT_HI (va),
            _mm_add_epi16 (SEXT_HI (vb), SEXT_HI (vc))));
    _mm_storeu_si128 ((__m128i *) (sum + i), s0);
    _mm_storeu_si128 ((__m128i *) (sum + i + 8), s1);
  }
}

static ECLUT_ALWAYS_INLINE void
add9 (gint16 * const sum[3], const gint8 * const p[9], guint n,
    gboolean first)
{
  guint i;

  for (i = 0; i < n; i += 16) {
    add3 (sum[0], p[0], p[1], p[2], i, first);
    add3 (sum[1], p[3], p[4], p[5], i, first);
    add3 (sum[2], p[6], p[7], p[8], i, first);
  }
}

void
eclut_refine_add_sse2 (gint16 * const sum[3], const gint8 * const p[9],
    guint n, gboolean first)
{
  if (first)
    add9 (sum, p, n, TRUE);
  else
    add9 (sum, p, n, FALSE);
}

void
eclut_refine_finish_sse2 (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w)
{
  const __m128i bias = _mm_set1_epi16 ((gint16) stage->bias);
  const __m128i shift = _mm_cvtsi32_si128 ((gint) stage->shift);
  const __m128i zero = _mm_setzero_si128 ();
  guint x;

  /* whole groups of 8 (the arithmetic shift floors, the pack clamps to
   * 0..255); the rest in C, so that nothing past @w is read or written */
  for (x = 0; x + 8 <= w; x += 8) {
#define LOAD(p) _mm_loadu_si128 ((const __m128i *) (p))
    __m128i v = _mm_add_epi16 (_mm_add_epi16 (LOAD (s[0] + x), LOAD (s[1]
                + x)), _mm_add_epi16 (LOAD (s[2] + x), bias));
#undef LOAD

    v = _mm_sra_epi16 (v, shift);

    if (stage->residual)
      v = _mm_add_epi16 (v, _mm_unpacklo_epi8 (_mm_loadl_epi64 ((const
                      __m128i *) (in + x)), zero));
    _mm_storel_epi64 ((__m128i *) (out + x), _mm_packus_epi16 (v, v));
  }
  if (x < w) {
    const gint16 *const rest[3] = { s[0] + x, s[1] + x, s[2] + x };

    eclut_refine_finish_c (stage, rest, in + x, out + x, w - x);
  }
}

void
eclut_refine_top8_sse2 (const guint8 * row, guint w, EclutSamples samples,
    guint8 * h)
{
  const __m128i low10 = _mm_set1_epi16 (samples == ECLUT_SAMPLES_U10_MSB ?
      -1 : 1023);
  /* low bits: (v & 1023) >> 2; high bits (P010): v >> 6 >> 2 */
  const __m128i shift = _mm_cvtsi32_si128 (samples ==
      ECLUT_SAMPLES_U10_MSB ? 8 : 2);
  guint x;

  for (x = 0; x + 16 <= w; x += 16) {
    __m128i a = _mm_loadu_si128 ((const __m128i *) (row + 2 * x));
    __m128i b = _mm_loadu_si128 ((const __m128i *) (row + 2 * x + 16));

    a = _mm_srl_epi16 (_mm_and_si128 (a, low10), shift);
    b = _mm_srl_epi16 (_mm_and_si128 (b, low10), shift);
    _mm_storeu_si128 ((__m128i *) (h + x), _mm_packus_epi16 (a, b));
  }
  if (x < w)
    eclut_refine_top8_c (row + 2 * x, w - x, samples, h + x);
}

void
eclut_refine_finish10_sse2 (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w,
    EclutSamples samples)
{
  const gboolean msb = samples == ECLUT_SAMPLES_U10_MSB;
  const __m128i bias = _mm_set1_epi16 ((gint16) stage->bias);
  const __m128i shift = _mm_cvtsi32_si128 ((gint) stage->shift);
  const __m128i low10 = _mm_set1_epi16 (1023);
  const __m128i zero = _mm_setzero_si128 ();
  guint x;

  /* whole groups of 8: 4 (S + b) and V + c10 fit int16 */
  for (x = 0; x + 8 <= w; x += 8) {
#define LOAD(p) _mm_loadu_si128 ((const __m128i *) (p))
    __m128i v = _mm_add_epi16 (_mm_add_epi16 (LOAD (s[0] + x), LOAD (s[1]
                + x)), _mm_add_epi16 (LOAD (s[2] + x), bias));

    v = _mm_sra_epi16 (_mm_slli_epi16 (v, 2), shift);
    if (stage->residual) {
      __m128i in10 = LOAD (in + 2 * x);

      v = _mm_add_epi16 (v, msb ? _mm_srli_epi16 (in10, 6) :
          _mm_and_si128 (in10, low10));
    }
#undef LOAD
    v = _mm_min_epi16 (_mm_max_epi16 (v, zero), low10);
    if (msb)
      v = _mm_slli_epi16 (v, 6);
    _mm_storeu_si128 ((__m128i *) (out + 2 * x), v);
  }
  if (x < w) {
    const gint16 *const rest[3] = { s[0] + x, s[1] + x, s[2] + x };

    eclut_refine_finish10_c (stage, rest, in + 2 * x, out + 2 * x, w - x,
        samples);
  }
}

#endif /* ECLUT_HAVE_SSE2 */
