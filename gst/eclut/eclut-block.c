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

/* The block path of the luma core: expand_step == r, r = 2 or 4.
 *
 * With st = r the expand shift moves whole LR blocks: HR block (Y, X) is
 *   sum over c = (dy, dx) of P_c block (Y - dy, X - dx)
 * where P_c block (y, x) is the r x r channel-c block of LR pixel (y, x),
 * summed over rotations (reflect padding only at the image border).  So
 * the gather stores each pixel's nine r x r channel blocks whole, into nine
 * "channel rows" per LR row (block x at cells (x + 1) * r * r, cells i * r
 * + j inside, one reflect-padded block on each side), which takes 9 stores
 * per pixel instead of 9 r scattered chunks, and the expand is 9 block-row
 * loads and adds per output vector, then rescale, clamp and a transpose
 * from blocks to HR rows.  Rows -1 and h (the vertical reflect padding)
 * are built from the real ones.  Same sums as the general path, in another
 * order: bit-exact. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-block-private.h"

/* The slot of the ring that holds a reflect-padding row (-1 or h). */
#define BLOCK_SLOT_VIRTUAL 3

gsize
eclut_block_scratch_size (guint r, guint in_width)
{
  /* the channel rows (4 slots) and the 3 padded LR rows */
  return 4 * 9 * eclut_channel_row_stride (r, in_width) * sizeof (gint16) +
      3 * eclut_padded_row_size (in_width);
}

gboolean
eclut_block_funcs (guint r, EclutSimdLevel simd,
    EclutBlockGatherFunc * gather, EclutBlockExpandFunc * expand)
{
  *gather = NULL;
  *expand = NULL;
  if (r != 2 && r != 4)
    return FALSE;
#ifdef ECLUT_HAVE_AVX2
  if (simd >= ECLUT_SIMD_AVX2) {
    *gather = r == 2 ? eclut_block_gather_avx2_2 : eclut_block_gather_avx2_4;
    *expand = r == 2 ? eclut_block_expand_avx2_2 : eclut_block_expand_avx2_4;
    return TRUE;
  }
#endif
#ifdef ECLUT_HAVE_SSE2
  if (simd >= ECLUT_SIMD_SSE2) {
    *gather = r == 2 ? eclut_block_gather_sse2_2 : eclut_block_gather_sse2_4;
    *expand = r == 2 ? eclut_block_expand_sse2_2 : eclut_block_expand_sse2_4;
    return TRUE;
  }
#endif
  return FALSE;
}

/* Horizontal reflect padding of a gathered row: blocks -1 and w, per
 * sub-row. */
static void
block_pad_row (EclutBlockCtx * bc, gint16 * chans)
{
  const guint r = bc->ctx->r, w = bc->ctx->w, r2 = r * r, rw = r * w;
  /* source cell of padding column j, left and right: the same for every
   * channel and sub-row (refl() divides: once per column, not per cell) */
  gsize from_l[4], from_r[4];
  guint c, i, j;

  for (j = 0; j < r; j++) {
    guint xl = eclut_refl ((gint64) j - r, rw);
    guint xr = eclut_refl ((gint64) rw + j, rw);

    from_l[j] = (gsize) (xl / r + 1) * r2 + xl % r;
    from_r[j] = (gsize) (xr / r + 1) * r2 + xr % r;
  }
  for (c = 0; c < 9; c++) {
    gint16 *ch = chans + c * bc->cs;

    for (i = 0; i < r; i++)
      for (j = 0; j < r; j++) {
        ch[i * r + j] = ch[from_l[j] + i * r];
        ch[(gsize) (w + 1) * r2 + i * r + j] = ch[from_r[j] + i * r];
      }
  }
}

