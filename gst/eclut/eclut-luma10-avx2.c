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


/* The 10-bit rescale of the x2 edge path with AVX2 (eclut-luma10.c).
 * Built with -mavx2 (meson.build), run only where the CPU has AVX2 (the
 * plan). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-block-private.h"

#ifdef ECLUT_HAVE_AVX2
/* As eclut_edge_finish_row_avx2 (): output blocks 0 .. w - 1 of @acc
 * (block X = cells 4 X + 8 .., sub-pixel i * 2 + j), rescaled to 10 bits
 * with the remainder of LR sample X of @lr added, into the 16-bit HR rows
 * @out0 and @out1 (either may be NULL); the row is left cleared. */
void
eclut_edge_finish_row10_avx2 (const EclutLumaPlan * plan,
    const EclutEdgeTables * et, gint16 * acc, guint8 * out0, guint8 * out1,
    const guint8 * lr)
{
  const guint w = plan->w;
  const gint b = plan->bias10;
  const gint16 *eb = et->bias;
  const gboolean msb = plan->samples == ECLUT_SAMPLES_U10_MSB;
  const guint oshift = msb ? 6 : 0;
  const __m256i vbias = _mm256_setr_epi16 (b + eb[0], b + eb[1], b + eb[2],
      b + eb[3], b + eb[0], b + eb[1], b + eb[2], b + eb[3], b + eb[0],
      b + eb[1], b + eb[2], b + eb[3], b + eb[0], b + eb[1], b + eb[2],
      b + eb[3]);
  const __m128i vls = _mm_cvtsi32_si128 ((int) plan->lshift10);
  const __m128i vrs = _mm_cvtsi32_si128 ((int) plan->shift10);
  const __m128i vin = _mm_cvtsi32_si128 (msb ? 6 : 0);
  const __m128i vout = _mm_cvtsi32_si128 ((int) oshift);
  const __m128i three = _mm_set1_epi16 (3);
  const __m256i vadd = _mm256_set1_epi16 ((gint16) plan->add10);
  const __m256i z = _mm256_setzero_si256 ();
  const __m256i vmax = _mm256_set1_epi16 (1023);
  /* the two rows of four blocks: dwords 0, 2, 4, 6 and 1, 3, 5, 7 */
  const __m256i rows = _mm256_setr_epi32 (0, 2, 4, 6, 1, 3, 5, 7);
  gint16 *blk = acc + 2 * 4;    /* block 0 */
  guint X, k;

  /* the sums with the biases added back fit int16 (|S| <= 36 * 128), and
   * so does (S + bias) << lshift (< 4 * 5000): the wrapping adds are
   * exact, as in the 8-bit rescale */
  for (X = 0; X + 4 <= w; X += 4) {
    __m128i s = _mm_loadl_epi64 ((const __m128i *) (lr + 2 * X));
    __m128i rem = _mm_and_si128 (_mm_srl_epi16 (s, vin), three);
    __m128i r2 = _mm_unpacklo_epi16 (rem, rem);
    __m256i vrem = _mm256_setr_m128i (_mm_unpacklo_epi32 (r2, r2),
        _mm_unpackhi_epi32 (r2, r2));
    __m256i v = _mm256_add_epi16 (_mm256_loadu_si256 ((const __m256i *)
            (blk + 4 * X)), vbias);

    v = _mm256_sra_epi16 (_mm256_sll_epi16 (v, vls), vrs);
    v = _mm256_add_epi16 (_mm256_add_epi16 (v, vadd), vrem);
    v = _mm256_min_epi16 (_mm256_max_epi16 (v, z), vmax);
    v = _mm256_sll_epi16 (v, vout);
    v = _mm256_permutevar8x32_epi32 (v, rows);
    _mm256_storeu_si256 ((__m256i *) (blk + 4 * X), z);
    if (out0)
      _mm_storeu_si128 ((__m128i *) (out0 + 4 * X),
          _mm256_castsi256_si128 (v));
    if (out1)
      _mm_storeu_si128 ((__m128i *) (out1 + 4 * X),
          _mm256_extracti128_si256 (v, 1));
  }
  for (; X < w; X++) {
    guint16 raw;
    guint rem;

    memcpy (&raw, lr + 2 * X, sizeof (raw));
    raw = GUINT16_FROM_LE (raw);
    rem = (msb ? raw >> 6 : raw) & 3;
    for (k = 0; k < 4; k++) {
      /* int16 wrap, as the vectors (the true sum fits) */
      gint v = (gint16) (blk[4 * X + k] + b + eb[k]);
      guint8 *out = k < 2 ? out0 : out1;

      v = ((v * (1 << plan->lshift10)) >> plan->shift10) + plan->add10 +
          (gint) rem;
      if (out) {
        guint16 o = GUINT16_TO_LE ((guint16) (CLAMP (v, 0, 1023) << oshift));

        memcpy (out + 4 * X + 2 * (k % 2), &o, sizeof (o));
      }
      blk[4 * X + k] = 0;
    }
  }
  /* and the margins: blocks -2, -1, w, w + 1 */
  memset (acc, 0, 8 * sizeof (gint16));
  memset (blk + 4 * w, 0, 8 * sizeof (gint16));
}
#endif /* ECLUT_HAVE_AVX2 */

