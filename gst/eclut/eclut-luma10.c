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
 * Every call first converts the LR rows it reads to H, into an 8-bit plane
 * in its scratch (at their places in it), and runs an 8-bit path's table
 * stage on that: the general path (whichever gathers the plan chose for the
 * CPU) or, at x2 with AVX2, the edge path; only their rescale differs.  The
 * remainders are read from the caller's plane. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-luma-private.h"
#include "gsteclutorc.h"

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

/* H = V >> 2 of the @w samples of @src into @dst; plain loops that GCC
 * vectorises. */
static void
convert_row_h (guint8 * restrict dst, const guint8 * restrict src, guint w,
    EclutSamples samples)
{
  guint x;

  if (samples == ECLUT_SAMPLES_U10_MSB)
    for (x = 0; x < w; x++)
      dst[x] = src[2 * x + 1];
  else
    for (x = 0; x < w; x++)
      dst[x] = (guint8) ((src[2 * x] >> 2) | (src[2 * x + 1] << 6));
}

/* The rescale of one sample: @v the sum S (without biases), @rem the
 * remainder of its LR pixel. */
static ECLUT_ALWAYS_INLINE guint
rescale10 (const EclutLumaPlan * plan, gint v, guint rem)
{
  v = (((v + plan->bias10) * (1 << plan->lshift10)) >> plan->shift10) +
      plan->add10 + (gint) rem;
  return (guint) CLAMP (v, 0, 1023);
}

void
eclut_luma10_store1 (const EclutLumaCtx * ctx, guint8 * out, guint Y,
    guint X, gint v)
{
  const EclutLumaPlan *plan = ctx->plan;
  const guint8 *lr = ctx->src10 + (gssize) (Y / plan->r) * ctx->src10_stride;
  const guint rem = sample_value (load_u16 (lr + 2 * (X / plan->r)),
      plan->samples) & 3;

  store_u16 (out + 2 * X, rescale10 (plan, v, rem) <<
      (plan->samples == ECLUT_SAMPLES_U10_MSB ? 6 : 0));
}

/* The remainders of LR row @lr (10-bit samples), each repeated over its
 * r HR columns, plus the rescale's constant: rw int16 cells. */
static void
remainder_row (const EclutLumaPlan * plan, gint16 * rem, const guint8 * lr)
{
  const guint r = plan->r, w = plan->w;
  guint x, j;

  for (x = 0; x < w; x++) {
    const gint16 v = (gint16) ((sample_value (load_u16 (lr + 2 * x),
                plan->samples) & 3) + plan->add10);

    for (j = 0; j < r; j++)
      rem[x * r + j] = v;
  }
}

/* The rescale to 10 bits of one HR row: @sum holds the sums of channels
 * 0-4 (biased, as the 8-bit path's), c[0 .. 3] the rows of channels 5-8,
 * @rem the remainder row (remainder_row ()). */
