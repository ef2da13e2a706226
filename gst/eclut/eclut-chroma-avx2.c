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


/* The chroma core's AVX2 code (eclut-chroma.c).  Built with -mavx2
 * (meson.build), run only where the CPU has AVX2. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-chroma-private.h"

#ifdef ECLUT_HAVE_AVX2
/* h_pass_3_nc with 16-byte vectors (16 / nc source samples, 48 output
 * bytes per step): the three phases are blended in 16 bits like the C
 * loop (the same formula, bit-exact), then interleaved with byte
 * shuffles, which ORC lacks.  Returns the number of source samples done;
 * the caller finishes the rest. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE guint
h_pass_3_avx2 (const guint nc, const EclutChromaFastH * fh,
    const guint8 * vrow, guint8 * out)
{
  const guint g = 16 / nc, n = fh->m_hi - fh->m_lo;
  const __m128i z = _mm_setzero_si128 (), round = _mm_set1_epi16 (128);
  __m128i wa[3], wb[3], mask[3][3];
  const guint8 *s[3];
  guint8 *d = out + (gsize) 3 * nc * fh->m_lo;
  guint ph, k, m;

  for (ph = 0; ph < 3; ph++) {
    wa[ph] = _mm_set1_epi16 ((gint16) fh->wa[ph]);
    wb[ph] = _mm_set1_epi16 ((gint16) fh->wb[ph]);
    s[ph] = vrow + (gssize) nc *((gint) fh->m_lo + fh->o[ph]);
  }
  for (k = 0; k < 3; k++)
    for (ph = 0; ph < 3; ph++)
      mask[k][ph] = _mm_loadu_si128 ((const __m128i *) fh->shuf3[k][ph]);

  for (m = 0; m + g <= n; m += g) {
    __m128i p[3];

    for (ph = 0; ph < 3; ph++) {
      /* samples m .. m + g - 1 and their right neighbours: inside the row
       * for every m < m_hi (fast_h_init) */
      __m128i a = _mm_loadu_si128 ((const __m128i *) (s[ph] + nc * m));
      __m128i b = _mm_loadu_si128 ((const __m128i *) (s[ph] + nc * (m + 1)));
      __m128i lo = _mm_add_epi16 (_mm_add_epi16 (_mm_mullo_epi16
              (_mm_unpacklo_epi8 (a, z), wa[ph]),
              _mm_mullo_epi16 (_mm_unpacklo_epi8 (b, z), wb[ph])), round);
      __m128i hi = _mm_add_epi16 (_mm_add_epi16 (_mm_mullo_epi16
              (_mm_unpackhi_epi8 (a, z), wa[ph]),
              _mm_mullo_epi16 (_mm_unpackhi_epi8 (b, z), wb[ph])), round);

      /* (x + 128) >> 8 as unsigned 16 bits: the sum is below 65536 */
      p[ph] = _mm_packus_epi16 (_mm_srli_epi16 (lo, 8), _mm_srli_epi16 (hi, 8));
    }
    for (k = 0; k < 3; k++)
      _mm_storeu_si128 ((__m128i *) (d + 16 * k),
          _mm_or_si128 (_mm_or_si128 (_mm_shuffle_epi8 (p[0], mask[k][0]),
                  _mm_shuffle_epi8 (p[1], mask[k][1])),
              _mm_shuffle_epi8 (p[2], mask[k][2])));
    d += 48;
  }
  return m;
}

static ECLUT_AVX2 guint
h_pass_3_avx2_1 (const EclutChromaFastH * fh, const guint8 * vrow,
    guint8 * out)
{
  return h_pass_3_avx2 (1, fh, vrow, out);
}

static ECLUT_AVX2 guint
h_pass_3_avx2_2 (const EclutChromaFastH * fh, const guint8 * vrow,
    guint8 * out)
{
  return h_pass_3_avx2 (2, fh, vrow, out);
}

