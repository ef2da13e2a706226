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
 * to the sample's bits (docs/lut-format.md, "Chroma").  8 bits: the
 * vertical pass blends two whole source rows with one weight (ORC); the
 * horizontal pass uses per output sample index/weight tables built at the
 * start of each call (C) at the edges, constant phases in between.  10
 * bits: the same passes on 16-bit words in C (the vertical row holds the
 * code values, whatever the layout). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-chroma-private.h"
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
  guint bps = eclut_samples_bytes (p->samples);

  return p->scale >= 2 && p->scale <= 4 &&
      (p->sub_x == 1 || p->sub_x == 2) && (p->sub_y == 1 || p->sub_y == 2) &&
      (p->n_components == 1 || p->n_components == 2) &&
      (p->samples == ECLUT_SAMPLES_U8 || p->samples == ECLUT_SAMPLES_U10_LSB
      || p->samples == ECLUT_SAMPLES_U10_MSB) &&
      (guint64) p->in_width * p->n_components * bps <= G_MAXINT &&
      (guint64) p->out_width * p->n_components * bps <= G_MAXINT;
}

/* scratch layout: vertical row (in_width * nc samples, rounded to 16
 * bytes), an output row (out_width * nc samples, rounded to 16 bytes),
 * then 2 * out_width guint32 source offsets (in samples) and out_width
 * guint16 weights */
static gsize
row_bytes (const EclutChromaParams * p)
{
  return ((gsize) p->in_width * p->n_components *
      eclut_samples_bytes (p->samples) + 15) & ~(gsize) 15;
}

