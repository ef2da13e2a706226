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

/* Chroma planes: separable bilinear, vertical pass first, each pass rounded
 * to 8 bits (docs/lut-format.md, "Chroma").  The vertical pass blends two
 * whole source rows with one weight (ORC); the horizontal pass uses per
 * output sample index/weight tables built at the start of each call (C). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-chroma.h"
#include "eclut-simd.h"
#include "gsteclutorc.h"

/* Source position of output sample @i on one axis: sample index @x0 (not
 * yet clamped) and weight @w of sample x0+1, 0 <= w < 256. */
static void
axis_pos (guint r, guint f, gboolean centred, guint64 i, gint64 * x0, guint * w)
{
  const gint64 q = (f == 2 && centred) ? 1 : 0;
  const gint64 d = 2 * (gint64) r * f;
  const gint64 p = 2 * (gint64) f * (gint64) i + (1 + q) * (1 - (gint64) r);
  gint64 fl, k;

  /* floor division: p may be negative near the start */
  fl = p / d;
  if (p % d != 0 && p < 0)
    fl--;
  k = p - fl * d;
  *x0 = fl;
  *w = (guint) ((256 * k + d / 2) / d);
}

static guint
clampi (gint64 v, guint n)
{
  if (v < 0)
    return 0;
  if (v >= (gint64) n)
    return n - 1;
  return (guint) v;
}

static gboolean
params_ok (const EclutChromaParams * p)
{
  return p->scale >= 2 && p->scale <= 4 &&
      (p->sub_x == 1 || p->sub_x == 2) && (p->sub_y == 1 || p->sub_y == 2) &&
      (p->n_components == 1 || p->n_components == 2) &&
      (guint64) p->in_width * p->n_components <= G_MAXINT &&
      (guint64) p->out_width * p->n_components <= G_MAXINT;
}

/* scratch layout: vertical row (in_width * nc bytes, rounded to 16), an
 * output row (out_width * nc, rounded to 16), then 2 * out_width guint32
 * source offsets and out_width guint16 weights */
static gsize
row_bytes (const EclutChromaParams * p)
{
  return ((gsize) p->in_width * p->n_components + 15) & ~(gsize) 15;
}

static gsize
out_row_bytes (const EclutChromaParams * p)
{
  return ((gsize) p->out_width * p->n_components + 15) & ~(gsize) 15;
}

gsize
eclut_chroma_scratch_size (const EclutChromaParams * p)
{
  guint64 total;

  g_return_val_if_fail (p != NULL, 0);
  if (!params_ok (p))
    return G_MAXSIZE;
  /* params_ok() bounds the widths by G_MAXINT: this fits 64 bits; on a
   * 32-bit target saturate so the allocation fails instead of wrapping */
  total = (guint64) row_bytes (p) + out_row_bytes (p) +
      (guint64) p->out_width * (2 * sizeof (guint32) + sizeof (guint16));
  return total > G_MAXSIZE ? G_MAXSIZE : (gsize) total;
}

/* The phase pattern of the horizontal pass: output sample m*r + ph reads
 * source m + o[ph] (o in -1..0) and the next one with weight w[ph]; where
 * no index needs clamping ([m_lo, m_hi)) whole rows go through ORC (r = 2,
 * 4) or a C loop with the phases unrolled (r = 3: ORC cannot interleave
 * three results). */
typedef struct
{
  gboolean use;
  guint m_lo, m_hi;
  gint o[4];
  gint wa[4], wb[4];
  /* r = 3: byte shuffles that interleave the three phases' results (see
   * h_pass_3_avx2) */
  gint8 shuf3[3][3][16];
} FastH;

static void
fast_h_init (const EclutChromaParams * p, FastH * fh)
{
  gint64 lo = 0, hi, x0;
  guint ph, w, r = p->scale;

  fh->use = FALSE;
  fh->m_lo = fh->m_hi = 0;
  hi = MIN ((gint64) p->in_width, (gint64) (p->out_width / r));
  for (ph = 0; ph < r; ph++) {
    axis_pos (r, p->sub_x, p->centred_x, ph, &x0, &w);
    fh->o[ph] = (gint) x0;
    fh->wa[ph] = 256 - (gint) w;
    fh->wb[ph] = (gint) w;
    /* m + x0 >= 0 and m + x0 + 1 <= in_width - 1 */
    lo = MAX (lo, -x0);
    hi = MIN (hi, (gint64) p->in_width - 1 - x0);
  }
  if (hi > lo) {
    fh->use = TRUE;
    fh->m_lo = (guint) lo;
    fh->m_hi = (guint) hi;
  }
  if (r == 3) {
    const guint nc = p->n_components;
    guint k, i;

    /* output byte 16 k + i is component c of output sample 3 j + ph, that
     * is byte nc j + c of phase ph's results (-128: another phase's) */
    for (k = 0; k < 3; k++)
      for (ph = 0; ph < 3; ph++)
        for (i = 0; i < 16; i++) {
          guint t = 16 * k + i, q = t / nc, c = t % nc;

          fh->shuf3[k][ph][i] =
              (gint8) (q % 3 == ph ? (gint) (nc * (q / 3) + c) : -128);
        }
  }
}

