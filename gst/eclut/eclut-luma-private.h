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

/* The pieces of the luma core that its paths share (not installed): the
 * general path, the edge path's rows and the entry point are in
 * eclut-luma.c, the block path in eclut-block.c. */

#ifndef __ECLUT_LUMA_PRIVATE_H__
#define __ECLUT_LUMA_PRIVATE_H__

#include <string.h>

#include <glib.h>

#include "eclut-lut-private.h"
#include "eclut-simd.h"

G_BEGIN_DECLS

/* int16 cells of padding on each side of a plane row: >= the largest shift
 * (4), and a multiple of 8 to keep the row body 16-byte aligned. */
#define PAD 8

/* Reflect padding without edge repeat, any distance (spec's refl). */
static inline guint
refl (gint64 t, guint n)
{
  gint64 p, u;

  if (n <= 1)
    return 0;
  p = 2 * ((gint64) n - 1);
  u = t % p;
  if (u < 0)
    u += p;
  return (guint) (u < n ? u : p - u);
}

/* int16 cells per channel row of the block path (see eclut_block_upscale_rows):
 * blocks -1 .. w of r * r cells, a whole number of vectors.  Only called
 * once plane_row_stride() has accepted the width, so it cannot overflow. */
static inline gsize
channel_row_stride (guint r, guint in_width)
{
  return (((gsize) in_width + 2) * r * r + 7) & ~(gsize) 7;
}

/* The AVX2 block gather reads LR rows 8 (and 32) pixels at a time from
 * copies with ROW_PAD bytes on each side (edge-replicated next to the
 * row), so that the left and right neighbours need no clamping and no read
 * goes past the caller's buffer. */
#define ROW_PAD 64

static inline gsize
padded_row_size (guint in_width)
{
  return (gsize) in_width + 2 * ROW_PAD;
}

typedef struct
{
  const EclutLut *lut;
  const guint8 *src;
  gint src_stride;
  guint w, h;                   /* LR size */
  guint r, st;
  gsize rs;                     /* plane row stride, int16 cells */
  gint16 *ring[3];              /* plane rows of 3 LR rows */
  gint ring_row[3];             /* LR row held by each ring slot, -1: none */
  gint16 *block;                /* one summed block (plain C path) */
  gboolean simd;                /* use the SSE2 path */
  gboolean avx2;                /* and its AVX2 variants where there are */
} Ctx;

/* d = a + b + c + e over a whole padded block (biased cells, see
 * eclut-lut-private.h; the sum is at most 4 * 255).  restrict and a
 * constant, vector-multiple @n let GCC's -O2 vectoriser (cheap model: no
 * runtime alias or remainder checks) use SIMD. */
static ECLUT_ALWAYS_INLINE void
sum4 (gint16 * restrict d, const guint8 * restrict a,
    const guint8 * restrict b, const guint8 * restrict c,
    const guint8 * restrict e, const guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    d[i] = (gint16) (a[i] + b[i] + c[i] + e[i]);
}

/* Table blocks are read at random (photographic content misses the caches
 * on most of them); asking for the blocks of a pixel a few pixels ahead
 * overlaps those misses with work.  Measured on photos: x2 -30 %, x3 and x4
 * -35 to -40 % time. */
#define PREFETCH_AHEAD 6


static ECLUT_ALWAYS_INLINE void
prefetch_block (const guint8 * b, const guint bs)
{
  guint l;

  /* every cache line of the block: its start, each 64 bytes, and its end
   * where that can be in one more line.  Blocks are 16-byte aligned (the
   * tables come from g_malloc and block strides are multiples of 16), so
   * a block starts at most 48 bytes into a line and ends at most 47 + bs
   * bytes after that line's start: at x4 (144 bytes) the three loop
   * prefetches always cover it. */
  for (l = 0; l < bs; l += 64)
    ECLUT_PREFETCH (b + l);
  if ((47 + bs) / 64 >= (bs + 63) / 64)
    ECLUT_PREFETCH (b + bs - 1);
}

