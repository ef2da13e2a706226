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

/* The luma core (docs/lut-format.md, "Inference"), in the original
 * orientation:
 *
 * 1. Gather, per LR row Y (C; table lookups cannot be vectorised by ORC):
 *    for each LR pixel, the four rotations' pre-rotated blocks (see
 *    eclut-lut-private.h) are summed into one 9 x r x r int16 block, which
 *    is scattered into 9*r "plane rows": plane row q = c*r + i holds
 *    P_c[Y*r + i][0 .. r*W-1], the sum over rotations of the expand channel
 *    c before its shift, plus 4 * 128 (the tables are stored biased, as
 *    bytes).  Each plane row carries ECLUT_PLANE_PAD cells on both sides
 *    filled with the reflect padding of the HR border.
 * 2. Expand, rescale, clamp, per HR row (ORC): the HR row Yh is
 *      sum over c=(dy,dx) of P_c[refl(Yh - dy*st)][refl(Xh - dx*st)]
 *    i.e. nine plane rows read at a horizontal offset of -dx*st (inside the
 *    padding at the edges), then (S + b - 36 * 128) >> s and the clamp.
 *    Every intermediate is in 0 .. 36 * 255, so int16 is exact.
 *
 * An HR row of LR row Y reads plane rows of LR rows Y-1..Y+1 only (the shift
 * is at most r), so three LR rows of plane rows are kept in a ring.  Every
 * call starts with an empty ring and computes what its rows need, which
 * makes any row split give the same bytes. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-edge.h"
#include "eclut-luma.h"
#include "eclut-luma-private.h"
#include "gsteclutorc.h"

/* int16 cells per plane row, or 0 if it would not fit the address space. */
static gsize
plane_row_stride (guint r, guint in_width)
{
  guint64 n = (guint64) r * in_width + 2 * ECLUT_PLANE_PAD;

  n = (n + 7) & ~(guint64) 7;
  /* with room for the block path's (w + 2) * r * r cells per channel row */
  if (n > G_MAXSIZE / (sizeof (gint16) * 64 * 16))
    return 0;
  return (gsize) n;
}

/* The general path's scratch: 3 LR rows of 9r plane rows, one temporary
 * row, one gathered block. */
gsize
eclut_general_scratch_size (guint r, gsize rs)
{
  return (rs * (3 * 9 * r + 1) + ECLUT_LUT_BLOCK_STRIDE (r)) *
      sizeof (gint16);
}

gsize
eclut_luma_scratch_size (const EclutLut * lut, guint in_width)
{
  gsize rs;

  g_return_val_if_fail (lut != NULL, 0);

  rs = plane_row_stride (lut->scale, in_width);
  if (rs == 0)
    return G_MAXSIZE;           /* no allocation can satisfy it */
  /* enough for any plan of this width */
  return MAX (MAX (eclut_general_scratch_size (lut->scale, rs),
          eclut_block_scratch_size (lut->scale, in_width)),
      MAX (eclut_edge_scratch_size (2, in_width),
          eclut_edge_scratch_size (3, in_width)));
}


#ifdef ECLUT_HAVE_SSE2
static ECLUT_ALWAYS_INLINE void
store32 (gint16 * out, __m128i s)
{
  gint32 d = _mm_cvtsi128_si32 (s);

  memcpy (out, &d, sizeof (d));
}

/* Scatters int16 vector @v of the summed block (cells 8v .. 8v+7) into the
 * plane rows: a vector holds 8 / chunk whole chunks (the chunk layout
 * guarantees it).  A 64-bit chunk store of r = 3 writes one cell past the
 * chunk; the next pixel (or the reflect padding) overwrites it. */
static ECLUT_ALWAYS_INLINE void
scatter_vec (gint16 * out, gsize rs, __m128i s, guint v, const guint r)
{
  guint q;

  if (r == 2) {
    q = 4 * v;                  /* 18 chunks of 32 bits */
    if (q < 18)
      store32 (out + eclut_plane_of_chunk (q, r) * rs, s);
    if (q + 1 < 18)
      store32 (out + eclut_plane_of_chunk (q + 1, r) * rs, _mm_shuffle_epi32 (s, 1));
    if (q + 2 < 18)
      store32 (out + eclut_plane_of_chunk (q + 2, r) * rs, _mm_shuffle_epi32 (s, 2));
    if (q + 3 < 18)
      store32 (out + eclut_plane_of_chunk (q + 3, r) * rs, _mm_shuffle_epi32 (s, 3));
  } else {
    q = 2 * v;                  /* 9r chunks of 64 bits */
    if (q < 9 * r)
      _mm_storel_epi64 ((__m128i *) (out + eclut_plane_of_chunk (q, r) * rs), s);
    if (q + 1 < 9 * r)
      _mm_storel_epi64 ((__m128i *) (out + eclut_plane_of_chunk (q + 1, r) * rs),
          _mm_unpackhi_epi64 (s, s));
  }
}