/* The spec's blend (a (256 - w) + b w + 128) >> 8 with w = 2^k w' (k >= 1)
 * is exactly ((a (256 - w) / 2^k + b w') + 2^(7 - k)) >> (8 - k), whose
 * products fit pmaddubsw (byte pairs times signed byte weights, at most
 * 255 * 128 per pair).  The weight, rounding and shift of one blend in
 * that form, or FALSE if w is 0 or odd (then ORC runs). */
typedef struct
{
  __m256i wts;                  /* bytes (w_a, w_b) repeated */
  __m256i round;                /* 16 bits */
  __m128i shift;
} Madd;

static ECLUT_AVX2 gboolean
madd_init (gint wa, gint wb, Madd * m)
{
  guint k = 0;

  if (wb <= 0 || wb >= 256 || wa + wb != 256)
    return FALSE;
  while (((wb >> k) & 1) == 0)
    k++;
  if (k == 0)
    return FALSE;
  m->wts = _mm256_set1_epi16 ((gint16) ((wa >> k) | (wb >> k) << 8));
  m->round = _mm256_set1_epi16 ((gint16) (1 << (7 - k)));
  m->shift = _mm_cvtsi32_si128 ((int) (8 - k));
  return TRUE;
}

/* Blends of the byte pairs (a[i], b[i]), i = 0-7 and 16-23 (@lo) or 8-15
 * and 24-31 (@hi, FALSE), as 16-bit results. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m256i
madd_half (__m256i a, __m256i b, const Madd * m, const gboolean lo)
{
  __m256i pairs = lo ? _mm256_unpacklo_epi8 (a, b) : _mm256_unpackhi_epi8 (a,
      b);

  return _mm256_srl_epi16 (_mm256_add_epi16 (_mm256_maddubs_epi16 (pairs,
              m->wts), m->round), m->shift);
}

#define LOADU(p) _mm256_loadu_si256 ((const __m256i *) (p))
#define STOREU(p, v) _mm256_storeu_si256 ((__m256i *) (p), (v))

/* eclut_orc_blend_u8 for an even, non-zero @w: 32 bytes per step.  Returns
 * the number of bytes done. */
static ECLUT_AVX2 guint
blend_avx2 (const guint8 * s0, const guint8 * s1, guint8 * d, guint w,
    guint n)
{
  Madd m;
  guint i;

  if (!madd_init (256 - (gint) w, (gint) w, &m))
    return 0;
  for (i = 0; i + 32 <= n; i += 32) {
    __m256i a = LOADU (s0 + i), b = LOADU (s1 + i);

    /* per 128-bit lane: the pack undoes the unpacks' split */
    STOREU (d + i, _mm256_packus_epi16 (madd_half (a, b, &m, TRUE),
            madd_half (a, b, &m, FALSE)));
  }
  return i;
}

