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

/* The block path's gather and expand with SSE2 (eclut-block.c). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-block-private.h"

#ifdef ECLUT_HAVE_SSE2
/* The 4-way sum of vector @v (cells 8v .. 8v+7) of one pixel's blocks. */
static ECLUT_ALWAYS_INLINE __m128i
sum4_vec (const guint8 * a, const guint8 * b, const guint8 * c,
    const guint8 * e, guint v)
{
  const __m128i z = _mm_setzero_si128 ();
  __m128i xa = _mm_loadu_si128 ((const __m128i *) (a + 16 * (v / 2)));
  __m128i xb = _mm_loadu_si128 ((const __m128i *) (b + 16 * (v / 2)));
  __m128i xc = _mm_loadu_si128 ((const __m128i *) (c + 16 * (v / 2)));
  __m128i xe = _mm_loadu_si128 ((const __m128i *) (e + 16 * (v / 2)));

  if (v % 2 == 0)
    return _mm_add_epi16 (_mm_add_epi16 (_mm_unpacklo_epi8 (xa, z),
            _mm_unpacklo_epi8 (xb, z)), _mm_add_epi16 (_mm_unpacklo_epi8 (xc,
                z), _mm_unpacklo_epi8 (xe, z)));
  return _mm_add_epi16 (_mm_add_epi16 (_mm_unpackhi_epi8 (xa, z),
          _mm_unpackhi_epi8 (xb, z)), _mm_add_epi16 (_mm_unpackhi_epi8 (xc, z),
          _mm_unpackhi_epi8 (xe, z)));
}

static ECLUT_ALWAYS_INLINE void
block_gather_row_r (EclutBlockCtx * bc, guint y, gint16 * chans, const guint r)
{
  EclutLumaCtx *ctx = bc->ctx;
  const guint w = ctx->w, r2 = r * r;
  const gsize cs = bc->cs;
  const guint8 *row = ctx->src + (gssize) y * ctx->src_stride;
  const guint8 *below = y + 1 < ctx->h ? row + ctx->src_stride : row;
  const guint8 *above = y > 0 ? row - ctx->src_stride : row;
  const guint8 *ring[ECLUT_PF_RING][4];
  guint x, c;

  for (x = 0; x < w && x < ECLUT_PREFETCH_AHEAD; x++)
    eclut_pixel_blocks (ctx, row, below, above, x, r, ring, FALSE);

  for (x = 0; x < w; x++) {
    const guint8 *const *b = ring[x % ECLUT_PF_RING];
    gint16 *out = chans + (gsize) (x + 1) * r2;

    if (x + ECLUT_PREFETCH_AHEAD < w)
      eclut_pixel_blocks (ctx, row, below, above, x + ECLUT_PREFETCH_AHEAD, r,
          ring, TRUE);
    if (r == 2) {
      /* 36 cells: slot s is the 64-bit half s % 2 of vector s / 2 */
      for (c = 0; c < 9; c += 2) {
        __m128i v = sum4_vec (b[0], b[1], b[2], b[3], c / 2);

        _mm_storel_epi64 ((__m128i *) (out + ECLUT_LUT_SLOT (r, c) * cs), v);
        if (c + 1 < 9)
          eclut_store_hi64 (out + ECLUT_LUT_SLOT (r, c + 1) * cs, v);
      }
    } else {
      /* 144 cells: slot s is vectors 2s and 2s + 1 */
      for (c = 0; c < 9; c++) {
        /* both halves before any store: the stores may alias the table
         * (char types), so a load after them would be repeated */
        __m128i lo = sum4_vec (b[0], b[1], b[2], b[3], 2 * c);
        __m128i hi = sum4_vec (b[0], b[1], b[2], b[3], 2 * c + 1);
        gint16 *o = out + ECLUT_LUT_SLOT (r, c) * cs;

        _mm_storeu_si128 ((__m128i *) o, lo);
        _mm_storeu_si128 ((__m128i *) (o + 8), hi);
      }
    }
  }
}

/* (v + b) >> s, v + b >= 0, then the sum bias removed: the same as the
 * spec's flooring shift of the unbiased sum because 36 * 128 is a multiple
 * of 2^s (s <= 8) */
static ECLUT_ALWAYS_INLINE __m128i
rescale (__m128i v, __m128i bias, __m128i shift, __m128i off)
{
  return _mm_sub_epi16 (_mm_srl_epi16 (_mm_add_epi16 (v, bias), shift), off);
}

