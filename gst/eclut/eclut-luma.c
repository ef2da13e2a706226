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
 *    bytes).  Each plane row carries PAD cells on both sides filled with the
 *    reflect padding of the HR border.
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
#include "eclut-lut-private.h"
#include "eclut-simd.h"
#include "gsteclutorc.h"

/* The block path's AVX2 widening loads (vpmovzxbw) and 16-cell adds take
 * about half the instructions of SSE2's unpacks (eclut-simd.h says which
 * path runs). */

/* int16 cells of padding on each side of a plane row: >= the largest shift
 * (4), and a multiple of 8 to keep the row body 16-byte aligned. */
#define PAD 8

/* Reflect padding without edge repeat, any distance (spec's refl). */
static guint
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

/* int16 cells per plane row, or 0 if it would not fit the address space. */
static gsize
plane_row_stride (guint r, guint in_width)
{
  guint64 n = (guint64) r * in_width + 2 * PAD;

  n = (n + 7) & ~(guint64) 7;
  /* with room for the block path's (w + 2) * r * r cells per channel row */
  if (n > G_MAXSIZE / (sizeof (gint16) * 64 * 16))
    return 0;
  return (gsize) n;
}

/* int16 cells per channel row of the block path (see block_upscale_rows):
 * blocks -1 .. w of r * r cells, a whole number of vectors.  Only called
 * once plane_row_stride() has accepted the width, so it cannot overflow. */
static gsize
channel_row_stride (guint r, guint in_width)
{
  return (((gsize) in_width + 2) * r * r + 7) & ~(gsize) 7;
}

/* The AVX2 block gather reads LR rows 8 (and 32) pixels at a time from
 * copies with ROW_PAD bytes on each side (edge-replicated next to the
 * row), so that the left and right neighbours need no clamping and no read
 * goes past the caller's buffer. */
#define ROW_PAD 64

static gsize
padded_row_size (guint in_width)
{
  return (gsize) in_width + 2 * ROW_PAD;
}