/* The 4-way block sum kept in registers (widened from bytes with one
 * unpack each) and scattered straight into the plane rows: no staging
 * buffer, so no store-to-load forwarding stalls. */
static ECLUT_ALWAYS_INLINE void
sum4_scatter_sse2 (gint16 * out, gsize rs, const guint8 * a,
    const guint8 * b, const guint8 * c, const guint8 * e, const guint r)
{
  const guint n_cells = 9 * r * ECLUT_LUT_CHUNK (r);
  const __m128i z = _mm_setzero_si128 ();
  guint v;

  for (v = 0; 16 * v < n_cells; v++) {
    __m128i xa = _mm_loadu_si128 ((const __m128i *) (a + 16 * v));
    __m128i xb = _mm_loadu_si128 ((const __m128i *) (b + 16 * v));
    __m128i xc = _mm_loadu_si128 ((const __m128i *) (c + 16 * v));
    __m128i xe = _mm_loadu_si128 ((const __m128i *) (e + 16 * v));
    __m128i lo = _mm_add_epi16 (_mm_add_epi16 (_mm_unpacklo_epi8 (xa, z),
            _mm_unpacklo_epi8 (xb, z)),
        _mm_add_epi16 (_mm_unpacklo_epi8 (xc, z), _mm_unpacklo_epi8 (xe, z)));

    scatter_vec (out, rs, lo, 2 * v, r);
    if (16 * v + 8 < n_cells) {
      __m128i hi = _mm_add_epi16 (_mm_add_epi16 (_mm_unpackhi_epi8 (xa, z),
              _mm_unpackhi_epi8 (xb, z)),
          _mm_add_epi16 (_mm_unpackhi_epi8 (xc, z),
              _mm_unpackhi_epi8 (xe, z)));

      scatter_vec (out, rs, hi, 2 * v + 1, r);
    }
  }
}
#endif

/* Step 1 for one LR row with the scale @r known at compile time (the
 * callers pass a literal so the loops are unrolled and vectorised). */
static ECLUT_ALWAYS_INLINE void
gather_row_r (EclutLumaCtx * ctx, guint y, gint16 * planes, const guint r,
    const gboolean simd)
{
  const guint w = ctx->w, bs = ECLUT_LUT_BLOCK_STRIDE (r);
  const guint cw = ECLUT_LUT_CHUNK (r);
  const gsize rs = ctx->rs;
  const guint8 *row = ctx->src + (gssize) y * ctx->src_stride;
  const guint8 *below = y + 1 < ctx->h ? row + ctx->src_stride : row;
  const guint8 *above = y > 0 ? row - ctx->src_stride : row;
  /* block pointers are computed once, ECLUT_PREFETCH_AHEAD pixels ahead, when
   * their prefetch is issued, and kept in a small ring until used (the
   * gather is instruction bound: computing them twice cost time) */
  const guint8 *ring[ECLUT_PF_RING][4];
  gint16 *blk = ctx->block;
  guint x, q;

  for (x = 0; x < w && x < ECLUT_PREFETCH_AHEAD; x++)
    eclut_pixel_blocks (ctx, row, below, above, x, r, ring, FALSE);

  for (x = 0; x < w; x++) {
    const guint8 *const *b = ring[x % ECLUT_PF_RING];
    gint16 *out = planes + ECLUT_PLANE_PAD + (gsize) x * r;

    if (x + ECLUT_PREFETCH_AHEAD < w)
      eclut_pixel_blocks (ctx, row, below, above, x + ECLUT_PREFETCH_AHEAD, r,
          ring, TRUE);
#ifdef ECLUT_HAVE_SSE2
    if (simd) {
      sum4_scatter_sse2 (out, rs, b[0], b[1], b[2], b[3], r);
      continue;
    }
#endif
    eclut_sum4 (blk, b[0], b[1], b[2], b[3], bs);
    for (q = 0; q < 9 * r; q++)
      memcpy (out + eclut_plane_of_chunk (q, r) * rs, blk + q * cw,
          r * sizeof (gint16));
  }
}

/* The gathers of one LR row, one per (scale, instruction set): all loop
 * bounds are constants.  The plan picks one (eclut_luma_plan_new ()). */
static void
gather_row_c_2 (EclutLumaCtx * ctx, guint y, gint16 * planes)
{
  gather_row_r (ctx, y, planes, 2, FALSE);
}