static void
finish_row10 (const EclutLumaPlan * plan, guint8 * out, const gint16 * sum,
    const gint16 * const c[4], const gint16 * rem)
{
  const gint bias = plan->bias10 - ECLUT_LUT_SUM_BIAS;
  const guint ls = plan->lshift10, rs = plan->shift10;
  const guint rw = plan->r * plan->w;
  const guint oshift = plan->samples == ECLUT_SAMPLES_U10_MSB ? 6 : 0;
  guint X = 0;

#ifdef ECLUT_HAVE_SSE2
  if (plan->simd >= ECLUT_SIMD_SSE2) {
    const __m128i vbias = _mm_set1_epi16 ((gint16) bias);
    const __m128i vls = _mm_cvtsi32_si128 ((int) ls);
    const __m128i vrs = _mm_cvtsi32_si128 ((int) rs);
    const __m128i vout = _mm_cvtsi32_si128 ((int) oshift);
    const __m128i z = _mm_setzero_si128 ();
    const __m128i vmax = _mm_set1_epi16 (1023);

#define L(p) _mm_loadu_si128 ((const __m128i *) ((p) + X))
    /* the biased sum is at most 36 * 255 and (S + bias) << ls below
     * 4 * 5000: exact in int16 */
    for (; X + 8 <= rw; X += 8) {
      __m128i v = _mm_add_epi16 (_mm_add_epi16 (L (sum), L (c[0])),
          _mm_add_epi16 (_mm_add_epi16 (L (c[1]), L (c[2])), L (c[3])));

      v = _mm_sra_epi16 (_mm_sll_epi16 (_mm_add_epi16 (v, vbias), vls), vrs);
      v = _mm_min_epi16 (_mm_max_epi16 (_mm_add_epi16 (v, L (rem)), z), vmax);
      _mm_storeu_si128 ((__m128i *) (out + 2 * X), _mm_sll_epi16 (v, vout));
    }
#undef L
  }
#endif
  for (; X < rw; X++) {
    gint v = sum[X] + c[0][X] + c[1][X] + c[2][X] + c[3][X];

    v = (((v + bias) * (1 << ls)) >> rs) + rem[X];
    store_u16 (out + 2 * X, (guint) CLAMP (v, 0, 1023) << oshift);
  }
}

void
eclut_luma10_edge_finish_row (const EclutLumaCtx * ctx, gint16 * acc,
    guint Y, guint8 * const out[4])
{
  const guint8 *lr = ctx->src10 + (gssize) Y * ctx->src10_stride;

#ifdef ECLUT_HAVE_AVX2
  /* the edge paths run only with AVX2 */
  if (ctx->r == 3)
    eclut_edge3_finish_row10_avx2 (ctx->plan, acc, lr, out);
  else
    eclut_edge_finish_row10_avx2 (ctx->plan, ctx->plan->edge_tables, acc,
        out[0], out[1], lr);
#else
  g_assert_not_reached ();
#endif
}

/* The general path's scratch and the remainder row. */
static gsize
general10_scratch_size (guint r, gsize rs)
{
  return eclut_general_scratch_size (r, rs) + rs * sizeof (gint16);
}

static const gint16 *
lr_planes10 (EclutLumaCtx * ctx, guint y)
{
  guint slot = y % 3;

  if (ctx->ring_row[slot] != (gint) y) {
    eclut_general_gather_row (ctx, y, ctx->ring[slot]);
    ctx->ring_row[slot] = (gint) y;
  }
  return ctx->ring[slot];
}

/* The general path at 10 bits (on the H plane): as
 * eclut_general_upscale_rows (), any table, any size, any CPU. */
static void
general10_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1)
{
  const EclutLumaPlan *plan = ctx->plan;
  const guint r = ctx->r, rh = r * ctx->h, rw = r * ctx->w;
  const gint16 *rows[9];
  gint16 *tmp, *rem;
  guint yh, dyi, dxi;

  g_assert (general10_scratch_size (r, ctx->rs) <= plan->h_offset);
  ctx->ring[0] = scratch;
  ctx->ring[1] = scratch + ctx->rs * 9 * r;
  ctx->ring[2] = scratch + 2 * ctx->rs * 9 * r;
  ctx->ring_row[0] = ctx->ring_row[1] = ctx->ring_row[2] = -1;
  tmp = scratch + 3 * ctx->rs * 9 * r;
  ctx->block = tmp + ctx->rs;
  rem = scratch + eclut_general_scratch_size (r, ctx->rs) / sizeof (gint16);

  for (yh = out_y0; yh < out_y1; yh++) {
    guint8 *out = eclut_luma_out_row (ctx, dst, dst_stride, yh);

    if (yh == out_y0 || yh % r == 0)
      remainder_row (plan, rem, ctx->src10 + (gssize) (yh / r) *
          ctx->src10_stride);

    for (dyi = 0; dyi < 3; dyi++) {
      gint dy = (gint) dyi - 1;
      guint ys = eclut_refl ((gint64) yh - (gint64) dy * ctx->st, rh);
      const gint16 *planes = lr_planes10 (ctx, ys / r);

      for (dxi = 0; dxi < 3; dxi++) {
        gint dx = (gint) dxi - 1;
        guint c = dyi * 3 + dxi;

        rows[c] = planes + (c * r + ys % r) * ctx->rs + ECLUT_PLANE_PAD -
            dx * (gint) ctx->st;
      }
    }
    eclut_orc_sum5_s16 (tmp, rows[0], rows[1], rows[2], rows[3], rows[4],
        (int) rw);
    finish_row10 (plan, out, tmp, rows + 5, rem);
    eclut_luma_rows_done (ctx, yh + 1);
  }
}