/* HR rows [Y r + i0, Y r + i1) of LR row @Y. */
static ECLUT_ALWAYS_INLINE void
block_expand_row_r (EclutBlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * const out[4], const guint r)
{
  EclutLumaCtx *ctx = bc->ctx;
  const guint w = ctx->w, r2 = r * r;
  const guint shift = ctx->lut->rescale_shift;
  const __m128i vbias = _mm_set1_epi16 ((gint16) ctx->lut->rescale_bias);
  const __m128i vshift = _mm_cvtsi32_si128 ((int) shift);
  const __m128i voff = _mm_set1_epi16 ((gint16) (ECLUT_LUT_SUM_BIAS >> shift));
  const gint16 *src[9];
  guint c, i, X;

  eclut_block_sources (bc, Y, src);

  /* four blocks per step */
  for (X = 0; X + 4 <= w; X += 4) {
    const gsize o = (gsize) X * r2;

    if (r == 2) {
      __m128i a0 = _mm_loadu_si128 ((const __m128i *) (src[0] + o));
      __m128i a1 = _mm_loadu_si128 ((const __m128i *) (src[0] + o + 8));
      __m128i r0, r1, p;

      for (c = 1; c < 9; c++) {
        a0 = _mm_add_epi16 (a0,
            _mm_loadu_si128 ((const __m128i *) (src[c] + o)));
        a1 = _mm_add_epi16 (a1,
            _mm_loadu_si128 ((const __m128i *) (src[c] + o + 8)));
      }
      /* blocks (i0j0 i0j1 i1j0 i1j1) -> (row 0 of 2 blocks, row 1 of 2) */
      a0 = _mm_shuffle_epi32 (a0, _MM_SHUFFLE (3, 1, 2, 0));
      a1 = _mm_shuffle_epi32 (a1, _MM_SHUFFLE (3, 1, 2, 0));
      r0 = rescale (_mm_unpacklo_epi64 (a0, a1), vbias, vshift, voff);
      r1 = rescale (_mm_unpackhi_epi64 (a0, a1), vbias, vshift, voff);
      p = _mm_packus_epi16 (r0, r1);
      if (i0 == 0)
        _mm_storel_epi64 ((__m128i *) (out[0] + 2 * X), p);
      if (i1 == 2)
        eclut_store_hi64 ((gint16 *) (out[1] + 2 * X), p);
    } else {
      __m128i a[8], rows[4][2];
      guint b;

      for (b = 0; b < 8; b++)
        a[b] = _mm_loadu_si128 ((const __m128i *) (src[0] + o + 8 * b));
      for (c = 1; c < 9; c++)
        for (b = 0; b < 8; b++)
          a[b] = _mm_add_epi16 (a[b],
              _mm_loadu_si128 ((const __m128i *) (src[c] + o + 8 * b)));
      /* a[2k] = block k rows 0-1, a[2k + 1] = rows 2-3 */
      for (b = 0; b < 2; b++) {
        rows[0][b] = _mm_unpacklo_epi64 (a[4 * b], a[4 * b + 2]);
        rows[1][b] = _mm_unpackhi_epi64 (a[4 * b], a[4 * b + 2]);
        rows[2][b] = _mm_unpacklo_epi64 (a[4 * b + 1], a[4 * b + 3]);
        rows[3][b] = _mm_unpackhi_epi64 (a[4 * b + 1], a[4 * b + 3]);
      }
      for (i = i0; i < i1; i++)
        _mm_storeu_si128 ((__m128i *) (out[i] + 4 * X),
            _mm_packus_epi16 (rescale (rows[i][0], vbias, vshift, voff),
                rescale (rows[i][1], vbias, vshift, voff)));
    }
  }
  eclut_block_expand_tail (ctx, src, out, X, i0, i1, r);
}

void
eclut_block_gather_sse2_2 (EclutBlockCtx * bc, guint y, gint16 * chans)
{
  block_gather_row_r (bc, y, chans, 2);
}

void
eclut_block_gather_sse2_4 (EclutBlockCtx * bc, guint y, gint16 * chans)
{
  block_gather_row_r (bc, y, chans, 4);
}

void
eclut_block_expand_sse2_2 (EclutBlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * const out[4])
{
  block_expand_row_r (bc, Y, i0, i1, out, 2);
}

void
eclut_block_expand_sse2_4 (EclutBlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * const out[4])
{
  block_expand_row_r (bc, Y, i0, i1, out, 4);
}
#endif