static void
gather_row_c_3 (EclutLumaCtx * ctx, guint y, gint16 * planes)
{
  gather_row_r (ctx, y, planes, 3, FALSE);
}

static void
gather_row_c_4 (EclutLumaCtx * ctx, guint y, gint16 * planes)
{
  gather_row_r (ctx, y, planes, 4, FALSE);
}

#ifdef ECLUT_HAVE_SSE2
static void
gather_row_sse2_2 (EclutLumaCtx * ctx, guint y, gint16 * planes)
{
  gather_row_r (ctx, y, planes, 2, TRUE);
}

static void
gather_row_sse2_3 (EclutLumaCtx * ctx, guint y, gint16 * planes)
{
  gather_row_r (ctx, y, planes, 3, TRUE);
}

static void
gather_row_sse2_4 (EclutLumaCtx * ctx, guint y, gint16 * planes)
{
  gather_row_r (ctx, y, planes, 4, TRUE);
}
#endif


/* The gather for scale @r with @simd. */
static EclutGatherRowFunc
gather_func (guint r, EclutSimdLevel simd)
{
  static const EclutGatherRowFunc c[3] =
      { gather_row_c_2, gather_row_c_3, gather_row_c_4 };
#ifdef ECLUT_HAVE_SSE2
  static const EclutGatherRowFunc sse2[3] =
      { gather_row_sse2_2, gather_row_sse2_3, gather_row_sse2_4 };
#endif

#ifdef ECLUT_HAVE_AVX2
  /* AVX2 variants at x3 and x4, whose chunks are 4 cells */
  if (simd >= ECLUT_SIMD_AVX2 && r == 3)
    return eclut_gather_row_avx2_3;
  if (simd >= ECLUT_SIMD_AVX2 && r == 4)
    return eclut_gather_row_avx2_4;
#endif
#ifdef ECLUT_HAVE_SSE2
  if (simd >= ECLUT_SIMD_SSE2)
    return sse2[r - 2];
#endif
  return c[r - 2];
}

/* The plane rows of LR row @y and their reflect padding. */
void
eclut_general_gather_row (EclutLumaCtx * ctx, guint y, gint16 * planes)
{
  const guint rw = ctx->r * ctx->w, st = ctx->st;
  guint q, p;

  ctx->plan->gather_row (ctx, y, planes);

  /* reflect padding of the HR border, as far as a shift can reach */
  for (q = 0; q < 9 * ctx->r; q++) {
    gint16 *pr = planes + q * ctx->rs + ECLUT_PLANE_PAD;

    for (p = 1; p <= st; p++) {
      pr[-(gint) p] = pr[eclut_refl (-(gint64) p, rw)];
      pr[rw - 1 + p] = pr[eclut_refl ((gint64) rw - 1 + p, rw)];
    }
  }
}

/* Plane rows of LR row @y, computed on first use. */
static const gint16 *
lr_planes (EclutLumaCtx * ctx, guint y)
{
  guint slot = y % 3;

  if (ctx->ring_row[slot] != (gint) y) {
    eclut_general_gather_row (ctx, y, ctx->ring[slot]);
    ctx->ring_row[slot] = (gint) y;
  }
  return ctx->ring[slot];
}


/* The general path: any table, any size, any CPU. */
void
eclut_general_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1)
{
  const EclutLut *lut = ctx->lut;
  const guint r = ctx->r, rh = r * ctx->h, rw = r * ctx->w;
  const gint16 *rows[9];
  gint16 *tmp;
  guint yh, dyi, dxi;

  g_assert (eclut_general_scratch_size (r, ctx->rs) <= ctx->plan->scratch_size);
  ctx->ring[0] = scratch;
  ctx->ring[1] = scratch + ctx->rs * 9 * r;
  ctx->ring[2] = scratch + 2 * ctx->rs * 9 * r;
  ctx->ring_row[0] = ctx->ring_row[1] = ctx->ring_row[2] = -1;
  tmp = scratch + 3 * ctx->rs * 9 * r;
  ctx->block = tmp + ctx->rs;

  for (yh = out_y0; yh < out_y1; yh++) {
    guint8 *out = eclut_luma_out_row (ctx, dst, dst_stride, yh);

    for (dyi = 0; dyi < 3; dyi++) {
      gint dy = (gint) dyi - 1;
      guint ys = eclut_refl ((gint64) yh - (gint64) dy * ctx->st, rh);
      const gint16 *planes = lr_planes (ctx, ys / r);

      for (dxi = 0; dxi < 3; dxi++) {
        gint dx = (gint) dxi - 1;
        guint c = dyi * 3 + dxi;

        /* channel (dy, dx) is read at Xh - dx*st: shift the row pointer;
         * at most st cells into the reflect padding */
        rows[c] = planes + (c * r + ys % r) * ctx->rs + ECLUT_PLANE_PAD -
            dx * (gint) ctx->st;
      }
    }
    eclut_orc_sum5_s16 (tmp, rows[0], rows[1], rows[2], rows[3], rows[4],
        (int) rw);
    eclut_orc_finish_u8 (out, tmp, rows[5], rows[6], rows[7], rows[8],
        lut->rescale_bias - ECLUT_LUT_SUM_BIAS, (int) lut->rescale_shift,
        (int) rw);
    eclut_luma_rows_done (ctx, yh + 1);
  }
}

