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

#include "eclut-luma.h"
#include "eclut-lut-private.h"
#include "gsteclutorc.h"

/* SSE2 is part of x86-64, so this needs no run-time check.  Other targets
 * (and ECLUT_DISABLE_SIMD builds) use the plain C path, which the unit
 * tests also run (ECLUT_NO_SIMD=1). */
#if defined(__SSE2__) && !defined(ECLUT_DISABLE_SIMD)
#include <emmintrin.h>
#define ECLUT_HAVE_SSE2 1
#endif

#if defined(__GNUC__)
#define ECLUT_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ECLUT_ALWAYS_INLINE inline
#endif

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
  if (n > G_MAXSIZE / (sizeof (gint16) * 64))
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
} Ctx;

/* ECLUT_NO_SIMD (any value) selects the plain C gather, for tests and
 * comparisons; read once. */
static gboolean
simd_enabled (void)
{
#ifdef ECLUT_HAVE_SSE2
  static gsize init = 0;
  static gboolean enabled;

  if (g_once_init_enter (&init)) {
    enabled = g_getenv ("ECLUT_NO_SIMD") == NULL;
    g_once_init_leave (&init, 1);
  }
  return enabled;
#else
  return FALSE;
#endif
}

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
      store32 (out + q * rs, s);
    if (q + 1 < 18)
      store32 (out + (q + 1) * rs, _mm_shuffle_epi32 (s, 1));
    if (q + 2 < 18)
      store32 (out + (q + 2) * rs, _mm_shuffle_epi32 (s, 2));
    if (q + 3 < 18)
      store32 (out + (q + 3) * rs, _mm_shuffle_epi32 (s, 3));
  } else {
    q = 2 * v;                  /* 9r chunks of 64 bits */
    if (q < 9 * r)
      _mm_storel_epi64 ((__m128i *) (out + q * rs), s);
    if (q + 1 < 9 * r)
      _mm_storel_epi64 ((__m128i *) (out + (q + 1) * rs),
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

#if defined(__GNUC__)
#define ECLUT_PREFETCH(p) __builtin_prefetch (p)
#else
#define ECLUT_PREFETCH(p) ((void) (p))
#endif

static ECLUT_ALWAYS_INLINE void
prefetch_block (const guint8 * b, const guint bs)
{
  guint l;

  /* every cache line of the block: its start, each 64 bytes, its end */
  for (l = 0; l < bs; l += 64)
    ECLUT_PREFETCH (b + l);
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
  const gsize a = (gsize) row[x] << 8;
  const guint8 **b = ring[x % PF_RING];

  b[0] = ctx->lut->rot[0] + (a | below[x]) * bs;
  b[1] = ctx->lut->rot[1] + (a | row[x > 0 ? x - 1 : 0]) * bs;
  b[2] = ctx->lut->rot[2] + (a | above[x]) * bs;
  b[3] = ctx->lut->rot[3] + (a | row[x + 1 < w ? x + 1 : x]) * bs;
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
      pixel_blocks (ctx, row, below, above, x + PREFETCH_AHEAD, r, ring,
          TRUE);
#ifdef ECLUT_HAVE_SSE2
    if (simd) {
      sum4_scatter_sse2 (out, rs, b[0], b[1], b[2], b[3], r);
      continue;
    }
#endif
    sum4 (blk, b[0], b[1], b[2], b[3], bs);
    for (q = 0; q < 9 * r; q++)
      memcpy (out + q * rs, blk + q * cw, r * sizeof (gint16));
  }
}

static void
gather_row (Ctx * ctx, guint y, gint16 * planes)
{
  const guint rw = ctx->r * ctx->w, st = ctx->st;
  guint q, p;

  /* one specialisation per (scale, path): all loop bounds are constants */
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
  ctx.simd = simd_enabled ();

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
