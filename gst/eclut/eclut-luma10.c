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

/* The luma core on 10-bit planes (docs/lut-format.md, "Inference at 10
 * bits"): the table runs on the top 8 bits H = V >> 2 of every sample, its
 * sum S is rescaled to 10 bits instead of 8 (the two bits that the 8-bit
 * rescale rounds away are kept), and the remainder V & 3 of each LR pixel is
 * added to its r x r HR pixels.
 *
 * The general path here reuses the 8-bit general path's gathers (whichever
 * the plan chose for the CPU): each LR row's gather reads a small 8-bit
 * plane of the row and its neighbours, converted to H, so that its clamping
 * at the top and bottom is the plane's.  The expand is the 8-bit one; only
 * the rescale differs. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-luma-private.h"
#include "gsteclutorc.h"

/* bytes per row of the converted H rows */
static gsize
h_row_stride (guint w)
{
  return ((gsize) w + 15) & ~(gsize) 15;
}

static ECLUT_ALWAYS_INLINE guint
load_u16 (const guint8 * p)
{
  guint16 v;

  memcpy (&v, p, sizeof (v));
  return GUINT16_FROM_LE (v);
}

static ECLUT_ALWAYS_INLINE void
store_u16 (guint8 * p, guint v)
{
  guint16 u = GUINT16_TO_LE ((guint16) v);

  memcpy (p, &u, sizeof (u));
}

/* The 10-bit value of a sample of @samples (the other bits ignored). */
static ECLUT_ALWAYS_INLINE guint
sample_value (guint raw, EclutSamples samples)
{
  return samples == ECLUT_SAMPLES_U10_MSB ? raw >> 6 : raw & 1023;
}

/* H = V >> 2 of the @w samples of @src into @dst. */
static void
convert_row_h (guint8 * dst, const guint8 * src, guint w,
    EclutSamples samples)
{
  guint x;

  if (samples == ECLUT_SAMPLES_U10_MSB)
    for (x = 0; x < w; x++)
      dst[x] = (guint8) (load_u16 (src + 2 * x) >> 8);
  else
    for (x = 0; x < w; x++)
      dst[x] = (guint8) ((load_u16 (src + 2 * x) >> 2) & 255);
}

/* The 8-bit gather of LR row @y on the H rows y - 1 .. y + 1 (clamped to
 * the plane), and the reflect padding: the gather sees a plane of those
 * rows only, with @y at its clamped place in it. */
static void
gather_row10 (EclutLumaCtx * ctx, guint y, gint16 * planes, guint8 * hbuf)
{
  const gsize hs = h_row_stride (ctx->w);
  const guint y0 = y > 0 ? y - 1 : 0, y1 = MIN (y + 1, ctx->h - 1);
  const EclutSamples samples = ctx->plan->samples;
  EclutLumaCtx sub = *ctx;
  guint k;

  for (k = 0; k <= y1 - y0; k++)
    convert_row_h (hbuf + k * hs, ctx->src + (gssize) (y0 + k) *
        ctx->src_stride, ctx->w, samples);
  sub.src = hbuf;
  sub.src_stride = (gint) hs;
  sub.h = y1 - y0 + 1;
  eclut_general_gather_row (&sub, y - y0, planes);
}

static const gint16 *
lr_planes10 (EclutLumaCtx * ctx, guint y, guint8 * hbuf)
{
  guint slot = y % 3;

  if (ctx->ring_row[slot] != (gint) y) {
    gather_row10 (ctx, y, ctx->ring[slot], hbuf);
    ctx->ring_row[slot] = (gint) y;
  }
  return ctx->ring[slot];
}

/* The rescale to 10 bits of one HR row: @sum holds the sums of channels
 * 0-4 (biased, as the 8-bit path's), @c5 .. @c8 the rows of channels 5-8;
 * @lr the LR row's samples, whose remainders are added. */
static ECLUT_ALWAYS_INLINE void
finish_row10_r (const EclutLumaPlan * plan, guint8 * out,
    const gint16 * sum, const gint16 * c5, const gint16 * c6,
    const gint16 * c7, const gint16 * c8, const guint8 * lr, const guint r,
    const EclutSamples samples)
{
  const gint bias = plan->bias10 - ECLUT_LUT_SUM_BIAS, add = plan->add10;
  const guint ls = plan->lshift10, rs = plan->shift10;
  const guint w = plan->w;
  const guint oshift = samples == ECLUT_SAMPLES_U10_MSB ? 6 : 0;
  guint x, j;

  for (x = 0; x < w; x++) {
    const gint rem = (gint) (sample_value (load_u16 (lr + 2 * x), samples)
        & 3) + add;

    for (j = 0; j < r; j++) {
      const guint X = x * r + j;
      gint v = sum[X] + c5[X] + c6[X] + c7[X] + c8[X];

      v = (((v + bias) * (1 << ls)) >> rs) + rem;
      store_u16 (out + 2 * X, (guint) CLAMP (v, 0, 1023) << oshift);
    }
  }
}

