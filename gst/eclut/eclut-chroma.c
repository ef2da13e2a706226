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
 * horizontal pass uses per output sample index/weight tables (C) at the
 * edges, constant phases in between.  10 bits: the same passes on 16-bit
 * words in C (the vertical row holds the code values, whatever the
 * layout).  The plan (eclut_chroma_plan_new ()) builds the tables and
 * picks each pass's row function for the layout and its SIMD head for the
 * CPU once per stream; the rows only call them. */

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
 * bytes), an output row (out_width * nc samples, rounded to 16 bytes);
 * the one-call form puts its plan's tables after them: 2 * out_width
 * guint32 source offsets (in samples) and out_width guint16 weights */
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

/* Source samples @m_lo .. m_hi - 1 of a 3x row: the per-sample index and
 * weight tables of h_pass_c replaced by the three phases' constants (about
 * three times faster). */
static inline void
h_pass_3_nc (const guint nc, const EclutChromaFastH * fh, guint m_lo,
    const guint8 * vrow, guint8 * out)
{
  const gint wa0 = fh->wa[0], wb0 = fh->wb[0], wa1 = fh->wa[1];
  const gint wb1 = fh->wb[1], wa2 = fh->wa[2], wb2 = fh->wb[2];
  const guint8 *s0 = vrow + (gssize) nc * ((gint) m_lo + fh->o[0]);
  const guint8 *s1 = vrow + (gssize) nc * ((gint) m_lo + fh->o[1]);
  const guint8 *s2 = vrow + (gssize) nc * ((gint) m_lo + fh->o[2]);
  guint8 *d = out + (gsize) 3 * nc * m_lo;
  guint m, c, n = fh->m_hi - m_lo;

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



/* The vertical pass of one output row: source rows @s0 and @s1 (the same
 * pointer when they are the same row) blended with weight @w (of @s1)
 * into the vertical row @vrow. */
typedef void (*EclutChromaVPassFunc) (const EclutChromaPlan * plan,
    const guint8 * s0, const guint8 * s1, guint w, guint8 * vrow);
/* The horizontal pass of one output row: @vrow into the output row @out;
 * @tmp: an aligned row of the output's size. */
typedef void (*EclutChromaHPassFunc) (const EclutChromaPlan * plan,
    const guint8 * vrow, guint8 * out, guint8 * tmp);

struct _EclutChromaPlan
{
  EclutChromaParams p;
  gsize row_bytes, out_row_bytes, scratch_size;
  /* per output sample: the offsets (in samples) of its two clamped source
   * samples, and the weight of the second */
  const guint32 *idx;
  const guint16 *wt;
  EclutChromaFastH fast;
  /* the row functions for the layout, and their SIMD heads for the CPU */
  EclutChromaVPassFunc v_pass;
  EclutChromaVSimdFunc v_simd;
  EclutChromaHPassFunc h_pass;
  EclutChromaHSimdFunc h_simd;
  gchar description[64];
};

/* the heads where the CPU has no SIMD code for the layout */
static guint
v_simd_none (G_GNUC_UNUSED const guint8 * s0,
    G_GNUC_UNUSED const guint8 * s1, G_GNUC_UNUSED guint8 * vrow,
    G_GNUC_UNUSED guint w, G_GNUC_UNUSED guint n)
{
  return 0;
}

static guint
h_simd_none (G_GNUC_UNUSED const EclutChromaFastH * fh,
    G_GNUC_UNUSED const guint8 * vrow, G_GNUC_UNUSED guint8 * out)
{
  return 0;
}

static void
v_pass_8 (const EclutChromaPlan * plan, const guint8 * s0,
    const guint8 * s1, guint w, guint8 * vrow)
{
  const guint nb = plan->p.in_width * plan->p.n_components;
  guint done;

  if (w == 0 || s0 == s1) {
    memcpy (vrow, s0, nb);
    return;
  }
  done = plan->v_simd (s0, s1, vrow, w, nb);
  if (done < nb)
    eclut_orc_blend_u8 (vrow + done, s0 + done, s1 + done, 256 - (int) w,
        (int) w, (int) (nb - done));
}

/* no source sample whose neighbours need no clamping: the tables only */
static void
h_pass_8_tables (const EclutChromaPlan * plan, const guint8 * vrow,
    guint8 * out, G_GNUC_UNUSED guint8 * tmp)
{
  h_pass_c (plan->p.n_components, vrow, plan->idx, plan->wt, out, 0,
      plan->p.out_width);
}

/* x3: the tables at the edges, the SIMD head and the C loop between */
static ECLUT_ALWAYS_INLINE void
h_pass_8_3_k (const guint nc, const EclutChromaPlan * plan,
    const guint8 * vrow, guint8 * out)
{
  const EclutChromaFastH *fh = &plan->fast;
  guint m_lo = fh->m_lo;

  h_pass_c (nc, vrow, plan->idx, plan->wt, out, 0, fh->m_lo * 3);
  m_lo += plan->h_simd (fh, vrow, out);
  h_pass_3_nc (nc, fh, m_lo, vrow, out);
  h_pass_c (nc, vrow, plan->idx, plan->wt, out, fh->m_hi * 3,
      plan->p.out_width);
}

static void
h_pass_8_3_1 (const EclutChromaPlan * plan, const guint8 * vrow,
    guint8 * out, G_GNUC_UNUSED guint8 * tmp)
{
  h_pass_8_3_k (1, plan, vrow, out);
}

static void
h_pass_8_3_2 (const EclutChromaPlan * plan, const guint8 * vrow,
    guint8 * out, G_GNUC_UNUSED guint8 * tmp)
{
  h_pass_8_3_k (2, plan, vrow, out);
}

/* x2 and x4: the tables at the edges, the SIMD head and ORC between.  ORC
 * needs each array aligned to its element size (r * nc bytes for the
 * output); a misaligned output row goes through the aligned @tmp row. */
static ECLUT_ALWAYS_INLINE void
h_pass_8_orc_k (const guint r, const guint nc, const EclutChromaPlan * plan,
    const guint8 * vrow, guint8 * out, guint8 * tmp)
{
  const EclutChromaFastH *fh = &plan->fast;
  guint n = fh->m_hi - fh->m_lo, x_lo = fh->m_lo * r, done, ph;
  const guint8 *s[4];
  guint8 *d;

  h_pass_c (nc, vrow, plan->idx, plan->wt, out, 0, x_lo);
  done = plan->h_simd (fh, vrow, out);
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
  h_pass_c (nc, vrow, plan->idx, plan->wt, out, fh->m_hi * r,
      plan->p.out_width);
}

static void
h_pass_8_orc_21 (const EclutChromaPlan * plan, const guint8 * vrow,
    guint8 * out, guint8 * tmp)
{
  h_pass_8_orc_k (2, 1, plan, vrow, out, tmp);
}

static void
h_pass_8_orc_22 (const EclutChromaPlan * plan, const guint8 * vrow,
    guint8 * out, guint8 * tmp)
{
  h_pass_8_orc_k (2, 2, plan, vrow, out, tmp);
}

static void
h_pass_8_orc_41 (const EclutChromaPlan * plan, const guint8 * vrow,
    guint8 * out, guint8 * tmp)
{
  h_pass_8_orc_k (4, 1, plan, vrow, out, tmp);
}

static void
h_pass_8_orc_42 (const EclutChromaPlan * plan, const guint8 * vrow,
    guint8 * out, guint8 * tmp)
{
  h_pass_8_orc_k (4, 2, plan, vrow, out, tmp);
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

/* the SIMD head, then C: one copy per layout */
static ECLUT_ALWAYS_INLINE void
v_pass_16_k (const guint sh, const EclutChromaPlan * plan, const guint8 * s0,
    const guint8 * s1, guint w, guint8 * vrow)
{
  const guint n = plan->p.in_width * plan->p.n_components;
  guint done = plan->v_simd (s0, s1, vrow, w, n);

  v_pass_16_sh (sh, s0 + 2 * done, s1 + 2 * done, (guint16 *) vrow + done, w,
      n - done);
}

static void
v_pass_16_0 (const EclutChromaPlan * plan, const guint8 * s0,
    const guint8 * s1, guint w, guint8 * vrow)
{
  v_pass_16_k (0, plan, s0, s1, w, vrow);
}

static void
v_pass_16_6 (const EclutChromaPlan * plan, const guint8 * s0,
    const guint8 * s1, guint w, guint8 * vrow)
{
  v_pass_16_k (6, plan, s0, s1, w, vrow);
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

/* Source samples @m_lo .. m_hi - 1: each phase's constant offset and
 * weights, one copy per scale, component count and layout so that the
 * loops unroll. */
static ECLUT_ALWAYS_INLINE void
h_pass_fast_16_k (const guint r, const guint nc, const guint sh,
    const EclutChromaFastH * fh, guint m_lo, const guint16 * vrow,
    guint8 * out)
{
  guint m, ph, c;

  for (m = m_lo; m < fh->m_hi; m++) {
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
h_pass_16_tables (const EclutChromaPlan * plan, const guint8 * vrow,
    guint8 * out, G_GNUC_UNUSED guint8 * tmp)
{
  h_pass_c_16 (plan->p.n_components, low_bits (plan->p.samples),
      (const guint16 *) vrow, plan->idx, plan->wt, out, 0,
      plan->p.out_width);
}

/* the tables at the edges, the SIMD head and the C loop between */
static ECLUT_ALWAYS_INLINE void
h_pass_16_k (const guint r, const guint nc, const guint sh,
    const EclutChromaPlan * plan, const guint8 * vrow, guint8 * out)
{
  const EclutChromaFastH *fh = &plan->fast;
  const guint16 *v = (const guint16 *) vrow;
  guint m_lo = fh->m_lo;

  h_pass_c_16 (nc, sh, v, plan->idx, plan->wt, out, 0, fh->m_lo * r);
  m_lo += plan->h_simd (fh, vrow, out);
  h_pass_fast_16_k (r, nc, sh, fh, m_lo, v, out);
  h_pass_c_16 (nc, sh, v, plan->idx, plan->wt, out, fh->m_hi * r,
      plan->p.out_width);
}

/* one copy per scale, component count and layout */
#define H_PASS_16(r, nc, sh) \
static void \
h_pass_16_##r##nc##sh (const EclutChromaPlan * plan, const guint8 * vrow, \
    guint8 * out, G_GNUC_UNUSED guint8 * tmp) \
{ \
  h_pass_16_k (r, nc, sh, plan, vrow, out); \
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

static const gchar *
subsampling_name (guint sub_x, guint sub_y)
{
  if (sub_x == 2)
    return sub_y == 2 ? "4:2:0" : "4:2:2";
  return sub_y == 2 ? "4:4:0" : "4:4:4";
}

static const gchar *
samples_name (EclutSamples samples)
{
  return samples == ECLUT_SAMPLES_U8 ? "8-bit" :
      samples == ECLUT_SAMPLES_U10_MSB ? "10-bit (MSB)" : "10-bit (LSB)";
}

/* Which code runs for planes of @p (params_ok (), non-empty source):
 * the tables (@idx: 2 * out_width, @wt: out_width, kept by the plan), the
 * row functions for the layout and their SIMD heads for @level, all
 * decided here. */
static void
plan_init (EclutChromaPlan * plan, const EclutChromaParams * p,
    EclutSimdLevel level, guint32 * idx, guint16 * wt)
{
  static const EclutChromaHPassFunc h8_orc[2][2] = {
    {h_pass_8_orc_21, h_pass_8_orc_22}, {h_pass_8_orc_41, h_pass_8_orc_42}
  };
  /* [scale - 2][components - 1][MSB] */
  static const EclutChromaHPassFunc h16[3][2][2] = {
    {{h_pass_16_210, h_pass_16_216}, {h_pass_16_220, h_pass_16_226}},
    {{h_pass_16_310, h_pass_16_316}, {h_pass_16_320, h_pass_16_326}},
    {{h_pass_16_410, h_pass_16_416}, {h_pass_16_420, h_pass_16_426}},
  };
  const guint r = p->scale, nc = p->n_components;
  const gboolean msb = p->samples == ECLUT_SAMPLES_U10_MSB;
  EclutSimdLevel used = ECLUT_SIMD_C;
  guint x;

  memset (plan, 0, sizeof (*plan));
  plan->p = *p;
  plan->row_bytes = row_bytes (p);
  plan->out_row_bytes = out_row_bytes (p);
  plan->scratch_size = plan->row_bytes + plan->out_row_bytes;

  for (x = 0; x < p->out_width; x++) {
    gint64 x0;
    guint w;

    axis_pos (r, p->sub_x, p->centred_x, x, &x0, &w);
    idx[2 * x] = nc * clampi (x0, p->in_width);
    idx[2 * x + 1] = nc * clampi (x0 + 1, p->in_width);
    wt[x] = (guint16) w;
  }
  plan->idx = idx;
  plan->wt = wt;
  fast_h_init (p, &plan->fast);

  plan->v_simd = v_simd_none;
  plan->h_simd = h_simd_none;
#ifdef ECLUT_HAVE_AVX2
  if (level >= ECLUT_SIMD_AVX2) {
    EclutChromaHSimdFunc h = eclut_chroma_h_simd_avx2 (p);

    plan->v_simd = eclut_chroma_v_simd_avx2 (p);
    if (h != NULL)
      plan->h_simd = h;
    used = ECLUT_SIMD_AVX2;
  }
#endif

  if (p->samples == ECLUT_SAMPLES_U8) {
    plan->v_pass = v_pass_8;
    if (!plan->fast.use)
      plan->h_pass = h_pass_8_tables;
    else if (r == 3)
      plan->h_pass = nc == 1 ? h_pass_8_3_1 : h_pass_8_3_2;
    else
      plan->h_pass = h8_orc[r == 4][nc - 1];
  } else {
    plan->v_pass = msb ? v_pass_16_6 : v_pass_16_0;
    plan->h_pass = plan->fast.use ? h16[r - 2][nc - 1][msb] :
        h_pass_16_tables;
  }

  g_snprintf (plan->description, sizeof (plan->description),
      "bilinear x%u, %s%s, %s, %s", r, subsampling_name (p->sub_x, p->sub_y),
      nc == 2 ? " interleaved" : "", samples_name (p->samples),
      eclut_simd_name (used));
}

EclutChromaPlan *
eclut_chroma_plan_new_for_level (const EclutChromaParams * p,
    EclutSimdLevel level)
{
  EclutChromaPlan *plan;
  guint64 tables;
  guint32 *idx;

  g_return_val_if_fail (p != NULL, NULL);
  if (!params_ok (p) || p->in_width == 0 || p->in_height == 0)
    return NULL;
  /* the tables follow the struct (whose size keeps them aligned) */
  tables = (guint64) p->out_width * (2 * sizeof (guint32) + sizeof (guint16));
  if (tables > G_MAXSIZE - sizeof (EclutChromaPlan))
    return NULL;
  plan = g_try_malloc (sizeof (EclutChromaPlan) + (gsize) tables);
  if (plan == NULL)
    return NULL;
  idx = (guint32 *) (plan + 1);
  plan_init (plan, p, MIN (level, eclut_simd_level ()), idx,
      (guint16 *) (idx + 2 * (gsize) p->out_width));
  return plan;
}

EclutChromaPlan *
eclut_chroma_plan_new (const EclutChromaParams * p)
{
  return eclut_chroma_plan_new_for_level (p, eclut_simd_level ());
}

void
eclut_chroma_plan_free (EclutChromaPlan * plan)
{
  g_free (plan);
}

const gchar *
eclut_chroma_plan_describe (const EclutChromaPlan * plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return plan->description;
}

gsize
eclut_chroma_plan_scratch_size (const EclutChromaPlan * plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->scratch_size;
}

void
eclut_chroma_plan_upscale_rows (const EclutChromaPlan * plan,
    const guint8 * src, gint src_stride, guint8 * dst, gint dst_stride,
    guint out_y0, guint out_y1, gpointer scratch)
{
  const EclutChromaParams *p;
  guint8 *vrow, *hrow;
  guint y;

  g_return_if_fail (plan != NULL);
  p = &plan->p;
  g_return_if_fail (out_y0 <= out_y1 && out_y1 <= p->out_height);
  if (out_y0 == out_y1 || p->out_width == 0)
    return;
  g_return_if_fail (src != NULL && dst != NULL && scratch != NULL);

  vrow = scratch;
  hrow = vrow + plan->row_bytes;
  for (y = out_y0; y < out_y1; y++) {
    gint64 y0;
    guint w, r0, r1;
    const guint8 *s0;

    axis_pos (p->scale, p->sub_y, p->centred_y, y, &y0, &w);
    r0 = clampi (y0, p->in_height);
    r1 = clampi (y0 + 1, p->in_height);
    s0 = src + (gssize) r0 *src_stride;
    plan->v_pass (plan, s0, r0 == r1 ? s0 : src + (gssize) r1 *src_stride,
        w, vrow);
    plan->h_pass (plan, vrow, dst + (gssize) y * dst_stride, hrow);
  }
}

void
eclut_chroma_upscale_rows (const EclutChromaParams * p,
    const guint8 * src, gint src_stride, guint8 * dst, gint dst_stride,
    guint out_y0, guint out_y1, gpointer scratch)
{
  EclutChromaPlan plan;
  guint32 *idx;

  g_return_if_fail (p != NULL);
  g_return_if_fail (params_ok (p));
  g_return_if_fail (out_y0 <= out_y1 && out_y1 <= p->out_height);
  if (out_y0 == out_y1 || p->out_width == 0)
    return;
  g_return_if_fail (p->in_width > 0 && p->in_height > 0);
  g_return_if_fail (src != NULL && dst != NULL && scratch != NULL);

  /* the plan lives for this call, its tables in the scratch */
  idx = (guint32 *) ((guint8 *) scratch + row_bytes (p) + out_row_bytes (p));
  plan_init (&plan, p, eclut_simd_level (), idx,
      (guint16 *) (idx + 2 * (gsize) p->out_width));
  eclut_chroma_plan_upscale_rows (&plan, src, src_stride, dst, dst_stride,
      out_y0, out_y1, scratch);
}
