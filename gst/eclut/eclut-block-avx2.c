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

/* The block path's gather and expand with AVX2 (eclut-block.c): the
 * widening loads (vpmovzxbw) and 16-cell adds take about half the
 * instructions of SSE2's unpacks.  Built with -mavx2 (meson.build), run
 * only where the CPU has AVX2 (the plan, eclut-luma.c). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-block-private.h"

#ifdef ECLUT_HAVE_AVX2
/* Pixels per batch of block pointers, plus the prefetch look-ahead. */
#ifndef AVX2_PREFETCH_AHEAD
#define AVX2_PREFETCH_AHEAD 6
#endif
#define OFF_BATCH 64
#define OFF_CAP (OFF_BATCH + (AVX2_PREFETCH_AHEAD + 7) / 8 * 8)

/* The blocks of pixels x0 .. x0 + n - 1 (n a multiple of 8, reading up to
 * 7 pixels past the row into the padding), 8 pixels per step: byte offsets
 * ECLUT_LUT_BLOCK_INDEX (r, a, neighbour) * block stride into rot[k],
 * stored as whole pointers (the gather loop then needs no base registers
 * and no adds). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m256i
block_offset8_avx2 (__m256i a, __m256i n, __m256i vbs, const guint r)
{
  const __m256i m = _mm256_set1_epi32 (255);
  __m256i hi = a, lo = n;

  if (r == 4) {
    hi = _mm256_and_si256 (_mm256_sub_epi32 (n, a), m);
    lo = a;
  }
  return _mm256_mullo_epi32 (_mm256_or_si256 (_mm256_slli_epi32 (hi, 8), lo),
      vbs);
}

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
block_offsets_avx2 (guint8 * const *pad, guint x0, guint n, guint bs,
    const guint8 * const *t, const guint8 * ptr[4][OFF_CAP], const guint r)
{
  const __m256i vbs = _mm256_set1_epi32 ((gint) bs);
  guint i;

#define LOAD8(p) _mm256_cvtepu8_epi32 (_mm_loadl_epi64 ((const __m128i *) (p)))
  for (i = 0; i < n; i += 8) {
    const guint8 *row = pad[0] + x0 + i;
    __m256i a = LOAD8 (row);

    /* rotations 0-3: neighbour below, left, above, right */
    eclut_store_ptrs8_avx2 (ptr[0] + i, t[0],
        block_offset8_avx2 (a, LOAD8 (pad[1] + x0 + i), vbs, r));
    eclut_store_ptrs8_avx2 (ptr[1] + i, t[1],
        block_offset8_avx2 (a, LOAD8 (row - 1), vbs, r));
    eclut_store_ptrs8_avx2 (ptr[2] + i, t[2],
        block_offset8_avx2 (a, LOAD8 (pad[2] + x0 + i), vbs, r));
    eclut_store_ptrs8_avx2 (ptr[3] + i, t[3],
        block_offset8_avx2 (a, LOAD8 (row + 1), vbs, r));
  }
#undef LOAD8
}

/* At r = 2, prefetching a pixel's four blocks costs about as many
 * instructions as the rest of its gather, and only pays where the blocks
 * miss the caches.  They hit where neighbouring pixels differ little (a
 * photo's smooth and moderately textured areas: the entries near the
 * diagonal a = n are few and stay cached) and miss where they differ a lot
 * (fine detail, noise).  So a batch of pixels is prefetched only if the
 * mean over its pixels of |right - x| + |below - x| exceeds this many grey
 * levels (docs/performance.md, "Adaptive prefetch at x2", has the
 * measurements).  At r = 4 the blocks are three cache lines and the
 * prefetch always pays. */
#ifndef AVX2_PREFETCH_MEAN_DIFF
#define AVX2_PREFETCH_MEAN_DIFF 16
#endif

/* Pixels x0 + [0, n) of the AVX2 gather (see block_gather_row_avx2_r),
 * with or without the prefetch. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
gather_batch_avx2 (gint16 * chans, gsize cs,
    const guint8 * ptr[4][OFF_CAP], guint x0, guint n, guint n_off,
    const guint r, const gboolean prefetch)
{
  const guint r2 = r * r, bs = ECLUT_LUT_BLOCK_STRIDE (r);
  const gsize cs3 = 3 * cs;
  guint x, c;

  for (x = 0; x < n; x++) {
    const guint8 *b[4];
    gint16 *out = chans + (gsize) (x0 + x + 1) * r2;
    gint16 *o3 = out + 3 * cs;

    if (prefetch && x + AVX2_PREFETCH_AHEAD < n_off) {
      const guint xp = x + AVX2_PREFETCH_AHEAD;

      eclut_prefetch_block (ptr[0][xp], bs);
      eclut_prefetch_block (ptr[1][xp], bs);
      eclut_prefetch_block (ptr[2][xp], bs);
      eclut_prefetch_block (ptr[3][xp], bs);
    }
    b[0] = ptr[0][x];
    b[1] = ptr[1][x];
    b[2] = ptr[2][x];
    b[3] = ptr[3][x];

    /* channel rows c = 0..8 at out + c cs, addressed from two bases so
     * that every store is base + cs * {1, 2, 4, 8} (or 3 cs * 2): with
     * nine precomputed offsets GCC runs out of registers */