static gsize
out_row_bytes (const EclutChromaParams * p)
{
  return ((gsize) p->out_width * p->n_components *
      eclut_samples_bytes (p->samples) + 15) & ~(gsize) 15;
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


static void
fast_h_init (const EclutChromaParams * p, EclutChromaFastH * fh)
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
    /* 16-bit: output word 8 k + j / 2 is component c of output sample
     * 3 q + ph, word nc q + c of phase ph's results */
    for (k = 0; k < 3; k++)
      for (ph = 0; ph < 3; ph++)
        for (i = 0; i < 16; i++) {
          guint t = 8 * k + i / 2, q = t / nc / 3, u = t / nc % 3;
          guint c = t % nc;

          fh->shuf3w[k][ph][i] = (gint8) (u == ph ?
              (gint) (2 * (nc * q + c) + i % 2) : -128);
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
h_pass_3_nc (const guint nc, const EclutChromaFastH * fh, const guint8 * vrow,
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



/* ORC needs each array aligned to its element size (r * nc bytes for the
 * output); a misaligned output row goes through the aligned @tmp row. */
static void
h_pass (const EclutChromaParams * p, const EclutChromaFastH * fh,
    const guint8 * vrow, const guint32 * idx, const guint16 * wt, guint8 * out,
    guint8 * tmp)
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
    EclutChromaFastH rest = *fh;

#ifdef ECLUT_HAVE_AVX2
    if (eclut_simd_level () >= ECLUT_SIMD_AVX2)
      rest.m_lo += eclut_chroma_h_pass_3_avx2 (nc, fh, vrow, out);
#endif
    if (nc == 1)
      h_pass_3_nc (1, &rest, vrow, out);
    else
      h_pass_3_nc (2, &rest, vrow, out);
  } else {
    guint done = 0;

#ifdef ECLUT_HAVE_AVX2
    if (nc == 1 && eclut_simd_level () >= ECLUT_SIMD_AVX2)
      done = eclut_chroma_h_pass_planar_avx2 (fh, vrow, out, r);
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


/* 10-bit samples.  The planes are read and written as little-endian
 * 16-bit words through memcpy (no alignment is assumed of the caller's
 * pointers and strides); the vertical row in the scratch holds the code
 * values 0..1023 as native words. */

static inline guint
load16 (const guint8 * p)
{
  guint16 v;

  memcpy (&v, p, sizeof (v));
  return GUINT16_FROM_LE (v);
}

static inline void
store16 (guint8 * p, guint v)
{
  guint16 t = GUINT16_TO_LE ((guint16) v);

  memcpy (p, &t, sizeof (t));
}

/* bits below the value in a word of @samples */
static inline guint
low_bits (EclutSamples samples)
{
  return samples == ECLUT_SAMPLES_U10_MSB ? 6 : 0;
}

/* the vertical pass of @n samples: code values into @d */
static ECLUT_ALWAYS_INLINE void
v_pass_16_sh (const guint sh, const guint8 * s0, const guint8 * s1,
    guint16 * d, guint w, guint n)
{
  const guint wa = 256 - w;
  guint i;

  if (s0 == s1 || w == 0) {
    for (i = 0; i < n; i++)
      d[i] = (guint16) ((load16 (s0 + 2 * i) >> sh) & 0x3ff);
    return;
  }
  for (i = 0; i < n; i++) {
    guint a = (load16 (s0 + 2 * i) >> sh) & 0x3ff;
    guint b = (load16 (s1 + 2 * i) >> sh) & 0x3ff;

    d[i] = (guint16) ((a * wa + b * w + 128) >> 8);
  }
}

static void
v_pass_16 (EclutSamples samples, const guint8 * s0, const guint8 * s1,
    guint16 * d, guint w, guint n)
{
  guint done = 0;

#ifdef ECLUT_HAVE_AVX2
  if (eclut_simd_level () >= ECLUT_SIMD_AVX2)
    done = eclut_chroma_v_pass_16_avx2 (s0, s1, d, w, n, low_bits (samples));
#endif
  s0 += 2 * done;
  s1 += 2 * done;
  if (low_bits (samples) == 6)
    v_pass_16_sh (6, s0, s1, d + done, w, n - done);
  else
    v_pass_16_sh (0, s0, s1, d + done, w, n - done);
}

/* output samples [x0, x1) from the per-sample tables */
static void
h_pass_c_16 (guint nc, guint sh, const guint16 * vrow, const guint32 * idx,
    const guint16 * wt, guint8 * out, guint x0, guint x1)
{
  guint x, c;

  for (x = x0; x < x1; x++) {
    const guint16 *v0 = vrow + idx[2 * x], *v1 = vrow + idx[2 * x + 1];
    guint w1 = wt[x];

    for (c = 0; c < nc; c++)
      store16 (out + 2 * (nc * x + c),
          ((v0[c] * (256 - w1) + v1[c] * w1 + 128) >> 8) << sh);
  }
}

/* Source samples m_lo .. m_hi - 1: each phase's constant offset and
 * weights, one copy per scale, component count and layout so that the
 * loops unroll. */
static ECLUT_ALWAYS_INLINE void
h_pass_fast_16_k (const guint r, const guint nc, const guint sh,
    const EclutChromaFastH * fh, const guint16 * vrow, guint8 * out)
{
  guint m, ph, c;

  for (m = fh->m_lo; m < fh->m_hi; m++) {
    guint8 *d = out + (gsize) 2 * nc * r * m;

    for (ph = 0; ph < r; ph++) {
      const guint16 *s = vrow + (gssize) nc * ((gint) m + fh->o[ph]);

      for (c = 0; c < nc; c++)
        store16 (d + 2 * (nc * ph + c), ((s[c] * (guint) fh->wa[ph] +
                    s[nc + c] * (guint) fh->wb[ph] + 128) >> 8) << sh);
    }
  }
}

static void
h_pass_16 (const EclutChromaParams * p, const EclutChromaFastH * fh,
    const guint16 * vrow, const guint32 * idx, const guint16 * wt,
    guint8 * out)
{
  const guint nc = p->n_components, r = p->scale;
  const guint low = low_bits (p->samples);
  EclutChromaFastH rest = *fh;

  if (!fh->use) {
    h_pass_c_16 (nc, low, vrow, idx, wt, out, 0, p->out_width);
    return;
  }
  h_pass_c_16 (nc, low, vrow, idx, wt, out, 0, fh->m_lo * r);
#ifdef ECLUT_HAVE_AVX2
  if (eclut_simd_level () >= ECLUT_SIMD_AVX2)
    rest.m_lo += eclut_chroma_h_pass_16_avx2 (r, nc, low, fh, vrow, out);
#endif
  fh = &rest;
  switch (r * 100 + nc * 10 + low) {
    case 210:
      h_pass_fast_16_k (2, 1, 0, fh, vrow, out);
      break;
    case 216:
      h_pass_fast_16_k (2, 1, 6, fh, vrow, out);
      break;
    case 220:
      h_pass_fast_16_k (2, 2, 0, fh, vrow, out);
      break;
    case 226:
      h_pass_fast_16_k (2, 2, 6, fh, vrow, out);
      break;
    case 310:
      h_pass_fast_16_k (3, 1, 0, fh, vrow, out);
      break;
    case 316:
      h_pass_fast_16_k (3, 1, 6, fh, vrow, out);
      break;
    case 320:
      h_pass_fast_16_k (3, 2, 0, fh, vrow, out);
      break;
    case 326:
      h_pass_fast_16_k (3, 2, 6, fh, vrow, out);
      break;
    case 410:
      h_pass_fast_16_k (4, 1, 0, fh, vrow, out);
      break;
    case 416:
      h_pass_fast_16_k (4, 1, 6, fh, vrow, out);
      break;
    case 420:
      h_pass_fast_16_k (4, 2, 0, fh, vrow, out);
      break;
    default:
      h_pass_fast_16_k (4, 2, 6, fh, vrow, out);
      break;
  }
  h_pass_c_16 (nc, low, vrow, idx, wt, out, fh->m_hi * r, p->out_width);
}

void
eclut_chroma_upscale_rows (const EclutChromaParams * p,
    const guint8 * src, gint src_stride, guint8 * dst, gint dst_stride,
    guint out_y0, guint out_y1, gpointer scratch)
{
  const guint nc = p ? p->n_components : 1;
  const guint bps = p ? eclut_samples_bytes (p->samples) : 1;
  guint8 *vrow, *hrow;
  guint32 *idx;
  guint16 *wt;
  EclutChromaFastH fast;
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
    /* in samples (bytes at 8 bits) */
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
    if (bps == 2) {
      v_pass_16 (p->samples, s0, r0 == r1 ? s0 : s1, (guint16 *) vrow, w,
          p->in_width * nc);
      h_pass_16 (p, &fast, (const guint16 *) vrow, idx, wt, out);
      continue;
    }
    if (w == 0 || r0 == r1)
      memcpy (vrow, s0, (gsize) p->in_width * nc);
    else {
      guint nb = p->in_width * nc, done = 0;

#ifdef ECLUT_HAVE_AVX2
      if (eclut_simd_level () >= ECLUT_SIMD_AVX2)
        done = eclut_chroma_blend_avx2 (vrow, s0, s1, (gint) w, nb);
#endif
      if (done < nb)
        eclut_orc_blend_u8 (vrow + done, s0 + done, s1 + done, 256 - (int) w,
            (int) w, (int) (nb - done));
    }

    h_pass (p, &fast, vrow, idx, wt, out, hrow);
  }
}
