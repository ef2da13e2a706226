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
#include "eclut-luma-private.h"
#include "gsteclutorc.h"

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

#ifdef ECLUT_HAVE_AVX2
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
    eclut_block_upscale_rows (ctx, scratch, dst, dst_stride, out_y0,
        MIN (out_y1, 2));
  if (out_y1 > rh - 2)
    eclut_block_upscale_rows (ctx, scratch, dst, dst_stride, MAX (out_y0,
            rh - 2), out_y1);
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
    eclut_block_upscale_rows (&ctx, base, dst, dst_stride, out_y0, out_y1);
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
