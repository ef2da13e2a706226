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

/* The block path of the luma core (expand step r, r = 2 or 4; SSE2 with
 * AVX2 variants): see the comment below.  The AVX2 widening loads
 * (vpmovzxbw) and 16-cell adds take about half the instructions of SSE2's
 * unpacks (eclut-simd.h says which path runs). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-luma-private.h"

#ifdef ECLUT_HAVE_SSE2
/* ---- The block path: expand_step == r, r = 2 or 4, SSE2 ----------------
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

#define BLOCK_SLOT_VIRTUAL 3

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

typedef struct
{
  Ctx *ctx;
  gsize cs;                     /* channel row stride, cells */
  gint16 *slot[4];              /* 3 ring slots + the virtual row */
  gint slot_row[4];
  guint8 *padded[3];            /* AVX2 gather: row, below, above copies */
} BlockCtx;

/* Horizontal reflect padding of a gathered row: blocks -1 and w, per
 * sub-row. */
static void
block_pad_row (BlockCtx * bc, gint16 * chans)
{
  const guint r = bc->ctx->r, w = bc->ctx->w, r2 = r * r, rw = r * w;
  /* source cell of padding column j, left and right: the same for every
   * channel and sub-row (refl() divides: once per column, not per cell) */
  gsize from_l[4], from_r[4];
  guint c, i, j;

  for (j = 0; j < r; j++) {
    guint xl = refl ((gint64) j - r, rw), xr = refl ((gint64) rw + j, rw);

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

static ECLUT_ALWAYS_INLINE void
block_gather_row_r (BlockCtx * bc, guint y, gint16 * chans, const guint r)
{
  Ctx *ctx = bc->ctx;
  const guint w = ctx->w, r2 = r * r;
  const gsize cs = bc->cs;
  const guint8 *row = ctx->src + (gssize) y * ctx->src_stride;
  const guint8 *below = y + 1 < ctx->h ? row + ctx->src_stride : row;
  const guint8 *above = y > 0 ? row - ctx->src_stride : row;
  const guint8 *ring[PF_RING][4];
  guint x, c;

  for (x = 0; x < w && x < PREFETCH_AHEAD; x++)
    pixel_blocks (ctx, row, below, above, x, r, ring, FALSE);

  for (x = 0; x < w; x++) {
    const guint8 *const *b = ring[x % PF_RING];
    gint16 *out = chans + (gsize) (x + 1) * r2;

    if (x + PREFETCH_AHEAD < w)
      pixel_blocks (ctx, row, below, above, x + PREFETCH_AHEAD, r, ring, TRUE);
    if (r == 2) {
      /* 36 cells: slot s is the 64-bit half s % 2 of vector s / 2 */
      for (c = 0; c < 9; c += 2) {
        __m128i v = sum4_vec (b[0], b[1], b[2], b[3], c / 2);

        _mm_storel_epi64 ((__m128i *) (out + ECLUT_LUT_SLOT (r, c) * cs), v);
        if (c + 1 < 9)
          store_hi64 (out + ECLUT_LUT_SLOT (r, c + 1) * cs, v);
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
 * and no adds: x4 -2 %, x2 -1 %). */
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
 * levels.  Measured (eclut-bench-core, 1080p luma, ns per output pixel,
 * always / never / adaptive prefetch): a photo 1.84 / 1.66 / 1.61, the
 * photo plus noise of sigma 4: 2.05 / 2.00 / 1.94, uniform noise 3.3 /
 * 3.8-6.6 / 3.3.  At r = 4 the blocks are three cache lines and the
 * prefetch always pays (photo 1.36 against 1.50 without). */
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

      prefetch_block (ptr[0][xp], bs);
      prefetch_block (ptr[1][xp], bs);
      prefetch_block (ptr[2][xp], bs);
      prefetch_block (ptr[3][xp], bs);
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
      __m256i s0 = _mm256_add_epi16 (sum2_avx2 (b[0], b[1], 0),
          _mm256_shuffle_epi8 (sum2_avx2 (b[2], b[3], 16), rev));
      __m256i s1 = _mm256_add_epi16 (sum2_avx2 (b[0], b[1], 16),
          _mm256_shuffle_epi8 (sum2_avx2 (b[2], b[3], 0), rev));
      __m128i s2 = _mm_add_epi16 (sum2_8 (b[0], b[1], 32),
          _mm_shuffle_epi8 (sum2_8 (b[2], b[3], 32),
              _mm256_castsi256_si128 (rev)));
      __m128i q;

      q = _mm256_castsi256_si128 (s0);
      _mm_storel_epi64 ((__m128i *) CH (0), q);
      store_hi64 (CH (1), q);
      q = _mm256_extracti128_si256 (s0, 1);
      _mm_storel_epi64 ((__m128i *) CH (2), q);
      store_hi64 (CH (3), q);
      q = _mm256_castsi256_si128 (s1);
      _mm_storel_epi64 ((__m128i *) CH (8), q);
      store_hi64 (CH (7), q);
      q = _mm256_extracti128_si256 (s1, 1);
      _mm_storel_epi64 ((__m128i *) CH (6), q);
      store_hi64 (CH (5), q);
      _mm_storel_epi64 ((__m128i *) CH (4), s2);
    } else {
      /* 144 cells: slot s is the 16 cells at 16s.  (Turning the rotation-0
       * and -1 blocks into the rotation-2 and -3 ones, as at x2, costs two
       * shuffles per slot here, 18 per pixel: uniform noise ran 4.9 -> 2.8
       * ns/px, but a photo 1.22 -> 1.33, so x4 reads all four tables.) */
      __m256i v[9];

      /* all sums before any store: the stores may alias the table */
      for (c = 0; c < 9; c++)
        v[c] = sum4_avx2 (b, 16 * c);
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
block_gather_row_avx2_r (BlockCtx * bc, guint y, gint16 * chans, const guint r)
{
  Ctx *ctx = bc->ctx;
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
  pad_row (bc->padded[0], row, w);
  pad_row (bc->padded[1], y + 1 < ctx->h ? row + ctx->src_stride : row, w);
  pad_row (bc->padded[2], y > 0 ? row - ctx->src_stride : row, w);

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

static ECLUT_AVX2 void
block_gather_row_avx2_2 (BlockCtx * bc, guint y, gint16 * chans)
{
  block_gather_row_avx2_r (bc, y, chans, 2);
}

static ECLUT_AVX2 void
block_gather_row_avx2_4 (BlockCtx * bc, guint y, gint16 * chans)
{
  block_gather_row_avx2_r (bc, y, chans, 4);
}
#endif

static void
block_gather_row (BlockCtx * bc, guint y, gint16 * chans)
{
#ifdef ECLUT_HAVE_AVX2
  if (bc->ctx->avx2) {
    if (bc->ctx->r == 2)
      block_gather_row_avx2_2 (bc, y, chans);
    else
      block_gather_row_avx2_4 (bc, y, chans);
  } else
#endif
  if (bc->ctx->r == 2)
    block_gather_row_r (bc, y, chans, 2);
  else
    block_gather_row_r (bc, y, chans, 4);
  block_pad_row (bc, chans);
}

/* Channel rows of LR row @y, -1 <= y <= h, computed on first use. */
static const gint16 *
block_row (BlockCtx * bc, gint y)
{
  Ctx *ctx = bc->ctx;
  const guint r = ctx->r, r2 = r * r, rh = r * ctx->h;
  guint slot, c, i, x;

  if (y >= 0 && y < (gint) ctx->h) {
    slot = (guint) y % 3;
    if (bc->slot_row[slot] != y) {
      block_gather_row (bc, (guint) y, bc->slot[slot]);
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
      guint hr = refl ((gint64) y * r + i, rh);
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

/* (v + b) >> s, v + b >= 0, then the sum bias removed: the same as the
 * spec's flooring shift of the unbiased sum because 36 * 128 is a multiple
 * of 2^s (s <= 8) */
static ECLUT_ALWAYS_INLINE __m128i
rescale (__m128i v, __m128i bias, __m128i shift, __m128i off)
{
  return _mm_sub_epi16 (_mm_srl_epi16 (_mm_add_epi16 (v, bias), shift), off);
}

/* The nine channel-row pointers of HR block row @Y: block X of channel c
 * comes from block X - dx of LR row Y - dy (+1 block: the left padding). */
static void
block_sources (BlockCtx * bc, guint Y, const gint16 * src[9])
{
  const guint r2 = bc->ctx->r * bc->ctx->r;
  guint c;

  for (c = 0; c < 9; c++) {
    gint dy = (gint) (c / 3) - 1, dx = (gint) (c % 3) - 1;

    src[c] = block_row (bc, (gint) Y - dy) + c * bc->cs + (gssize) (1 - dx)
        * r2;
  }
}

/* Blocks X0 .. w-1 of HR rows [Y r + i0, Y r + i1), one cell at a time. */
static ECLUT_ALWAYS_INLINE void
block_expand_tail (const Ctx * ctx, const gint16 * const *src, guint8 ** out,
    guint X0, guint i0, guint i1, const guint r)
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
        out[i][X * r + j] = rescale1 (v, bias, shift);
      }
}

/* HR rows [Y r + i0, Y r + i1) of LR row @Y. */
static ECLUT_ALWAYS_INLINE void
block_expand_row_r (BlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * dst, gint dst_stride, const guint r)
{
  Ctx *ctx = bc->ctx;
  const guint w = ctx->w, r2 = r * r;
  const guint shift = ctx->lut->rescale_shift;
  const __m128i vbias = _mm_set1_epi16 ((gint16) ctx->lut->rescale_bias);
  const __m128i vshift = _mm_cvtsi32_si128 ((int) shift);
  const __m128i voff = _mm_set1_epi16 ((gint16) (ECLUT_LUT_SUM_BIAS >> shift));
  const gint16 *src[9];
  guint8 *out[4];
  guint c, i, X;

  block_sources (bc, Y, src);
  for (i = 0; i < r; i++)
    out[i] = dst + (gssize) (Y * r + i) * dst_stride;

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
        store_hi64 ((gint16 *) (out[1] + 2 * X), p);
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
  block_expand_tail (ctx, src, out, X, i0, i1, r);
}

#ifdef ECLUT_HAVE_AVX2
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
block_expand_row_avx2_r (BlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * dst, gint dst_stride, const guint r)
{
  Ctx *ctx = bc->ctx;
  const guint w = ctx->w, r2 = r * r;
  const guint shift = ctx->lut->rescale_shift;
  const __m256i vbias = _mm256_set1_epi16 ((gint16) ctx->lut->rescale_bias);
  const __m128i vshift = _mm_cvtsi32_si128 ((int) shift);
  const __m256i voff =
      _mm256_set1_epi16 ((gint16) (ECLUT_LUT_SUM_BIAS >> shift));
  const gint16 *src[9];
  guint8 *out[4];
  guint i, X;

  block_sources (bc, Y, src);
  for (i = 0; i < r; i++)
    out[i] = dst + (gssize) (Y * r + i) * dst_stride;

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
  block_expand_tail (ctx, src, out, X, i0, i1, r);
}

static ECLUT_AVX2 void
block_expand_row_avx2_2 (BlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * dst, gint dst_stride)
{
  block_expand_row_avx2_r (bc, Y, i0, i1, dst, dst_stride, 2);
}

static ECLUT_AVX2 void
block_expand_row_avx2_4 (BlockCtx * bc, guint Y, guint i0, guint i1,
    guint8 * dst, gint dst_stride)
{
  block_expand_row_avx2_r (bc, Y, i0, i1, dst, dst_stride, 4);
}
#endif

void
eclut_block_upscale_rows (Ctx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1)
{
  BlockCtx bc;
  const guint r = ctx->r;
  guint k, Y;

  bc.ctx = ctx;
  bc.cs = channel_row_stride (r, ctx->w);
  for (k = 0; k < 4; k++) {
    bc.slot[k] = scratch + k * 9 * bc.cs;
    bc.slot_row[k] = G_MININT;
  }
  for (k = 0; k < 3; k++)
    bc.padded[k] = (guint8 *) (scratch + 4 * 9 * bc.cs) +
        k * padded_row_size (ctx->w) + ROW_PAD;

  for (Y = out_y0 / r; Y * r < out_y1; Y++) {
    guint i0 = Y * r < out_y0 ? out_y0 - Y * r : 0;
    guint i1 = MIN (out_y1 - Y * r, r);

#ifdef ECLUT_HAVE_AVX2
    if (ctx->avx2) {
      if (r == 2)
        block_expand_row_avx2_2 (&bc, Y, i0, i1, dst, dst_stride);
      else
        block_expand_row_avx2_4 (&bc, Y, i0, i1, dst, dst_stride);
      continue;
    }
#endif
    if (r == 2)
      block_expand_row_r (&bc, Y, i0, i1, dst, dst_stride, 2);
    else
      block_expand_row_r (&bc, Y, i0, i1, dst, dst_stride, 4);
  }
}
#endif