/* The horizontal pass of a planar (one component) row at r = 2 or 4 for
 * source samples m_lo .. m_hi - 1, 32 per step: each phase's blends in 16
 * bits, combined as (p0 | p1 << 8) (and p2 | p3 << 8, interleaved in 32
 * bits at r = 4), which is the output byte order.  Returns the number of
 * source samples done (0 if a weight does not suit pmaddubsw). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE guint
h_pass_planar_avx2_r (const EclutChromaFastH * fh, const guint8 * vrow,
    guint8 * out, const guint r)
{
  const guint n = fh->m_hi - fh->m_lo;
  const guint8 *s[4];
  guint8 *d = out + (gsize) r * fh->m_lo;
  Madd m[4];
  guint ph, i;

  for (ph = 0; ph < r; ph++) {
    if (!madd_init (fh->wa[ph], fh->wb[ph], &m[ph]))
      return 0;
    s[ph] = vrow + (gssize) fh->m_lo + fh->o[ph];
  }
  /* sample i + 31 and its right neighbour: inside the row while i + 31 <
   * n (fast_h_init) */
  for (i = 0; i + 32 <= n; i += 32) {
    __m256i p[4][2];
    guint h;

    for (ph = 0; ph < r; ph++) {
      __m256i a = LOADU (s[ph] + i), b = LOADU (s[ph] + i + 1);

      p[ph][0] = madd_half (a, b, &m[ph], TRUE);
      p[ph][1] = madd_half (a, b, &m[ph], FALSE);
    }
    if (r == 2) {
      /* 16-bit output pairs of samples 0-7 | 16-23 and 8-15 | 24-31 */
      __m256i lo = _mm256_or_si256 (p[0][0], _mm256_slli_epi16 (p[1][0], 8));
      __m256i hi = _mm256_or_si256 (p[0][1], _mm256_slli_epi16 (p[1][1], 8));

      STOREU (d + 2 * i, _mm256_permute2x128_si256 (lo, hi, 0x20));
      STOREU (d + 2 * i + 32, _mm256_permute2x128_si256 (lo, hi, 0x31));
    } else {
      for (h = 0; h < 2; h++) {
        __m256i a = _mm256_or_si256 (p[0][h], _mm256_slli_epi16 (p[1][h], 8));
        __m256i b = _mm256_or_si256 (p[2][h], _mm256_slli_epi16 (p[3][h], 8));
        /* 32-bit outputs of samples 8h + (0-3 | 16-19), 8h + (4-7 |
         * 20-23) */
        __m256i q0 = _mm256_unpacklo_epi16 (a, b);
        __m256i q1 = _mm256_unpackhi_epi16 (a, b);

        STOREU (d + 4 * (i + 8 * h), _mm256_permute2x128_si256 (q0, q1, 0x20));
        STOREU (d + 4 * (i + 8 * h + 16), _mm256_permute2x128_si256 (q0, q1,
                0x31));
      }
    }
  }
  return i;
}

/* one copy per scale, so that the phase loops unroll (registers, not the
 * stack) */
static ECLUT_AVX2 guint
h_pass_planar_avx2_2 (const EclutChromaFastH * fh, const guint8 * vrow,
    guint8 * out)
{
  return h_pass_planar_avx2_r (fh, vrow, out, 2);
}

static ECLUT_AVX2 guint
h_pass_planar_avx2_4 (const EclutChromaFastH * fh, const guint8 * vrow,
    guint8 * out)
{
  return h_pass_planar_avx2_r (fh, vrow, out, 4);
}

/* 10 bits.  The blends (a (256 - w) + b w + 128) >> 8 of code values
 * (0..1023) as pmaddwd of the word pairs (a, b) and (256 - w, w): 32-bit
 * sums, rounded, shifted, packed back to words (packusdw keeps the order
 * of unpacklo / unpackhi within each 128-bit lane). */

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE guint
v_pass_16_avx2 (const guint8 * s0, const guint8 * s1, guint16 * d, guint w,
    guint n, const guint low)
{
  const __m256i wts = _mm256_set1_epi32 ((gint) ((w << 16) | (256 - w)));
  const __m256i round = _mm256_set1_epi32 (128);
  const __m256i mask = _mm256_set1_epi16 (0x3ff);
  const __m128i sh = _mm_cvtsi32_si128 ((int) low);
  guint i;

  for (i = 0; i + 16 <= n; i += 16) {
    /* the code values: shifted down (P010) and masked to 10 bits */
    __m256i a = _mm256_and_si256 (_mm256_srl_epi16 (LOADU (s0 + 2 * i),
            sh), mask);
    __m256i b = _mm256_and_si256 (_mm256_srl_epi16 (LOADU (s1 + 2 * i),
            sh), mask);
    __m256i lo = _mm256_madd_epi16 (_mm256_unpacklo_epi16 (a, b), wts);
    __m256i hi = _mm256_madd_epi16 (_mm256_unpackhi_epi16 (a, b), wts);

    lo = _mm256_srli_epi32 (_mm256_add_epi32 (lo, round), 8);
    hi = _mm256_srli_epi32 (_mm256_add_epi32 (hi, round), 8);
    STOREU (d + i, _mm256_packus_epi32 (lo, hi));
  }
  return i;
}