/* Which code runs for a stream: the path, its functions for this scale
 * and CPU, its tables and its scratch, all decided here.  FALSE if the
 * width's rows cannot be addressed. */
static gboolean
plan_init (EclutLumaPlan * plan, EclutLut * lut, guint w, guint h,
    EclutSamples samples)
{
  const guint r = lut->scale, st = lut->expand_step;
  const EclutSimdLevel simd = eclut_simd_level ();
  const gchar *path;
  gboolean block;

  memset (plan, 0, sizeof (*plan));
  plan->rs = plane_row_stride (r, w);
  if (plan->rs == 0 || (guint64) r * w > G_MAXINT)
    return FALSE;
  plan->lut = lut;
  plan->w = w;
  plan->h = h;
  plan->r = r;
  plan->st = st;
  plan->simd = simd;
  plan->samples = samples;

  /* every path's row functions for this scale and instruction set */
  plan->gather_row = gather_func (r, simd);
  block = eclut_block_funcs (r, simd, &plan->block_gather,
      &plan->block_expand);

#ifdef ECLUT_HAVE_AVX2
  if (simd >= ECLUT_SIMD_AVX2 && r == 2 && st == 2 && w >= 3 && h >= 3) {
    /* the x2 edge path, its border rows by the block path */
    g_assert (block);
    path = "edge";
    plan->rows = eclut_edge_upscale_rows;
    plan->edge_tables = eclut_edge_tables (lut);
    plan->edge_add_rows = eclut_edge2_add_rows;
    plan->edge_finish_row = eclut_edge2_finish_row;
    plan->edge_acc_cells = ECLUT_EDGE_ACC_CELLS (w);
    plan->edge_border_rows = eclut_block_upscale_rows;
    plan->scratch_size = MAX (eclut_edge_scratch_size (r, w),
        eclut_block_scratch_size (r, w));
  } else if (simd >= ECLUT_SIMD_AVX2 && r == 3 && st == 3 && w >= 3
      && h >= 3) {
    /* the x3 edge path, its border rows by the general path */
    path = "edge";
    plan->rows = eclut_edge_upscale_rows;
    plan->edge_tables = eclut_edge3_tables (lut);
    plan->edge_add_rows = eclut_edge3_add_rows;
    plan->edge_finish_row = eclut_edge3_finish_row;
    plan->edge_acc_cells = ECLUT_EDGE3_ACC_CELLS (w);
    plan->edge_border_rows = eclut_general_upscale_rows;
    plan->scratch_size = MAX (eclut_edge_scratch_size (r, w),
        eclut_general_scratch_size (r, plan->rs));
  } else
#endif
  if (block && st == r && w >= 2 && h >= 2) {
    path = "block";
    plan->rows = eclut_block_upscale_rows;
    plan->scratch_size = eclut_block_scratch_size (r, w);
  } else {
    path = "general";
    plan->rows = eclut_general_upscale_rows;
    plan->scratch_size = eclut_general_scratch_size (r, plan->rs);
  }
  g_snprintf (plan->description, sizeof (plan->description), "%s, x%u, %s",
      path, r, eclut_simd_name (simd));
  if (samples != ECLUT_SAMPLES_U8) {
    /* 10-bit planes: their own path (eclut-luma10.c) */
    eclut_luma10_plan_init (plan);
    return TRUE;
  }
  /* the one-call form's scratch serves any 8-bit plan */
  g_assert (plan->scratch_size <= eclut_luma_scratch_size (lut, w));
  return TRUE;
}

EclutLumaPlan *
eclut_luma_plan_new (EclutLut * lut, guint in_width, guint in_height)
{
  return eclut_luma_plan_new_for_samples (lut, in_width, in_height,
      ECLUT_SAMPLES_U8);
}