/* The 10-bit path: the H plane of the LR rows that HR rows [out_y0,
 * out_y1) read, then the table stage on it. */
static void
luma10_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1)
{
  const EclutLumaPlan *plan = ctx->plan;
  const guint r = ctx->r, st = ctx->st, w = ctx->w, h = ctx->h;
  /* the reads reach st HR rows (reflected once, inside the plane), and
   * the gathers and the edge path two LR rows, beyond the call's rows */
  const guint margin = 3;
  guint lo = out_y0 >= st ? (out_y0 - st) / r : 0;
  guint hi = (out_y1 - 1 + st) / r;
  guint8 *hplane = (guint8 *) scratch + plan->h_offset;
  guint y;

  lo = lo > margin ? lo - margin : 0;
  hi = MIN (hi + margin, h - 1);
  if (h <= 2 * margin) {
    lo = 0;
    hi = h - 1;
  }
  for (y = lo; y <= hi; y++)
    convert_row_h (hplane + (gsize) y * w, ctx->src + (gssize) y *
        ctx->src_stride, w, plan->samples);
  ctx->src10 = ctx->src;
  ctx->src10_stride = ctx->src_stride;
  ctx->src = hplane;
  ctx->src_stride = (gint) w;
  plan->rows10 (ctx, scratch, dst, dst_stride, out_y0, out_y1);
}

void
eclut_luma10_plan_init (EclutLumaPlan * plan)
{
  const EclutLut *lut = plan->lut;
  const guint s = lut->rescale_shift, r = plan->r, w = plan->w, h = plan->h;
  const gint b = lut->rescale_bias;
  const gchar *path;
  gsize path_scratch;

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

  path_scratch = general10_scratch_size (r, plan->rs);
#ifdef ECLUT_HAVE_AVX2
  if (plan->rows == eclut_edge_upscale_rows) {
    /* the x2 or x3 edge path, its border rows by the general path */
    path = "edge";
    plan->rows10 = eclut_edge_upscale_rows;
    plan->edge_border_rows = general10_upscale_rows;
    path_scratch = MAX (path_scratch, eclut_edge_scratch_size (r, w));
  } else if (plan->rows == eclut_block_upscale_rows && r == 4
      && plan->simd >= ECLUT_SIMD_AVX2) {
    /* the x4 block path with its own expand */
    path = "block";
    plan->rows10 = eclut_block_upscale_rows;
    plan->block_expand = eclut_block_expand10_avx2_4;
    path_scratch = MAX (path_scratch, eclut_block_scratch_size (r, w));
  } else
#endif
  {
    path = "general";
    plan->rows10 = general10_upscale_rows;
  }
  plan->rows = luma10_upscale_rows;
  plan->h_offset = (path_scratch + 15) & ~(gsize) 15;
  plan->scratch_size = plan->h_offset + (gsize) w * h;
  g_snprintf (plan->description, sizeof (plan->description),
      "%s, x%u, %s, 10-bit (%s)", path, r, eclut_simd_name (plan->simd),
      plan->samples == ECLUT_SAMPLES_U10_MSB ? "MSB" : "LSB");
}