#ifdef ECLUT_HAVE_AVX2
/* The block path's expand at x4 and 10 bits (as eclut_block_expand_avx2_4
 * ()): HR rows [Y r + i0, Y r + i1) of LR row @Y; a block (the 16 cells of
 * one LR pixel) is one vector, and its pixel's remainder is added to all
 * of it. */
void
eclut_block_expand10_avx2_4 (EclutBlockCtx * bc, guint Y, guint i0,
    guint i1, guint8 * const out[4])
{
  const EclutLumaCtx *ctx = bc->ctx;
  const EclutLumaPlan *plan = ctx->plan;
  const guint w = ctx->w;
  const gboolean msb = plan->samples == ECLUT_SAMPLES_U10_MSB;
  const __m256i vbias = _mm256_set1_epi16 ((gint16) (plan->bias10 -
          ECLUT_LUT_SUM_BIAS));
  const __m256i vadd = _mm256_set1_epi16 ((gint16) plan->add10);
  const __m128i vls = _mm_cvtsi32_si128 ((int) plan->lshift10);
  const __m128i vrs = _mm_cvtsi32_si128 ((int) plan->shift10);
  const __m128i vout = _mm_cvtsi32_si128 (msb ? 6 : 0);
  const __m256i z = _mm256_setzero_si256 ();
  const __m256i vmax = _mm256_set1_epi16 (1023);
  const guint8 *lr = ctx->src10 + (gssize) Y * ctx->src10_stride;
  const gint16 *src[9];
  guint i, X, c;

  eclut_block_sources (bc, Y, src);

  for (X = 0; X < w; X++) {
    const gsize o = (gsize) X * 16;
    __m256i v = _mm256_loadu_si256 ((const __m256i *) (src[0] + o));
    __m128i lo, hi;
    guint16 raw;
    guint rem;

    /* biased cells: the sum is at most 36 * 255, exact in int16 */
    for (c = 1; c < 9; c++)
      v = _mm256_add_epi16 (v, _mm256_loadu_si256 ((const __m256i *)
              (src[c] + o)));
    memcpy (&raw, lr + 2 * X, sizeof (raw));
    raw = GUINT16_FROM_LE (raw);
    rem = (msb ? raw >> 6 : raw) & 3;
    v = _mm256_sra_epi16 (_mm256_sll_epi16 (_mm256_add_epi16 (v, vbias),
            vls), vrs);
    v = _mm256_add_epi16 (_mm256_add_epi16 (v, vadd),
        _mm256_set1_epi16 ((gint16) rem));
    v = _mm256_sll_epi16 (_mm256_min_epi16 (_mm256_max_epi16 (v, z), vmax),
        vout);
    /* row i of the block: cells 4 i .. 4 i + 3 */
    lo = _mm256_castsi256_si128 (v);
    hi = _mm256_extracti128_si256 (v, 1);
    for (i = i0; i < i1; i++) {
      __m128i h = i < 2 ? lo : hi;

      _mm_storel_epi64 ((__m128i *) (out[i] + 8 * X), i % 2 ?
          _mm_unpackhi_epi64 (h, h) : h);
    }
  }
}
#endif /* ECLUT_HAVE_AVX2 */