/* output samples [x0, x1) from the per-sample tables */
static inline void
h_pass_c_nc (const guint nc, const guint8 * vrow, const guint32 * idx,
    const guint16 * wt, guint8 * out, guint x0, guint x1)
{
  guint x;

  for (x = x0; x < x1; x++) {
    /* idx: byte offsets of the two (clamped) source samples */
    const guint8 *v0 = vrow + idx[2 * x], *v1 = vrow + idx[2 * x + 1];
    guint w1 = wt[x], c;

    for (c = 0; c < nc; c++)
      out[nc * x + c] = (guint8) ((v0[c] * (256 - w1) + v1[c] * w1 + 128) >> 8);
  }
}

static void
h_pass_c (guint nc, const guint8 * vrow, const guint32 * idx,
    const guint16 * wt, guint8 * out, guint x0, guint x1)
{
  /* constant nc: the component loop unrolls */
  if (nc == 1)
    h_pass_c_nc (1, vrow, idx, wt, out, x0, x1);
  else
    h_pass_c_nc (2, vrow, idx, wt, out, x0, x1);
}

/* Source samples m_lo .. m_hi - 1 of a 3x row: the per-sample index and
 * weight tables of h_pass_c replaced by the three phases' constants (about
 * three times faster). */
static inline void
h_pass_3_nc (const guint nc, const FastH * fh, const guint8 * vrow,
    guint8 * out)
{
  const gint wa0 = fh->wa[0], wb0 = fh->wb[0], wa1 = fh->wa[1];
  const gint wb1 = fh->wb[1], wa2 = fh->wa[2], wb2 = fh->wb[2];
  const guint8 *s0 = vrow + (gssize) nc * ((gint) fh->m_lo + fh->o[0]);
  const guint8 *s1 = vrow + (gssize) nc * ((gint) fh->m_lo + fh->o[1]);
  const guint8 *s2 = vrow + (gssize) nc * ((gint) fh->m_lo + fh->o[2]);
  guint8 *d = out + (gsize) 3 * nc * fh->m_lo;
  guint m, c, n = fh->m_hi - fh->m_lo;

  for (m = 0; m < n; m++) {
    for (c = 0; c < nc; c++)
      d[c] = (guint8) ((s0[c] * wa0 + s0[nc + c] * wb0 + 128) >> 8);
    for (c = 0; c < nc; c++)
      d[nc + c] = (guint8) ((s1[c] * wa1 + s1[nc + c] * wb1 + 128) >> 8);
    for (c = 0; c < nc; c++)
      d[2 * nc + c] = (guint8) ((s2[c] * wa2 + s2[nc + c] * wb2 + 128) >> 8);
    s0 += nc;
    s1 += nc;
    s2 += nc;
    d += 3 * nc;
  }
}

#ifdef ECLUT_HAVE_AVX2
/* h_pass_3_nc with 16-byte vectors (16 / nc source samples, 48 output
 * bytes per step): the three phases are blended in 16 bits like the C
 * loop (the same formula, bit-exact), then interleaved with byte
 * shuffles, which ORC lacks.  Returns the number of source samples done;
 * the caller finishes the rest. */
static ECLUT_AVX2 guint
h_pass_3_avx2 (guint nc, const FastH * fh, const guint8 * vrow, guint8 * out)
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
#endif