#define CH(c) ((c) == 0 ? out : (c) == 1 ? out + cs : (c) == 2 ? out + 2 * cs \
      : (c) == 3 ? o3 : (c) == 4 ? out + 4 * cs : (c) == 5 ? o3 + 2 * cs \
      : (c) == 6 ? out + 2 * cs3 : (c) == 7 ? o3 + 4 * cs : out + 8 * cs)
    if (r == 2) {
      /* 36 cells: slots 0-3 (channels 0-3) and 4-7 (channels 8-5) in two
       * vectors, slot 8 (channel 4) alone.  b[2] and b[3] point into the
       * rotation-0 and -1 tables (see block_gather_row_avx2_r): their sum
       * becomes the rotations 2 and 3 by exchanging slots s and s + 4 and
       * reversing each slot's four cells (ECLUT_LUT_SLOT) */
      const __m256i rev = _mm256_setr_epi8 (6, 7, 4, 5, 2, 3, 0, 1,
          14, 15, 12, 13, 10, 11, 8, 9, 6, 7, 4, 5, 2, 3, 0, 1,
          14, 15, 12, 13, 10, 11, 8, 9);
      __m256i s0 = _mm256_add_epi16 (eclut_sum2_avx2 (b[0], b[1], 0),
          _mm256_shuffle_epi8 (eclut_sum2_avx2 (b[2], b[3], 16), rev));
      __m256i s1 = _mm256_add_epi16 (eclut_sum2_avx2 (b[0], b[1], 16),
          _mm256_shuffle_epi8 (eclut_sum2_avx2 (b[2], b[3], 0), rev));
      __m128i s2 = _mm_add_epi16 (eclut_sum2_8_avx2 (b[0], b[1], 32),
          _mm_shuffle_epi8 (eclut_sum2_8_avx2 (b[2], b[3], 32),
              _mm256_castsi256_si128 (rev)));
      __m128i q;

      q = _mm256_castsi256_si128 (s0);
      _mm_storel_epi64 ((__m128i *) CH (0), q);
      eclut_store_hi64 (CH (1), q);
      q = _mm256_extracti128_si256 (s0, 1);
      _mm_storel_epi64 ((__m128i *) CH (2), q);
      eclut_store_hi64 (CH (3), q);
      q = _mm256_castsi256_si128 (s1);
      _mm_storel_epi64 ((__m128i *) CH (8), q);
      eclut_store_hi64 (CH (7), q);
      q = _mm256_extracti128_si256 (s1, 1);
      _mm_storel_epi64 ((__m128i *) CH (6), q);
      eclut_store_hi64 (CH (5), q);
      _mm_storel_epi64 ((__m128i *) CH (4), s2);
    } else {
      /* 144 cells: slot s is the 16 cells at 16s.  (Turning the rotation-0
       * and -1 blocks into the rotation-2 and -3 ones, as at x2, costs two
       * shuffles per slot here, 18 per pixel: faster on noise, slower on
       * photos (docs/performance.md), so x4 reads all four tables.) */
      __m256i v[9];

      /* all sums before any store: the stores may alias the table */
      for (c = 0; c < 9; c++)
        v[c] = eclut_sum4_avx2 (b, 16 * c);
      for (c = 0; c < 9; c++)
        _mm256_storeu_si256 ((__m256i *) CH (ECLUT_LUT_SLOT (r, c)), v[c]);
    }
#undef CH
  }
}

/* The gather of block_gather_row_r with AVX2: the block pointers of a batch
 * of pixels are computed 8 at a time (no per-pixel clamping or address
 * arithmetic), the four blocks are widened and summed 16 cells per
 * instruction, and the channel blocks stored whole. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
block_gather_row_avx2_r (EclutBlockCtx * bc, guint y, gint16 * chans,
    const guint r)
{
  EclutLumaCtx *ctx = bc->ctx;
  const guint w = ctx->w, bs = ECLUT_LUT_BLOCK_STRIDE (r);
  const guint8 *row = ctx->src + (gssize) y * ctx->src_stride;
  const guint8 *t[4];
  const guint8 *ptr[4][OFF_CAP];
  guint x0, k;

  /* at x2 the rotation-2 and -3 blocks are read from the rotation-0 and
   * -1 tables and turned in registers (gather_batch_avx2), so that the
   * tables take half the cache */
  for (k = 0; k < 4; k++)
    t[k] = ctx->lut->rot[r == 2 ? k % 2 : k];
  eclut_pad_row (bc->padded[0], row, w);
  eclut_pad_row (bc->padded[1], y + 1 < ctx->h ? row + ctx->src_stride : row,
      w);
  eclut_pad_row (bc->padded[2], y > 0 ? row - ctx->src_stride : row, w);

  for (x0 = 0; x0 < w; x0 += OFF_BATCH) {
    const guint n = MIN (OFF_BATCH, w - x0);
    /* pointers for the look-ahead too (stopping at the row's end) */
    const guint n_off = MIN (n + AVX2_PREFETCH_AHEAD, w - x0);

    block_offsets_avx2 (bc->padded, x0, (n_off + 7) & ~7u, bs, t, ptr, r);
    if (r != 2 || eclut_busy_sum_avx2 (bc->padded[0] + x0, bc->padded[1] +
            x0, n) > AVX2_PREFETCH_MEAN_DIFF * n)
      gather_batch_avx2 (chans, bc->cs, ptr, x0, n, n_off, r, TRUE);
    else
      gather_batch_avx2 (chans, bc->cs, ptr, x0, n, n_off, r, FALSE);
  }
}