/* one copy per layout: the code values in the low bits, or above 6 more
 * (P010) */
static ECLUT_AVX2 guint
v_pass_16_avx2_0 (const guint8 * s0, const guint8 * s1, guint8 * vrow,
    guint w, guint n)
{
  return v_pass_16_avx2 (s0, s1, (guint16 *) vrow, w, n, 0);
}

static ECLUT_AVX2 guint
v_pass_16_avx2_6 (const guint8 * s0, const guint8 * s1, guint8 * vrow,
    guint w, guint n)
{
  return v_pass_16_avx2 (s0, s1, (guint16 *) vrow, w, n, 6);
}

/* One phase's results for the 8 words at @s (8 / nc samples): the blend of
 * each word with the one @nc words on, shifted into the layout */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m128i
blend8 (const guint16 * s, guint nc, __m128i wts, __m128i sh)
{
  __m128i a = _mm_loadu_si128 ((const __m128i *) s);
  __m128i b = _mm_loadu_si128 ((const __m128i *) (s + nc));
  const __m128i round = _mm_set1_epi32 (128);
  __m128i lo = _mm_madd_epi16 (_mm_unpacklo_epi16 (a, b), wts);
  __m128i hi = _mm_madd_epi16 (_mm_unpackhi_epi16 (a, b), wts);

  lo = _mm_srli_epi32 (_mm_add_epi32 (lo, round), 8);
  hi = _mm_srli_epi32 (_mm_add_epi32 (hi, round), 8);
  return _mm_sll_epi16 (_mm_packus_epi32 (lo, hi), sh);
}

#define STORE128(p, v) _mm_storeu_si128 ((__m128i *) (p), (v))

/* The phases' results interleaved into output order, 8 / nc source
 * samples per step (r * 8 output words), one copy per (r, nc) */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE guint
h_pass_16_k (const guint r, const guint nc, const guint low,
    const EclutChromaFastH * fh, const guint16 * vrow, guint8 * out)
{
  const guint g = 8 / nc, n = fh->m_hi - fh->m_lo;
  const __m128i sh = _mm_cvtsi32_si128 ((int) low);
  const guint16 *s[4];
  __m128i wts[4], mask[3][3];
  guint8 *d = out + (gsize) 2 * nc * r * fh->m_lo;
  guint ph, k, m;

  for (ph = 0; ph < r; ph++) {
    wts[ph] = _mm_set1_epi32 ((gint) (((guint) fh->wb[ph] << 16) |
            (guint) fh->wa[ph]));
    s[ph] = vrow + (gssize) nc *((gint) fh->m_lo + fh->o[ph]);
  }
  if (r == 3)
    for (k = 0; k < 3; k++)
      for (ph = 0; ph < 3; ph++)
        mask[k][ph] = _mm_loadu_si128 ((const __m128i *) fh->shuf3w[k][ph]);

  /* samples m .. m + g - 1 and their right neighbours are inside the row
   * for m + g <= n (fast_h_init) */
  for (m = 0; m + g <= n; m += g) {
    __m128i p[4];

    for (ph = 0; ph < r; ph++)
      p[ph] = blend8 (s[ph] + nc * m, nc, wts[ph], sh);
    if (r == 2 && nc == 1) {
      STORE128 (d, _mm_unpacklo_epi16 (p[0], p[1]));
      STORE128 (d + 16, _mm_unpackhi_epi16 (p[0], p[1]));
    } else if (r == 2) {
      STORE128 (d, _mm_unpacklo_epi32 (p[0], p[1]));
      STORE128 (d + 16, _mm_unpackhi_epi32 (p[0], p[1]));
    } else if (r == 4 && nc == 1) {
      __m128i x = _mm_unpacklo_epi16 (p[0], p[1]);
      __m128i y = _mm_unpacklo_epi16 (p[2], p[3]);

      STORE128 (d, _mm_unpacklo_epi32 (x, y));
      STORE128 (d + 16, _mm_unpackhi_epi32 (x, y));
      x = _mm_unpackhi_epi16 (p[0], p[1]);
      y = _mm_unpackhi_epi16 (p[2], p[3]);
      STORE128 (d + 32, _mm_unpacklo_epi32 (x, y));
      STORE128 (d + 48, _mm_unpackhi_epi32 (x, y));
    } else if (r == 4) {
      __m128i x = _mm_unpacklo_epi32 (p[0], p[1]);
      __m128i y = _mm_unpacklo_epi32 (p[2], p[3]);

      STORE128 (d, _mm_unpacklo_epi64 (x, y));
      STORE128 (d + 16, _mm_unpackhi_epi64 (x, y));
      x = _mm_unpackhi_epi32 (p[0], p[1]);
      y = _mm_unpackhi_epi32 (p[2], p[3]);
      STORE128 (d + 32, _mm_unpacklo_epi64 (x, y));
      STORE128 (d + 48, _mm_unpackhi_epi64 (x, y));
    } else {
      for (k = 0; k < 3; k++)
        STORE128 (d + 16 * k,
            _mm_or_si128 (_mm_or_si128 (_mm_shuffle_epi8 (p[0], mask[k][0]),
                    _mm_shuffle_epi8 (p[1], mask[k][1])),
                _mm_shuffle_epi8 (p[2], mask[k][2])));
    }
    d += 16 * r;
  }
  return m;
}