#ifdef ECLUT_HAVE_AVX2
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
blend_avx2 (guint8 * d, const guint8 * s0, const guint8 * s1, gint w, guint n)
{
  Madd m;
  guint i;

  if (!madd_init (256 - w, w, &m))
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
h_pass_planar_avx2_r (const FastH * fh, const guint8 * vrow, guint8 * out,
    const guint r)
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
h_pass_planar_avx2 (const FastH * fh, const guint8 * vrow, guint8 * out,
    guint r)
{
  if (r == 2)
    return h_pass_planar_avx2_r (fh, vrow, out, 2);
  return h_pass_planar_avx2_r (fh, vrow, out, 4);
}

#undef LOADU
#undef STOREU
#endif

/* ORC needs each array aligned to its element size (r * nc bytes for the
 * output); a misaligned output row goes through the aligned @tmp row. */
static void
h_pass (const EclutChromaParams * p, const FastH * fh, const guint8 * vrow,
    const guint32 * idx, const guint16 * wt, guint8 * out, guint8 * tmp)
{
  const guint nc = p->n_components, r = p->scale;
  guint n, x_lo, x_hi;
  const guint8 *s[4];
  guint8 *d;
  guint ph;

  if (!fh->use) {
    h_pass_c (nc, vrow, idx, wt, out, 0, p->out_width);
    return;
  }
  n = fh->m_hi - fh->m_lo;
  x_lo = fh->m_lo * r;
  x_hi = fh->m_hi * r;
  h_pass_c (nc, vrow, idx, wt, out, 0, x_lo);
  if (r == 3) {
    FastH rest = *fh;

#ifdef ECLUT_HAVE_AVX2
    if (eclut_simd_level () >= ECLUT_SIMD_AVX2)
      rest.m_lo += h_pass_3_avx2 (nc, fh, vrow, out);
#endif
    if (nc == 1)
      h_pass_3_nc (1, &rest, vrow, out);
    else
      h_pass_3_nc (2, &rest, vrow, out);
  } else {
    guint done = 0;

#ifdef ECLUT_HAVE_AVX2
    if (nc == 1 && eclut_simd_level () >= ECLUT_SIMD_AVX2)
      done = h_pass_planar_avx2 (fh, vrow, out, r);
#endif
    n -= done;
    for (ph = 0; ph < r; ph++)
      s[ph] = vrow + (gssize) nc *((gint) (fh->m_lo + done) + fh->o[ph]);
    x_lo += done * r;
    d = out + (gsize) nc *x_lo;
    if (GPOINTER_TO_SIZE (d) % (r * nc) != 0)
      d = tmp;
    if (r == 2 && nc == 1)
      eclut_orc_chroma_h2_u8 ((guint16 *) d, s[0], s[1],
          fh->wa[0], fh->wb[0], fh->wa[1], fh->wb[1], (int) n);
    else if (r == 2)
      eclut_orc_chroma_h2_u16 ((guint32 *) d,
          (const guint16 *) s[0], (const guint16 *) s[1],
          fh->wa[0], fh->wb[0], fh->wa[1], fh->wb[1], (int) n);
    else if (nc == 1)
      eclut_orc_chroma_h4_u8 ((guint32 *) d, s[0], s[1], s[2],
          s[3], fh->wa[0], fh->wb[0], fh->wa[1], fh->wb[1], fh->wa[2],
          fh->wb[2], fh->wa[3], fh->wb[3], (int) n);
    else
      eclut_orc_chroma_h4_u16 ((guint64 *) d,
          (const guint16 *) s[0], (const guint16 *) s[1],
          (const guint16 *) s[2], (const guint16 *) s[3],
          fh->wa[0], fh->wb[0], fh->wa[1], fh->wb[1], fh->wa[2], fh->wb[2],
          fh->wa[3], fh->wb[3], (int) n);
    if (d == tmp)
      memcpy (out + (gsize) nc * x_lo, tmp, (gsize) nc * r * n);
  }
  h_pass_c (nc, vrow, idx, wt, out, x_hi, p->out_width);
}

void
eclut_chroma_upscale_rows (const EclutChromaParams * p,
    const guint8 * src, gint src_stride, guint8 * dst, gint dst_stride,
    guint out_y0, guint out_y1, gpointer scratch)
{
  const guint nc = p ? p->n_components : 1;
  guint8 *vrow, *hrow;
  guint32 *idx;
  guint16 *wt;
  FastH fast;
  guint x, y;

  g_return_if_fail (p != NULL);
  g_return_if_fail (params_ok (p));
  g_return_if_fail (out_y0 <= out_y1 && out_y1 <= p->out_height);
  if (out_y0 == out_y1 || p->out_width == 0)
    return;
  g_return_if_fail (p->in_width > 0 && p->in_height > 0);
  g_return_if_fail (src != NULL && dst != NULL && scratch != NULL);

  vrow = scratch;
  hrow = vrow + row_bytes (p);
  idx = (guint32 *) (hrow + out_row_bytes (p));
  wt = (guint16 *) (idx + 2 * (gsize) p->out_width);

  for (x = 0; x < p->out_width; x++) {
    gint64 x0;
    guint w;

    axis_pos (p->scale, p->sub_x, p->centred_x, x, &x0, &w);
    idx[2 * x] = nc * clampi (x0, p->in_width);
    idx[2 * x + 1] = nc * clampi (x0 + 1, p->in_width);
    wt[x] = (guint16) w;
  }

  fast_h_init (p, &fast);

  for (y = out_y0; y < out_y1; y++) {
    gint64 y0;
    guint w, r0, r1;
    const guint8 *s0, *s1;
    guint8 *out = dst + (gssize) y * dst_stride;

    axis_pos (p->scale, p->sub_y, p->centred_y, y, &y0, &w);
    r0 = clampi (y0, p->in_height);
    r1 = clampi (y0 + 1, p->in_height);
    s0 = src + (gssize) r0 *src_stride;
    s1 = src + (gssize) r1 *src_stride;
    if (w == 0 || r0 == r1)
      memcpy (vrow, s0, (gsize) p->in_width * nc);
    else {
      guint nb = p->in_width * nc, done = 0;

#ifdef ECLUT_HAVE_AVX2
      if (eclut_simd_level () >= ECLUT_SIMD_AVX2)
        done = blend_avx2 (vrow, s0, s1, (gint) w, nb);
#endif
      if (done < nb)
        eclut_orc_blend_u8 (vrow + done, s0 + done, s1 + done, 256 - (int) w,
            (int) w, (int) (nb - done));
    }

    h_pass (p, &fast, vrow, idx, wt, out, hrow);
  }
}