ECLUT_AVX2 void
eclut_block_gather_avx2_2 (EclutBlockCtx * bc, guint y, gint16 * chans)
{
  block_gather_row_avx2_r (bc, y, chans, 2);
}

ECLUT_AVX2 void
eclut_block_gather_avx2_4 (EclutBlockCtx * bc, guint y, gint16 * chans)
{
  block_gather_row_avx2_r (bc, y, chans, 4);
}

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m256i
sum9_avx2 (const gint16 * const *src, gsize o)
{
  __m256i a = _mm256_loadu_si256 ((const __m256i *) (src[0] + o));
  guint c;

  for (c = 1; c < 9; c++)
    a = _mm256_add_epi16 (a, _mm256_loadu_si256 ((const __m256i *)
            (src[c] + o)));
  return a;
}

/* block_expand_row_r with 16-cell vectors: eight blocks per step at r = 2,
 * four at r = 4. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
block_expand_row_avx2_r (EclutBlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * const out[4], const guint r)
{
  EclutLumaCtx *ctx = bc->ctx;
  const guint w = ctx->w, r2 = r * r;
  const guint shift = ctx->lut->rescale_shift;
  const __m256i vbias = _mm256_set1_epi16 ((gint16) ctx->lut->rescale_bias);
  const __m128i vshift = _mm_cvtsi32_si128 ((int) shift);
  const __m256i voff =
      _mm256_set1_epi16 ((gint16) (ECLUT_LUT_SUM_BIAS >> shift));
  const gint16 *src[9];
  guint i, X;

  eclut_block_sources (bc, Y, src);

#define RESCALE_AVX2(v) _mm256_sub_epi16 (_mm256_srl_epi16 ( \
      _mm256_add_epi16 ((v), vbias), vshift), voff)
  if (r == 2) {
    for (X = 0; X + 8 <= w; X += 8) {
      const gsize o = (gsize) X * r2;
      __m256i a0 = RESCALE_AVX2 (sum9_avx2 (src, o));
      __m256i a1 = RESCALE_AVX2 (sum9_avx2 (src, o + 16));
      __m256i p = eclut_blocks2_to_rows_avx2 (a0, a1);

      if (i0 == 0)
        _mm_storeu_si128 ((__m128i *) (out[0] + 2 * X),
            _mm256_castsi256_si128 (p));
      if (i1 == 2)
        _mm_storeu_si128 ((__m128i *) (out[1] + 2 * X),
            _mm256_extracti128_si256 (p, 1));
    }
  } else {
    for (X = 0; X + 4 <= w; X += 4) {
      const gsize o = (gsize) X * r2;
      __m128i b[4], t0, t1, t2, t3, row[4];
      guint k;

      /* block k: 16 bytes, rows 0-3 of 4 pixels */
      for (k = 0; k < 4; k++) {
        __m256i a = RESCALE_AVX2 (sum9_avx2 (src, o + 16 * k));

        b[k] = _mm_packus_epi16 (_mm256_castsi256_si128 (a),
            _mm256_extracti128_si256 (a, 1));
      }
      /* 4 x 4 transpose of 32-bit pieces: row i = row i of blocks 0-3 */
      t0 = _mm_unpacklo_epi32 (b[0], b[1]);
      t1 = _mm_unpackhi_epi32 (b[0], b[1]);
      t2 = _mm_unpacklo_epi32 (b[2], b[3]);
      t3 = _mm_unpackhi_epi32 (b[2], b[3]);
      row[0] = _mm_unpacklo_epi64 (t0, t2);
      row[1] = _mm_unpackhi_epi64 (t0, t2);
      row[2] = _mm_unpacklo_epi64 (t1, t3);
      row[3] = _mm_unpackhi_epi64 (t1, t3);
      for (i = i0; i < i1; i++)
        _mm_storeu_si128 ((__m128i *) (out[i] + 4 * X), row[i]);
    }
  }
#undef RESCALE_AVX2
  eclut_block_expand_tail (ctx, src, out, X, i0, i1, r);
}

ECLUT_AVX2 void
eclut_block_expand_avx2_2 (EclutBlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * const out[4])
{
  block_expand_row_avx2_r (bc, Y, i0, i1, out, 2);
}

ECLUT_AVX2 void
eclut_block_expand_avx2_4 (EclutBlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * const out[4])
{
  block_expand_row_avx2_r (bc, Y, i0, i1, out, 4);
}
#endif