static void
finish_row10 (const EclutLumaPlan * plan, guint8 * out, const gint16 * sum,
    const gint16 * const c[4], const guint8 * lr)
{
#define FINISH(r, smp) \
  finish_row10_r (plan, out, sum, c[0], c[1], c[2], c[3], lr, r, smp)
  if (plan->samples == ECLUT_SAMPLES_U10_MSB) {
    if (plan->r == 2)
      FINISH (2, ECLUT_SAMPLES_U10_MSB);
    else if (plan->r == 3)
      FINISH (3, ECLUT_SAMPLES_U10_MSB);
    else
      FINISH (4, ECLUT_SAMPLES_U10_MSB);
  } else {
    if (plan->r == 2)
      FINISH (2, ECLUT_SAMPLES_U10_LSB);
    else if (plan->r == 3)
      FINISH (3, ECLUT_SAMPLES_U10_LSB);
    else
      FINISH (4, ECLUT_SAMPLES_U10_LSB);
  }
#undef FINISH
}

/* The general path's scratch and three H rows. */
static gsize
general10_scratch_size (const EclutLumaPlan * plan)
{
  return eclut_general_scratch_size (plan->r, plan->rs) +
      3 * h_row_stride (plan->w);
}

/* The general path at 10 bits: as eclut_general_upscale_rows (), any
 * table, any size, any CPU. */
static void
general10_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1)
{
  const EclutLumaPlan *plan = ctx->plan;
  const guint r = ctx->r, rh = r * ctx->h, rw = r * ctx->w;
  const gint16 *rows[9];
  gint16 *tmp;
  guint8 *hbuf;
  guint yh, dyi, dxi;

  g_assert (general10_scratch_size (plan) <= plan->scratch_size);
  ctx->ring[0] = scratch;
  ctx->ring[1] = scratch + ctx->rs * 9 * r;
  ctx->ring[2] = scratch + 2 * ctx->rs * 9 * r;
  ctx->ring_row[0] = ctx->ring_row[1] = ctx->ring_row[2] = -1;
  tmp = scratch + 3 * ctx->rs * 9 * r;
  ctx->block = tmp + ctx->rs;
  hbuf = (guint8 *) scratch + eclut_general_scratch_size (r, ctx->rs);

  for (yh = out_y0; yh < out_y1; yh++) {
    guint8 *out = dst + (gssize) yh * dst_stride;

    for (dyi = 0; dyi < 3; dyi++) {
      gint dy = (gint) dyi - 1;
      guint ys = eclut_refl ((gint64) yh - (gint64) dy * ctx->st, rh);
      const gint16 *planes = lr_planes10 (ctx, ys / r, hbuf);

      for (dxi = 0; dxi < 3; dxi++) {
        gint dx = (gint) dxi - 1;
        guint c = dyi * 3 + dxi;

        rows[c] = planes + (c * r + ys % r) * ctx->rs + ECLUT_PLANE_PAD -
            dx * (gint) ctx->st;
      }
    }
    eclut_orc_sum5_s16 (tmp, rows[0], rows[1], rows[2], rows[3], rows[4],
        (int) rw);
    finish_row10 (plan, out, tmp, rows + 5,
        ctx->src + (gssize) (yh / r) * ctx->src_stride);
  }
}

void
eclut_luma10_plan_init (EclutLumaPlan * plan)
{
  const EclutLut *lut = plan->lut;
  const guint s = lut->rescale_shift;
  const gint b = lut->rescale_bias;

  g_assert (plan->samples == ECLUT_SAMPLES_U10_LSB
      || plan->samples == ECLUT_SAMPLES_U10_MSB);

  /* out = floor ((8 (S + b) - 3 * 2^s) / 2^(s + 1)) + remainder, which is
   * (S + b) 2^(2 - s) - 2 for s <= 2 and (S + b - 3 * 2^(s - 3)) >> (s - 2)
   * above (docs/lut-format.md); either form stays within int16 */
  if (s <= 2) {
    plan->bias10 = b;
    plan->lshift10 = 2 - s;
    plan->shift10 = 0;
    plan->add10 = -2;
  } else {
    plan->bias10 = b - 3 * (1 << (s - 3));
    plan->lshift10 = 0;
    plan->shift10 = s - 2;
    plan->add10 = 0;
  }

  plan->rows = general10_upscale_rows;
  plan->scratch_size = general10_scratch_size (plan);
  g_snprintf (plan->description, sizeof (plan->description),
      "general, x%u, %s, 10-bit (%s)", plan->r, eclut_simd_name (plan->simd),
      plan->samples == ECLUT_SAMPLES_U10_MSB ? "MSB" : "LSB");
}