#ifdef ECLUT_HAVE_AVX2
/* The x3 edge path's rescale at 10 bits (as eclut_edge3_finish_row_avx2
 * ()): block X (cells 9 (X + 2) .., the spec's sums, cell i * 3 + j) is
 * rescaled in one vector with its pixel's remainder, and each of its three
 * rows stored as four samples, the fourth overwritten by the next block
 * (the last block, whose fourth would pass the row, one sample at a
 * time); the row is left cleared. */
void
eclut_edge3_finish_row10_avx2 (const EclutLumaPlan * plan, gint16 * acc,
    const guint8 * lr, guint8 * const out[4])
{
  const guint w = plan->w;
  const gboolean msb = plan->samples == ECLUT_SAMPLES_U10_MSB;
  const __m256i vbias = _mm256_set1_epi16 ((gint16) plan->bias10);
  const __m256i vadd = _mm256_set1_epi16 ((gint16) plan->add10);
  const __m128i vls = _mm_cvtsi32_si128 ((int) plan->lshift10);
  const __m128i vrs = _mm_cvtsi32_si128 ((int) plan->shift10);
  const __m128i vout = _mm_cvtsi32_si128 (msb ? 6 : 0);
  const __m256i z = _mm256_setzero_si256 ();
  const __m256i vmax = _mm256_set1_epi16 (1023);
  const gint16 *blk = acc + 2 * 9;
  gint16 cells[16];
  guint X, i, j;

  for (X = 0; X < w; X++) {
    __m256i v = _mm256_loadu_si256 ((const __m256i *) (blk + 9 * X));
    __m128i lo, hi, row[3];
    guint16 raw;
    guint rem;

    memcpy (&raw, lr + 2 * X, sizeof (raw));
    raw = GUINT16_FROM_LE (raw);
    rem = (msb ? raw >> 6 : raw) & 3;
    v = _mm256_sra_epi16 (_mm256_sll_epi16 (_mm256_add_epi16 (v, vbias),
            vls), vrs);
    v = _mm256_add_epi16 (_mm256_add_epi16 (v, vadd),
        _mm256_set1_epi16 ((gint16) rem));
    v = _mm256_sll_epi16 (_mm256_min_epi16 (_mm256_max_epi16 (v, z), vmax),
        vout);
    lo = _mm256_castsi256_si128 (v);
    hi = _mm256_extracti128_si256 (v, 1);
    row[0] = lo;
    row[1] = _mm_srli_si128 (lo, 6);
    row[2] = _mm_alignr_epi8 (hi, lo, 12);
    if (X + 1 < w) {
      for (i = 0; i < 3; i++)
        if (out[i])
          _mm_storel_epi64 ((__m128i *) (out[i] + 6 * X), row[i]);
    } else {
      _mm256_storeu_si256 ((__m256i *) cells, v);
      for (i = 0; i < 3; i++)
        if (out[i])
          for (j = 0; j < 3; j++)
            memcpy (out[i] + 6 * X + 2 * j, cells + 3 * i + j, 2);
    }
  }
  memset (acc, 0, ECLUT_EDGE3_ACC_CELLS (w) * sizeof (gint16));
}
#endif /* ECLUT_HAVE_AVX2 */