/* Channel rows of LR row @y, -1 <= y <= h, computed on first use. */
static const gint16 *
block_row (EclutBlockCtx * bc, gint y)
{
  EclutLumaCtx *ctx = bc->ctx;
  const guint r = ctx->r, r2 = r * r, rh = r * ctx->h;
  guint slot, c, i, x;

  if (y >= 0 && y < (gint) ctx->h) {
    slot = (guint) y % 3;
    if (bc->slot_row[slot] != y) {
      bc->ctx->plan->block_gather (bc, (guint) y, bc->slot[slot]);
      block_pad_row (bc, bc->slot[slot]);
      bc->slot_row[slot] = y;
    }
    return bc->slot[slot];
  }

  /* the reflect padding: sub-row i is the HR row refl (y r + i); it lies in
   * LR rows 0 and 1 (y = -1) or h-2 and h-1 (y = h), which the ring holds
   * together with the rows the caller needs next */
  slot = BLOCK_SLOT_VIRTUAL;
  if (bc->slot_row[slot] != y) {
    for (i = 0; i < r; i++) {
      guint hr = eclut_refl ((gint64) y * r + i, rh);
      const gint16 *from = block_row (bc, (gint) (hr / r));

      for (c = 0; c < 9; c++)
        for (x = 0; x < ctx->w + 2; x++)
          memcpy (bc->slot[slot] + c * bc->cs + (gsize) x * r2 + i * r,
              from + c * bc->cs + (gsize) x * r2 + (hr % r) * r,
              r * sizeof (gint16));
    }
    bc->slot_row[slot] = y;
  }
  return bc->slot[slot];
}

/* The nine channel-row pointers of HR block row @Y: block X of channel c
 * comes from block X - dx of LR row Y - dy (+1 block: the left padding). */
void
eclut_block_sources (EclutBlockCtx * bc, guint Y, const gint16 * src[9])
{
  const guint r2 = bc->ctx->r * bc->ctx->r;
  guint c;

  for (c = 0; c < 9; c++) {
    gint dy = (gint) (c / 3) - 1, dx = (gint) (c % 3) - 1;

    src[c] = block_row (bc, (gint) Y - dy) + c * bc->cs + (gssize) (1 - dx)
        * r2;
  }
}

void
eclut_block_expand_tail (const EclutLumaCtx * ctx, const gint16 * const *src,
    guint8 * const *out, guint X0, guint i0, guint i1, guint r)
{
  const gint bias = ctx->lut->rescale_bias;
  const guint shift = ctx->lut->rescale_shift;
  guint X, i, j, c;

  for (X = X0; X < ctx->w; X++)
    for (i = i0; i < i1; i++)
      for (j = 0; j < r; j++) {
        gsize k = (gsize) X * r * r + i * r + j;
        gint v = 0;

        for (c = 0; c < 9; c++)
          v += src[c][k];
        out[i][X * r + j] = eclut_rescale1 (v, bias, shift);
      }
}

void
eclut_block_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1)
{
  EclutBlockCtx bc;
  const guint r = ctx->r;
  guint k, Y;

  g_assert (eclut_block_scratch_size (r, ctx->w) <=
      ctx->plan->scratch_size);
  bc.ctx = ctx;
  bc.cs = eclut_channel_row_stride (r, ctx->w);
  for (k = 0; k < 4; k++) {
    bc.slot[k] = scratch + k * 9 * bc.cs;
    bc.slot_row[k] = G_MININT;
  }
  for (k = 0; k < 3; k++)
    bc.padded[k] = (guint8 *) (scratch + 4 * 9 * bc.cs) +
        k * eclut_padded_row_size (ctx->w) + ECLUT_ROW_PAD;

  for (Y = out_y0 / r; Y * r < out_y1; Y++) {
    guint i0 = Y * r < out_y0 ? out_y0 - Y * r : 0;
    guint i1 = MIN (out_y1 - Y * r, r);
    guint8 *out[4] = { NULL, NULL, NULL, NULL };
    guint i;

    for (i = i0; i < i1; i++)
      out[i] = eclut_luma_out_row (ctx, dst, dst_stride, Y * r + i);
    ctx->plan->block_expand (&bc, Y, i0, i1, out);
    eclut_luma_rows_done (ctx, Y * r + i1);
  }
}