/* The four rotations' blocks of pixel @x, in ring slot @x % PF_RING. */
#define PF_RING 8
G_STATIC_ASSERT (PREFETCH_AHEAD < PF_RING);

static ECLUT_ALWAYS_INLINE void
pixel_blocks (const Ctx * ctx, const guint8 * row, const guint8 * below,
    const guint8 * above, guint x, const guint r,
    const guint8 * ring[PF_RING][4], const gboolean prefetch)
{
  const guint bs = ECLUT_LUT_BLOCK_STRIDE (r), w = ctx->w;
  const guint a = row[x];
  const guint8 **b = ring[x % PF_RING];

  b[0] = ctx->lut->rot[0] + ECLUT_LUT_BLOCK_INDEX (r, a, below[x]) * bs;
  b[1] = ctx->lut->rot[1] + ECLUT_LUT_BLOCK_INDEX (r, a,
      row[x > 0 ? x - 1 : 0]) * bs;
  b[2] = ctx->lut->rot[2] + ECLUT_LUT_BLOCK_INDEX (r, a, above[x]) * bs;
  b[3] = ctx->lut->rot[3] + ECLUT_LUT_BLOCK_INDEX (r, a,
      row[x + 1 < w ? x + 1 : x]) * bs;
  if (prefetch) {
    prefetch_block (b[0], bs);
    prefetch_block (b[1], bs);
    prefetch_block (b[2], bs);
    prefetch_block (b[3], bs);
  }
}

#ifdef ECLUT_HAVE_SSE2
static ECLUT_ALWAYS_INLINE void
store_hi64 (gint16 * out, __m128i v)
{
  /* not _mm_storeh_pd: it stores through a double *, which must be 8-byte
   * aligned (UBSan); _mm_storel_epi64 takes any address */
  _mm_storel_epi64 ((__m128i *) out, _mm_unpackhi_epi64 (v, v));
}

#endif

#ifdef ECLUT_HAVE_AVX2
/* 16 table bytes at @off of two blocks, widened and summed. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m256i
sum2_avx2 (const guint8 * a, const guint8 * b, gsize off)
{
  return _mm256_add_epi16 (_mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const
                  __m128i *) (a + off))),
      _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const __m128i *) (b + off))));
}

/* The same for 8 bytes. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m128i
sum2_8 (const guint8 * a, const guint8 * b, gsize off)
{
  return _mm_add_epi16 (_mm_cvtepu8_epi16 (_mm_loadl_epi64 ((const __m128i *)
              (a + off))),
      _mm_cvtepu8_epi16 (_mm_loadl_epi64 ((const __m128i *) (b + off))));
}

/* 16 table bytes at @off of each of the four blocks, widened and summed. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m256i
sum4_avx2 (const guint8 * const *b, gsize off)
{
  return _mm256_add_epi16 (sum2_avx2 (b[0], b[1], off),
      sum2_avx2 (b[2], b[3], off));
}
#endif

/* Copies LR row @y's pixels to @dst[0 .. w-1], the edge pixels replicated
 * over the padding. */
static inline void
pad_row (guint8 * dst, const guint8 * src, guint w)
{
  memcpy (dst, src, w);
  memset (dst - ROW_PAD, src[0], ROW_PAD);
  memset (dst + w, src[w - 1], ROW_PAD);
}

static ECLUT_ALWAYS_INLINE guint8
rescale1 (gint v, gint bias, guint shift)
{
  gint o = ((v + bias) >> shift) - (ECLUT_LUT_SUM_BIAS >> shift);

  return (guint8) CLAMP (o, 0, 255);
}

#ifdef ECLUT_HAVE_SSE2
/* The block path (eclut-block.c): HR rows [out_y0, out_y1) of a table with
 * expand step r, r = 2 or 4, in @scratch (eclut_luma_scratch_size ()). */
void eclut_block_upscale_rows (Ctx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1);
#endif

G_END_DECLS

#endif /* __ECLUT_LUMA_PRIVATE_H__ */