gsize
eclut_luma_scratch_size (const EclutLut * lut, guint in_width)
{
  gsize rs, cells;

  g_return_val_if_fail (lut != NULL, 0);

  rs = plane_row_stride (lut->scale, in_width);
  if (rs == 0)
    return G_MAXSIZE;           /* no allocation can satisfy it */
  /* 3 LR rows of 9r plane rows, one temporary row, one gathered block */
  cells = rs * (3 * 9 * lut->scale + 1) + lut->block_stride;
  /* the block path's channel rows (4 slots) and its 3 padded LR rows, when
   * that is larger */
  cells = MAX (cells, 4 * 9 * channel_row_stride (lut->scale, in_width) +
      (3 * padded_row_size (in_width) + 1) / 2);
  return cells * sizeof (gint16);
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

/* The plane row (c * r + i) of a block's chunk q = s * r + i (slot s holds
 * channel ECLUT_LUT_SLOT (r, s)). */
static ECLUT_ALWAYS_INLINE guint
plane_of_chunk (guint q, const guint r)
{
  /* x3 and x4 blocks keep the channels in order */
  return r != 2 ? q : ECLUT_LUT_SLOT (2, q / 2) * 2 + q % 2;
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
      store32 (out + plane_of_chunk (q, r) * rs, s);
    if (q + 1 < 18)
      store32 (out + plane_of_chunk (q + 1, r) * rs, _mm_shuffle_epi32 (s, 1));
    if (q + 2 < 18)
      store32 (out + plane_of_chunk (q + 2, r) * rs, _mm_shuffle_epi32 (s, 2));
    if (q + 3 < 18)
      store32 (out + plane_of_chunk (q + 3, r) * rs, _mm_shuffle_epi32 (s, 3));
  } else {
    q = 2 * v;                  /* 9r chunks of 64 bits */
    if (q < 9 * r)
      _mm_storel_epi64 ((__m128i *) (out + plane_of_chunk (q, r) * rs), s);
    if (q + 1 < 9 * r)
      _mm_storel_epi64 ((__m128i *) (out + plane_of_chunk (q + 1, r) * rs),
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

/* Step 1 for one LR row with the scale @r known at compile time (the
 * callers pass a literal so the loops are unrolled and vectorised). */
static ECLUT_ALWAYS_INLINE void
gather_row_r (Ctx * ctx, guint y, gint16 * planes, const guint r,
    const gboolean simd)
{
  const guint w = ctx->w, bs = ECLUT_LUT_BLOCK_STRIDE (r);
  const guint cw = ECLUT_LUT_CHUNK (r);
  const gsize rs = ctx->rs;
  const guint8 *row = ctx->src + (gssize) y * ctx->src_stride;
  const guint8 *below = y + 1 < ctx->h ? row + ctx->src_stride : row;
  const guint8 *above = y > 0 ? row - ctx->src_stride : row;
  /* block pointers are computed once, PREFETCH_AHEAD pixels ahead, when
   * their prefetch is issued, and kept in a small ring until used (the
   * gather is instruction bound: computing them twice cost ~10 %) */
  const guint8 *ring[PF_RING][4];
  gint16 *blk = ctx->block;
  guint x, q;

  for (x = 0; x < w && x < PREFETCH_AHEAD; x++)
    pixel_blocks (ctx, row, below, above, x, r, ring, FALSE);

  for (x = 0; x < w; x++) {
    const guint8 *const *b = ring[x % PF_RING];
    gint16 *out = planes + PAD + (gsize) x * r;

    if (x + PREFETCH_AHEAD < w)
      pixel_blocks (ctx, row, below, above, x + PREFETCH_AHEAD, r, ring, TRUE);
#ifdef ECLUT_HAVE_SSE2
    if (simd) {
      sum4_scatter_sse2 (out, rs, b[0], b[1], b[2], b[3], r);
      continue;
    }
#endif
    sum4 (blk, b[0], b[1], b[2], b[3], bs);
    for (q = 0; q < 9 * r; q++)
      memcpy (out + plane_of_chunk (q, r) * rs, blk + q * cw,
          r * sizeof (gint16));
  }
}

#ifdef ECLUT_HAVE_AVX2
static void gather_row_avx2_3 (Ctx * ctx, guint y, gint16 * planes);
static void gather_row_avx2_4 (Ctx * ctx, guint y, gint16 * planes);
#endif

static void
gather_row (Ctx * ctx, guint y, gint16 * planes)
{
  const guint rw = ctx->r * ctx->w, st = ctx->st;
  guint q, p;

  /* one specialisation per (scale, path): all loop bounds are constants */
#ifdef ECLUT_HAVE_AVX2
  if (ctx->avx2 && ctx->r == 3)
    gather_row_avx2_3 (ctx, y, planes);
  else if (ctx->avx2 && ctx->r == 4)
    gather_row_avx2_4 (ctx, y, planes);
  else
#endif
  if (ctx->simd) {
    if (ctx->r == 2)
      gather_row_r (ctx, y, planes, 2, TRUE);
    else if (ctx->r == 3)
      gather_row_r (ctx, y, planes, 3, TRUE);
    else
      gather_row_r (ctx, y, planes, 4, TRUE);
  } else {
    if (ctx->r == 2)
      gather_row_r (ctx, y, planes, 2, FALSE);
    else if (ctx->r == 3)
      gather_row_r (ctx, y, planes, 3, FALSE);
    else
      gather_row_r (ctx, y, planes, 4, FALSE);
  }

  /* reflect padding of the HR border, as far as a shift can reach */
  for (q = 0; q < 9 * ctx->r; q++) {
    gint16 *pr = planes + q * ctx->rs + PAD;

    for (p = 1; p <= st; p++) {
      pr[-(gint) p] = pr[refl (-(gint64) p, rw)];
      pr[rw - 1 + p] = pr[refl ((gint64) rw - 1 + p, rw)];
    }
  }
}

/* Plane rows of LR row @y, computed on first use. */
static const gint16 *
lr_planes (Ctx * ctx, guint y)
{
  guint slot = y % 3;

  if (ctx->ring_row[slot] != (gint) y) {
    gather_row (ctx, y, ctx->ring[slot]);
    ctx->ring_row[slot] = (gint) y;
  }
  return ctx->ring[slot];
}

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

static ECLUT_ALWAYS_INLINE void
store_hi64 (gint16 * out, __m128i v)
{
  /* not _mm_storeh_pd: it stores through a double *, which must be 8-byte
   * aligned (UBSan); _mm_storel_epi64 takes any address */
  _mm_storel_epi64 ((__m128i *) out, _mm_unpackhi_epi64 (v, v));
}

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

/* The general path's gather (gather_row_r) with AVX2, for r = 3 and 4,
 * whose chunks are 4 cells: a 16-byte load of each block widens to four
 * chunks at once (SSE2 needs two unpacks and twice the adds for them).
 * Used by every x3 table and by step-1 tables at x4. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
gather_row_avx2_r (Ctx * ctx, guint y, gint16 * planes, const guint r)
{
  const guint w = ctx->w, nq = 9 * r;
  const gsize rs = ctx->rs;
  const guint8 *row = ctx->src + (gssize) y * ctx->src_stride;
  const guint8 *below = y + 1 < ctx->h ? row + ctx->src_stride : row;
  const guint8 *above = y > 0 ? row - ctx->src_stride : row;
  const guint8 *ring[PF_RING][4];
  guint x, v;

  G_STATIC_ASSERT (ECLUT_LUT_CHUNK (3) == 4);
  for (x = 0; x < w && x < PREFETCH_AHEAD; x++)
    pixel_blocks (ctx, row, below, above, x, r, ring, FALSE);

  for (x = 0; x < w; x++) {
    const guint8 *const *b = ring[x % PF_RING];
    gint16 *out = planes + PAD + (gsize) x * r;

    if (x + PREFETCH_AHEAD < w)
      pixel_blocks (ctx, row, below, above, x + PREFETCH_AHEAD, r, ring, TRUE);
    /* vector v holds chunks 4v .. 4v + 3 (plane rows q = c r + i); a chunk
     * store at r = 3 writes one cell past the chunk, which the next pixel
     * (or the reflect padding) overwrites */
    for (v = 0; 4 * v < nq; v++) {
      __m256i sum = sum4_avx2 (b, 16 * v);
      __m128i lo = _mm256_castsi256_si128 (sum);
      __m128i hi = _mm256_extracti128_si256 (sum, 1);
      const guint q = 4 * v;

      _mm_storel_epi64 ((__m128i *) (out + plane_of_chunk (q, r) * rs), lo);
      if (q + 1 < nq)
        store_hi64 (out + plane_of_chunk (q + 1, r) * rs, lo);
      if (q + 2 < nq)
        _mm_storel_epi64 ((__m128i *) (out + plane_of_chunk (q + 2,
                    r) * rs), hi);
      if (q + 3 < nq)
        store_hi64 (out + plane_of_chunk (q + 3, r) * rs, hi);
    }
  }
}

static ECLUT_AVX2 void
gather_row_avx2_3 (Ctx * ctx, guint y, gint16 * planes)
{
  gather_row_avx2_r (ctx, y, planes, 3);
}

static ECLUT_AVX2 void
gather_row_avx2_4 (Ctx * ctx, guint y, gint16 * planes)
{
  gather_row_avx2_r (ctx, y, planes, 4);
}

/* Copies LR row @y's pixels to @dst[0 .. w-1], the edge pixels replicated
 * over the padding. */
static void
pad_row (guint8 * dst, const guint8 * src, guint w)
{
  memcpy (dst, src, w);
  memset (dst - ROW_PAD, src[0], ROW_PAD);
  memset (dst + w, src[w - 1], ROW_PAD);
}

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

static ECLUT_ALWAYS_INLINE guint8
rescale1 (gint v, gint bias, guint shift)
{
  gint o = ((v + bias) >> shift) - (ECLUT_LUT_SUM_BIAS >> shift);

  return (guint8) CLAMP (o, 0, 255);
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

static void
block_upscale_rows (Ctx * ctx, gint16 * scratch, guint8 * dst,
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

#ifdef ECLUT_HAVE_AVX2
/* ---- The edge path: x2, expand step 2, AVX2 (eclut-edge.h) -------------
 *
 * The edge patches give every HR block exactly where no reflect padding is
 * involved: block rows 1 .. h - 2 and columns 1 .. w - 2.  The border rows
 * take the block path, the border columns border_blocks(). */

/* The border columns.  HR block (Y, X) of an interior block row is
 *   sum over c = (dy, dx) of cell (i, xs % 2) of channel c of the rotation
 *   sum of LR pixel (Y - dy, xs / 2), xs = refl (2 X + j - 2 dx)
 * (the definition, with the reflect padding of the HR border), and for X =
 * 0 or w - 1 every xs / 2 is one of the two outer columns.  So the
 * rotation sums of the pixels of columns 0, 1, w - 2 and w - 1 are kept
 * for three LR rows, and each cell of a border block is the sum of nine of
 * their cells, whose places ("taps") depend only on the side. */
#define BORDER_CELLS ECLUT_LUT_BLOCK_STRIDE (2)

typedef struct
{
  gint row[3];                  /* LR row held by each slot, -1: none */
  /* slot, column (0, 1, w - 2, w - 1), cell */
  gint16 sum[3][4 * BORDER_CELLS];
  /* side (X = 0, w - 1), cell i * 2 + j, channel: the row (Y - 1 + ny)
   * and the cell in that row's sum[] */
  guint8 tap_row[2][4][9];
  guint8 tap_cell[2][4][9];
} BorderSums;

static void
border_init (const Ctx * ctx, BorderSums * bs)
{
  const gint rw = 2 * (gint) ctx->w;
  guint side, i, j, c;

  bs->row[0] = bs->row[1] = bs->row[2] = -1;
  for (side = 0; side < 2; side++)
    for (i = 0; i < 2; i++)
      for (j = 0; j < 2; j++)
        for (c = 0; c < 9; c++) {
          gint dy = (gint) (c / 3) - 1, dx = (gint) (c % 3) - 1;
          gint tx = (side ? rw - 2 : 0) + (gint) j - 2 * dx;
          /* refl () within 2 of the border (the image is wider) */
          gint xs = tx < 0 ? -tx : tx >= rw ? 2 * (rw - 1) - tx : tx;
          /* the column's place among 0, 1, w - 2, w - 1 */
          guint col = side ? 2 + (guint) (xs / 2 - (rw / 2 - 2)) :
              (guint) (xs / 2);

          bs->tap_row[side][i * 2 + j][c] = (guint8) (1 - dy);
          bs->tap_cell[side][i * 2 + j][c] = (guint8) (col * BORDER_CELLS +
              (ECLUT_LUT_SLOT (2, c) * 2 + i) * 2 + (guint) xs % 2);
        }
}

/* The sums of LR row @y's four outer pixels, computed on first use. */
static const gint16 *
border_row (const Ctx * ctx, BorderSums * bs, guint y)
{
  const guint w = ctx->w, slot = y % 3;
  const guint cols[4] = { 0, 1, w - 2, w - 1 };
  const guint8 *row, *below, *above;
  guint k;

  if (bs->row[slot] == (gint) y)
    return bs->sum[slot];

  row = ctx->src + (gssize) y *ctx->src_stride;
  below = y + 1 < ctx->h ? row + ctx->src_stride : row;
  above = y > 0 ? row - ctx->src_stride : row;
  for (k = 0; k < 4; k++) {
    const guint8 *ring[PF_RING][4];
    const guint8 *const *b = ring[cols[k] % PF_RING];

    pixel_blocks (ctx, row, below, above, cols[k], 2, ring, FALSE);
    sum4 (bs->sum[slot] + k * BORDER_CELLS, b[0], b[1], b[2], b[3],
        BORDER_CELLS);
  }
  bs->row[slot] = (gint) y;

  /* The blocks of the next row, which the edge path never reads otherwise
   * (they would miss every cache), need the pixels of the row after it:
   * those were asked for with this row's (a pixel read would stall here,
   * the edge path reading far behind), those of the row after that now. */
  if (y + 3 < ctx->h) {
    const guint8 *far = row + 3 * (gssize) ctx->src_stride;

    ECLUT_PREFETCH (far);
    ECLUT_PREFETCH (far + w - 2);
  }
  if (y + 1 < ctx->h) {
    const guint8 *ring[PF_RING][4];

    row = below;
    below = y + 2 < ctx->h ? row + ctx->src_stride : row;
    above = row - ctx->src_stride;
    for (k = 0; k < 4; k++)
      pixel_blocks (ctx, row, below, above, cols[k], 2, ring, TRUE);
  }
  return bs->sum[slot];
}

/* HR blocks (Y, 0) and (Y, w - 1), 1 <= Y <= h - 2, into the HR rows 2Y + i
 * whose @out[i] is not NULL. */
static void
border_blocks (const Ctx * ctx, BorderSums * bs, guint Y, guint8 * const out[2])
{
  const gint bias = ctx->lut->rescale_bias;
  const guint shift = ctx->lut->rescale_shift;
  const gint16 *rows[3];
  guint side, q, c, k;

  for (k = 0; k < 3; k++)
    rows[k] = border_row (ctx, bs, Y - 1 + k);
  for (side = 0; side < 2; side++)
    for (q = 0; q < 4; q++) {
      const guint8 *tr = bs->tap_row[side][q], *tc = bs->tap_cell[side][q];
      guint8 *o = out[q / 2];
      gint v = 0;

      if (o == NULL)
        continue;
      for (c = 0; c < 9; c++)
        v += rows[tr[c]][tc[c]];
      o[(side ? 2 * (ctx->w - 1) : 0) + q % 2] = rescale1 (v, bias, shift);
    }
}

/* Padded copy of LR row @y in one of three slots (ROW_PAD edge pixels on
 * each side), reused while it holds that row. */
static const guint8 *
edge_padded_row (const Ctx * ctx, guint8 * const slot[3], gint key[3], guint y)
{
  guint k = y % 3;

  if (key[k] != (gint) y) {
    pad_row (slot[k], ctx->src + (gssize) y * ctx->src_stride, ctx->w);
    key[k] = (gint) y;
  }
  return slot[k];
}

/* Accumulator rows in the ring (a power of two: rows t - 1 .. t + 3 are in
 * use at once). */
#define EDGE_RING 8

/* HR rows [out_y0, out_y1) with the edge patches, w and h >= 3. */
static void
edge_upscale_rows (Ctx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1)
{
  const guint w = ctx->w, h = ctx->h, rh = 2 * h;
  const guint lo = MAX (out_y0, 2), hi = MIN (out_y1, rh - 2);
  const gsize as = ECLUT_EDGE_ACC_CELLS (w);
  gint16 *acc[EDGE_RING];
  guint8 *padded[3];
  gint key[3] = { -1, -1, -1 };
  BorderSums bsum;
  gint t, Ys, Ye, k, n;

  if (out_y0 < 2)
    block_upscale_rows (ctx, scratch, dst, dst_stride, out_y0, MIN (out_y1, 2));
  if (out_y1 > rh - 2)
    block_upscale_rows (ctx, scratch, dst, dst_stride, MAX (out_y0, rh - 2),
        out_y1);
  if (lo >= hi)
    return;

  for (k = 0; k < EDGE_RING; k++)
    acc[k] = scratch + k * as;
  for (k = 0; k < 3; k++)
    padded[k] = (guint8 *) (scratch + EDGE_RING * as) +
        k * padded_row_size (w) + ROW_PAD;
  memset (scratch, 0, EDGE_RING * as * sizeof (gint16));
  border_init (ctx, &bsum);

  /* Output block row Y takes the vertical edges of LR rows Y - 2 .. Y + 1
   * (row -1: the edge between the replicated row 0 and row 0) and the
   * horizontal edges of rows Y - 1 .. Y + 1.  The edges are added two LR
   * rows t, t + 1 at a time (one at the end if the count is odd): block
   * rows t + 2 and t + 3 start there (their ring slots are cleared by
   * eclut_edge_finish_row_avx2 (), or here if they held rows above Ys,
   * which are not finished), and block rows t - 1 and t are complete after
   * them. */
  Ys = (gint) lo / 2;
  Ye = (gint) (hi - 1) / 2;
  for (t = Ys - 2; t <= Ye + 1; t += n) {
    gint16 *rows[5];
    const guint8 *src[3];

    n = t + 1 <= Ye + 1 ? 2 : 1;
    for (k = 0; k < 3 + n; k++)
      rows[k] = acc[(guint) (t - 1 + k + EDGE_RING) % EDGE_RING];
    for (k = 3; k < 3 + n; k++)
      if (t - 1 + k - EDGE_RING < Ys)
        memset (rows[k], 0, as * sizeof (gint16));
    /* rows t .. t + n, clamped (the replicated border: row -1 is row 0
     * again, in the same slot) */
    for (k = 0; k <= n; k++)
      src[k] = edge_padded_row (ctx, padded, key, (guint) CLAMP (t + k, 0,
              (gint) h - 1));
    /* the source row that the next step copies in */
    eclut_edge_add_rows_avx2 (ctx->lut, src, (guint) n, w, rows,
        t + n + 1 < (gint) h ? ctx->src + (gssize) (t + n + 1) *
        ctx->src_stride : NULL);

    for (k = 0; k < n; k++) {
      const gint Y = t - 1 + k;
      guint8 *out[2];
      guint i;

      if (Y < Ys)
        continue;
      for (i = 0; i < 2; i++)
        out[i] = (guint) Y *2 + i >= lo && (guint) Y *2 + i < hi ?
          dst + (gssize) (Y * 2 + (gint) i) * dst_stride : NULL;
      eclut_edge_finish_row_avx2 (ctx->lut, rows[k], w, out[0], out[1]);
      border_blocks (ctx, &bsum, (guint) Y, out);
    }
  }
}
#endif

void
eclut_luma_upscale_rows (const EclutLut * lut,
    const guint8 * src, gint src_stride, guint in_width, guint in_height,
    guint8 * dst, gint dst_stride, guint out_y0, guint out_y1, gpointer scratch)
{
  Ctx ctx;
  const gint16 *rows[9];
  gint16 *tmp;
  guint r, rh, rw, yh, dyi, dxi;
  gint16 *base;

  g_return_if_fail (lut != NULL);
  r = lut->scale;
  g_return_if_fail ((guint64) out_y1 <= (guint64) r * in_height);
  g_return_if_fail (out_y0 <= out_y1);
  if (out_y0 == out_y1 || in_width == 0)
    return;
  g_return_if_fail (src != NULL && dst != NULL && scratch != NULL);
  g_return_if_fail ((guint64) r * in_width <= G_MAXINT);

  rh = r * in_height;
  rw = r * in_width;

  ctx.lut = lut;
  ctx.src = src;
  ctx.src_stride = src_stride;
  ctx.w = in_width;
  ctx.h = in_height;
  ctx.r = r;
  ctx.st = lut->expand_step;
  ctx.rs = plane_row_stride (r, in_width);
  base = scratch;
  ctx.ring[0] = base;
  ctx.ring[1] = base + ctx.rs * 9 * r;
  ctx.ring[2] = base + 2 * ctx.rs * 9 * r;
  ctx.ring_row[0] = ctx.ring_row[1] = ctx.ring_row[2] = -1;
  tmp = base + 3 * ctx.rs * 9 * r;
  ctx.block = tmp + ctx.rs;
  ctx.simd = eclut_simd_level () >= 1;
  ctx.avx2 = eclut_simd_level () >= 2;

#ifdef ECLUT_HAVE_AVX2
  if (ctx.avx2 && lut->edge_v != NULL && r == 2 && ctx.st == 2
      && in_width >= 3 && in_height >= 3) {
    edge_upscale_rows (&ctx, base, dst, dst_stride, out_y0, out_y1);
    return;
  }
#endif
#ifdef ECLUT_HAVE_SSE2
  if (ctx.simd && ctx.st == r && (r == 2 || r == 4) && in_width >= 2
      && in_height >= 2) {
    block_upscale_rows (&ctx, base, dst, dst_stride, out_y0, out_y1);
    return;
  }
#endif

  for (yh = out_y0; yh < out_y1; yh++) {
    guint8 *out = dst + (gssize) yh * dst_stride;

    for (dyi = 0; dyi < 3; dyi++) {
      gint dy = (gint) dyi - 1;
      guint ys = refl ((gint64) yh - (gint64) dy * ctx.st, rh);
      const gint16 *planes = lr_planes (&ctx, ys / r);

      for (dxi = 0; dxi < 3; dxi++) {
        gint dx = (gint) dxi - 1;
        guint c = dyi * 3 + dxi;

        /* channel (dy, dx) is read at Xh - dx*st: shift the row pointer;
         * at most st cells into the reflect padding */
        rows[c] = planes + (c * r + ys % r) * ctx.rs + PAD - dx * (gint) ctx.st;
      }
    }
    eclut_orc_sum5_s16 (tmp, rows[0], rows[1], rows[2], rows[3], rows[4],
        (int) rw);
    eclut_orc_finish_u8 (out, tmp, rows[5], rows[6], rows[7], rows[8],
        lut->rescale_bias - ECLUT_LUT_SUM_BIAS, (int) lut->rescale_shift,
        (int) rw);
  }
}