EclutLumaPlan *
eclut_luma_plan_new_for_samples (EclutLut * lut, guint in_width,
    guint in_height, EclutSamples samples)
{
  EclutLumaPlan *plan;

  g_return_val_if_fail (lut != NULL, NULL);
  g_return_val_if_fail (in_width > 0 && in_height > 0, NULL);
  g_return_val_if_fail (samples == ECLUT_SAMPLES_U8
      || samples == ECLUT_SAMPLES_U10_LSB
      || samples == ECLUT_SAMPLES_U10_MSB, NULL);

  plan = g_new (EclutLumaPlan, 1);
  if (!plan_init (plan, lut, in_width, in_height, samples)) {
    g_critical ("eclut: planes %u pixels wide are too wide", in_width);
    g_free (plan);
    return NULL;
  }
  eclut_lut_ref (lut);
  return plan;
}

void
eclut_luma_plan_free (EclutLumaPlan * plan)
{
  if (plan == NULL)
    return;
  eclut_lut_unref (plan->lut);
  g_free (plan);
}

const gchar *
eclut_luma_plan_describe (const EclutLumaPlan * plan)
{
  g_return_val_if_fail (plan != NULL, NULL);
  return plan->description;
}

gsize
eclut_luma_plan_scratch_size (const EclutLumaPlan * plan)
{
  g_return_val_if_fail (plan != NULL, 0);
  return plan->scratch_size;
}

/* Both forms: into @dst, a plane, or (@ring_rows > 0) a ring of rows
 * whose consumer @done is told of them */
static void
plan_rows (const EclutLumaPlan * plan, const guint8 * src, gint src_stride,
    guint8 * dst, gint dst_stride, guint ring_rows, guint out_y0,
    guint out_y1, gpointer scratch, EclutRowsDoneFunc done,
    gpointer user_data)
{
  EclutLumaCtx ctx;

  g_return_if_fail (plan != NULL);
  g_return_if_fail ((guint64) out_y1 <= (guint64) plan->r * plan->h);
  g_return_if_fail (out_y0 <= out_y1);
  if (out_y0 == out_y1)
    return;
  g_return_if_fail (src != NULL && dst != NULL && scratch != NULL);

  memset (&ctx, 0, sizeof (ctx));
  ctx.plan = plan;
  ctx.lut = plan->lut;
  ctx.src = src;
  ctx.src_stride = src_stride;
  ctx.w = plan->w;
  ctx.h = plan->h;
  ctx.r = plan->r;
  ctx.st = plan->st;
  ctx.rs = plan->rs;
  ctx.out_ring = ring_rows;
  ctx.done = done;
  ctx.done_data = user_data;
  plan->rows (&ctx, scratch, dst, dst_stride, out_y0, out_y1);
}

void
eclut_luma_plan_upscale_rows (const EclutLumaPlan * plan, const guint8 * src,
    gint src_stride, guint8 * dst, gint dst_stride, guint out_y0,
    guint out_y1, gpointer scratch)
{
  plan_rows (plan, src, src_stride, dst, dst_stride, 0, out_y0, out_y1,
      scratch, NULL, NULL);
}

void
eclut_luma_plan_stream_rows (const EclutLumaPlan * plan, const guint8 * src,
    gint src_stride, guint8 * ring, gint ring_stride, guint ring_rows,
    guint out_y0, guint out_y1, gpointer scratch, EclutRowsDoneFunc done,
    gpointer user_data)
{
  g_return_if_fail (ring_rows > 0 && done != NULL);
  plan_rows (plan, src, src_stride, ring, ring_stride, ring_rows, out_y0,
      out_y1, scratch, done, user_data);
}

void
eclut_luma_upscale_rows (const EclutLut * lut,
    const guint8 * src, gint src_stride, guint in_width, guint in_height,
    guint8 * dst, gint dst_stride, guint out_y0, guint out_y1, gpointer scratch)
{
  EclutLumaPlan plan;

  g_return_if_fail (lut != NULL);
  g_return_if_fail ((guint64) out_y1 <= (guint64) lut->scale * in_height);
  g_return_if_fail (out_y0 <= out_y1);
  if (out_y0 == out_y1 || in_width == 0)
    return;
  g_return_if_fail (src != NULL && dst != NULL && scratch != NULL);
  g_return_if_fail ((guint64) lut->scale * in_width <= G_MAXINT);
  /* the plan only borrows the table: it lives for this call */
  if (!plan_init (&plan, (EclutLut *) lut, in_width, in_height,
          ECLUT_SAMPLES_U8))
    return;
  eclut_luma_plan_upscale_rows (&plan, src, src_stride, dst, dst_stride,
      out_y0, out_y1, scratch);
}