#undef STORE128

/* one copy per scale, component count and layout */
#define H_PASS_16(r, nc, low) \
static ECLUT_AVX2 guint \
h_pass_16_avx2_##r##nc##low (const EclutChromaFastH * fh, \
    const guint8 * vrow, guint8 * out) \
{ \
  return h_pass_16_k (r, nc, low, fh, (const guint16 *) vrow, out); \
}

H_PASS_16 (2, 1, 0)
H_PASS_16 (2, 1, 6)
H_PASS_16 (2, 2, 0)
H_PASS_16 (2, 2, 6)
H_PASS_16 (3, 1, 0)
H_PASS_16 (3, 1, 6)
H_PASS_16 (3, 2, 0)
H_PASS_16 (3, 2, 6)
H_PASS_16 (4, 1, 0)
H_PASS_16 (4, 1, 6)
H_PASS_16 (4, 2, 0)
H_PASS_16 (4, 2, 6)
#undef H_PASS_16

EclutChromaVSimdFunc
eclut_chroma_v_simd_avx2 (const EclutChromaParams * p)
{
  if (p->samples == ECLUT_SAMPLES_U8)
    return blend_avx2;
  return p->samples == ECLUT_SAMPLES_U10_MSB ? v_pass_16_avx2_6 :
      v_pass_16_avx2_0;
}

EclutChromaHSimdFunc
eclut_chroma_h_simd_avx2 (const EclutChromaParams * p)
{
  /* [scale - 2][components - 1][MSB] */
  static const EclutChromaHSimdFunc h16[3][2][2] = {
    {{h_pass_16_avx2_210, h_pass_16_avx2_216},
        {h_pass_16_avx2_220, h_pass_16_avx2_226}},
    {{h_pass_16_avx2_310, h_pass_16_avx2_316},
        {h_pass_16_avx2_320, h_pass_16_avx2_326}},
    {{h_pass_16_avx2_410, h_pass_16_avx2_416},
        {h_pass_16_avx2_420, h_pass_16_avx2_426}},
  };
  const guint r = p->scale, nc = p->n_components;

  if (p->samples != ECLUT_SAMPLES_U8)
    return h16[r - 2][nc - 1][p->samples == ECLUT_SAMPLES_U10_MSB];
  if (r == 3)
    return nc == 1 ? h_pass_3_avx2_1 : h_pass_3_avx2_2;
  /* interleaved UV at x2 and x4: ORC only */
  if (nc == 1)
    return r == 2 ? h_pass_planar_avx2_2 : h_pass_planar_avx2_4;
  return NULL;
}

#undef LOADU
#undef STOREU
#endif
