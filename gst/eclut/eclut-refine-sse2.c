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

/* The refine stage's kernels with SSE2 (eclut-refine-private.h).  SSE2 has
 * no gather: the entries are read one by one, and split into the three
 * channel rows 16 at a time with byte unpacks. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-refine-private.h"

#ifdef ECLUT_HAVE_SSE2

static ECLUT_ALWAYS_INLINE gint
entry4 (const guint8 * table, guint16 pair)
{
  gint v;

  memcpy (&v, table + (gsize) pair * ECLUT_REFINE_ENTRY_BYTES, 4);
  return v;
}

static ECLUT_ALWAYS_INLINE __m128i
load_entries4 (const guint8 * table, const guint16 * pairs)
{
  return _mm_setr_epi32 (entry4 (table, pairs[0]), entry4 (table, pairs[1]),
      entry4 (table, pairs[2]), entry4 (table, pairs[3]));
}

void
eclut_refine_gather_sse2 (const guint8 * table, const guint16 * pairs,
    guint n, gint8 * p0, gint8 * p1, gint8 * p2)
{
  guint i;

  for (i = 0; i < n; i += 16) {
    /* entries e0..e15, 4 bytes each: three rounds of byte interleaves
     * turn them into byte 0 of e0..e7, byte 1 of e0..e7 (v0), bytes 2, 3
     * (v1), and the same of e8..e15 (v2, v3) */
    __m128i a = load_entries4 (table, pairs + i);
    __m128i b = load_entries4 (table, pairs + i + 4);
    __m128i c = load_entries4 (table, pairs + i + 8);
    __m128i d = load_entries4 (table, pairs + i + 12);
    __m128i t0 = _mm_unpacklo_epi8 (a, b), t1 = _mm_unpackhi_epi8 (a, b);
    __m128i t2 = _mm_unpacklo_epi8 (c, d), t3 = _mm_unpackhi_epi8 (c, d);
    __m128i u0 = _mm_unpacklo_epi8 (t0, t1), u1 = _mm_unpackhi_epi8 (t0, t1);
    __m128i u2 = _mm_unpacklo_epi8 (t2, t3), u3 = _mm_unpackhi_epi8 (t2, t3);
    __m128i v0 = _mm_unpacklo_epi8 (u0, u1), v1 = _mm_unpackhi_epi8 (u0, u1);
    __m128i v2 = _mm_unpacklo_epi8 (u2, u3), v3 = _mm_unpackhi_epi8 (u2, u3);

    _mm_storeu_si128 ((__m128i *) (p0 + i), _mm_unpacklo_epi64 (v0, v2));
    _mm_storeu_si128 ((__m128i *) (p1 + i), _mm_unpackhi_epi64 (v0, v2));
    _mm_storeu_si128 ((__m128i *) (p2 + i), _mm_unpacklo_epi64 (v1, v3));
  }
}

/* int8 to int16: each byte doubled, then shifted down with its sign */
#define SEXT_LO(v) _mm_srai_epi16 (_mm_unpacklo_epi8 ((v), (v)), 8)
#define SEXT_HI(v) _mm_srai_epi16 (_mm_unpackhi_epi8 ((v), (v)), 8)

void
eclut_refine_add_sse2 (gint16 * sum, const gint8 * a, const gint8 * b,
    const gint8 * c, guint n)
{
  guint i;

  for (i = 0; i < n; i += 16) {
    __m128i va = _mm_loadu_si128 ((const __m128i *) (a + i));
    __m128i vb = _mm_loadu_si128 ((const __m128i *) (b + i));
    __m128i vc = _mm_loadu_si128 ((const __m128i *) (c + i));
    __m128i s0 = _mm_loadu_si128 ((const __m128i *) (sum + i));
    __m128i s1 = _mm_loadu_si128 ((const __m128i *) (sum + i + 8));

    s0 = _mm_add_epi16 (s0, _mm_add_epi16 (SEXT_LO (va),
            _mm_add_epi16 (SEXT_LO (vb), SEXT_LO (vc))));
    s1 = _mm_add_epi16 (s1, _mm_add_epi16 (SEXT_HI (va),
            _mm_add_epi16 (SEXT_HI (vb), SEXT_HI (vc))));
    _mm_storeu_si128 ((__m128i *) (sum + i), s0);
    _mm_storeu_si128 ((__m128i *) (sum + i + 8), s1);
  }
}

void
eclut_refine_finish_sse2 (const EclutRefine * stage, const gint16 * sum,
    const guint8 * in, guint8 * out, guint w)
{
  const __m128i bias = _mm_set1_epi16 ((gint16) stage->bias);
  const __m128i shift = _mm_cvtsi32_si128 ((gint) stage->shift);
  const __m128i zero = _mm_setzero_si128 ();
  guint x;

  /* whole groups of 8 (the arithmetic shift floors, the pack clamps to
   * 0..255); the rest in C, so that nothing past @w is read or written */
  for (x = 0; x + 8 <= w; x += 8) {
    __m128i v = _mm_sra_epi16 (_mm_add_epi16 (_mm_loadu_si128 ((const
                    __m128i *) (sum + x)), bias), shift);

    if (stage->residual)
      v = _mm_add_epi16 (v, _mm_unpacklo_epi8 (_mm_loadl_epi64 ((const
                      __m128i *) (in + x)), zero));
    _mm_storel_epi64 ((__m128i *) (out + x), _mm_packus_epi16 (v, v));
  }
  eclut_refine_finish_c (stage, sum + x, in + x, out + x, w - x);
}

#endif /* ECLUT_HAVE_SSE2 */
