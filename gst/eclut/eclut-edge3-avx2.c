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


/* The x3 edge path's kernels with AVX2 (eclut-edge3.h).  Built with
 * -mavx2 (meson.build), run only where the CPU has AVX2 (the plan,
 * eclut-luma.c). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-edge.h"
#include "eclut-edge3.h"
#include "eclut-lut-private.h"

#ifdef ECLUT_HAVE_AVX2

#define LOAD(p) _mm256_loadu_si256 ((const __m256i *) (p))
#define STORE(p, v) _mm256_storeu_si256 ((__m256i *) (p), (v))
#define ADD(p, q) STORE ((p), _mm256_add_epi16 (LOAD (p), LOAD (q)))

/* Pixels per batch: their patch pointers are computed first, then the
 * pixels are added in six passes, x = 0, 1, .., 5 (mod 6), so that two
 * adds in a row never touch the same accumulator cells (a horizontal
 * patch row spans 48 cells, 5 blocks and a third; neighbours are 9 cells
 * apart): no store-to-load stalls between them. */
#define BATCH 48
/* patches asked for this many pixels ahead */
#define AHEAD 8

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
prefetch_patch (const gint16 * v, const gint16 * h)
{
  guint k;

  /* 256 and 288 bytes */
  for (k = 0; k < ECLUT_EDGE3_V_CELLS; k += 32)
    ECLUT_PREFETCH (v + k);
  for (k = 0; k < ECLUT_EDGE3_H_CELLS; k += 32)
    ECLUT_PREFETCH (h + k);
}

#define V16(et, a, b) ((const gint16 *) (et)->v + ECLUT_EDGE_INDEX (a, b) * \
    ECLUT_EDGE3_V_CELLS)
#define H16(et, a, b) ((const gint16 *) (et)->h + ECLUT_EDGE_INDEX (a, b) * \
    ECLUT_EDGE3_H_CELLS)

/* The edges of the padded LR row @x (x[-1] .. x[w] readable) with the row
 * below it, @y, into acc[0 .. 3] (block rows t - 1 .. t + 2). */
static ECLUT_AVX2 void
add_row (const EclutEdge3Tables * et, const guint8 * x, const guint8 * y,
    guint w, gint16 * const acc[4])
{
  gint16 *const a0 = acc[0], *const a1 = acc[1], *const a2 = acc[2];
  gint16 *const a3 = acc[3];
  const gint16 *pv[BATCH + AHEAD], *ph[BATCH + AHEAD];
  const gint16 *p;
  guint x0, k, m, row;

  /* the horizontal edge between the left padding and pixel 0 (block -2) */
  p = H16 (et, x[-1], x[0]);
  for (row = 0; row < 3; row++)
    for (k = 0; k < ECLUT_EDGE3_H_ROW; k += 16)
      ADD (acc[row] + k, p + row * ECLUT_EDGE3_H_ROW + k);

  for (x0 = 0; x0 < w; x0 += BATCH) {
    const guint n = MIN (BATCH, w - x0);
    const guint na = MIN (BATCH + AHEAD, w - x0);

    for (k = 0; k < na; k++) {
      const guint j = x0 + k;

      pv[k] = V16 (et, x[j], y[j]);
      ph[k] = H16 (et, x[j], x[j + 1]);
    }
    for (k = 0; k < n; k++)
      if (k + AHEAD < na)
        prefetch_patch (pv[k + AHEAD], ph[k + AHEAD]);
    for (m = 0; m < 6; m++)
      for (k = m; k < n; k += 6) {
        /* block x0 + k - 1 (the patch's first column) at (x0 + k + 1) * 9;
         * the vertical and horizontal patch rows that land on the same
         * accumulator row are added together, then stored once */
        const gsize o = (gsize) (x0 + k + 1) * 9;
        const gint16 *v = pv[k], *h = ph[k];
        gint16 *c;

#define V(q) LOAD (v + (q))
#define H(q) LOAD (h + (q))
#define RMW(p, x) STORE ((p), _mm256_add_epi16 (LOAD (p), (x)))
        c = a0 + o;
        RMW (c, _mm256_add_epi16 (V (0), H (0)));
        RMW (c + 16, _mm256_add_epi16 (V (16), H (16)));
        RMW (c + 32, H (32));
        c = a1 + o;
        RMW (c, _mm256_add_epi16 (V (32), H (48)));
        RMW (c + 16, _mm256_add_epi16 (V (48), H (64)));
        RMW (c + 32, H (80));
        c = a2 + o;
        RMW (c, _mm256_add_epi16 (V (64), H (96)));
        RMW (c + 16, _mm256_add_epi16 (V (80), H (112)));
        RMW (c + 32, H (128));
        c = a3 + o;
        RMW (c, V (96));
        RMW (c + 16, V (112));
#undef V
#undef H
#undef RMW
      }
  }
}

/* add_row () for the rows @x and @y (with @z, the row below @y) at once,
 * into acc[0 .. 4]: the three accumulator rows that both reach take one
 * read-modify-write for both (14 per pixel pair instead of 22). */
static ECLUT_AVX2 void
add_two_rows (const EclutEdge3Tables * et, const guint8 * x,
    const guint8 * y, const guint8 * z, guint w, gint16 * const acc[5])
{
  gint16 *const a0 = acc[0], *const a1 = acc[1], *const a2 = acc[2];
  gint16 *const a3 = acc[3], *const a4 = acc[4];
  const gint16 *pv[2][BATCH + AHEAD], *ph[2][BATCH + AHEAD];
  const gint16 *p, *q;
  guint x0, k, m, row;

  /* the horizontal edges between the left padding and pixel 0 */
  p = H16 (et, x[-1], x[0]);
  q = H16 (et, y[-1], y[0]);
  for (row = 0; row < 3; row++)
    for (k = 0; k < ECLUT_EDGE3_H_ROW; k += 16) {
      ADD (acc[row] + k, p + row * ECLUT_EDGE3_H_ROW + k);
      ADD (acc[row + 1] + k, q + row * ECLUT_EDGE3_H_ROW + k);
    }

  for (x0 = 0; x0 < w; x0 += BATCH) {
    const guint n = MIN (BATCH, w - x0);
    const guint na = MIN (BATCH + AHEAD, w - x0);

    for (k = 0; k < na; k++) {
      const guint j = x0 + k;

      pv[0][k] = V16 (et, x[j], y[j]);
      ph[0][k] = H16 (et, x[j], x[j + 1]);
      pv[1][k] = V16 (et, y[j], z[j]);
      ph[1][k] = H16 (et, y[j], y[j + 1]);
    }
    for (k = 0; k < n; k++)
      if (k + AHEAD < na) {
        prefetch_patch (pv[0][k + AHEAD], ph[0][k + AHEAD]);
        prefetch_patch (pv[1][k + AHEAD], ph[1][k + AHEAD]);
      }
    for (m = 0; m < 6; m++)
      for (k = m; k < n; k += 6) {
        const gsize o = (gsize) (x0 + k + 1) * 9;
        const gint16 *v = pv[0][k], *h = ph[0][k];
        const gint16 *v1 = pv[1][k], *h1 = ph[1][k];
        gint16 *c;

#define L(t, q) LOAD ((t) + (q))
#define A2(a, b) _mm256_add_epi16 ((a), (b))
#define RMW(p, x) STORE ((p), _mm256_add_epi16 (LOAD (p), (x)))
        c = a0 + o;
        RMW (c, A2 (L (v, 0), L (h, 0)));
        RMW (c + 16, A2 (L (v, 16), L (h, 16)));
        RMW (c + 32, L (h, 32));
        c = a1 + o;
        RMW (c, A2 (A2 (L (v, 32), L (h, 48)), A2 (L (v1, 0), L (h1, 0))));
        RMW (c + 16, A2 (A2 (L (v, 48), L (h, 64)), A2 (L (v1, 16), L (h1,
                        16))));
        RMW (c + 32, A2 (L (h, 80), L (h1, 32)));
        c = a2 + o;
        RMW (c, A2 (A2 (L (v, 64), L (h, 96)), A2 (L (v1, 32), L (h1, 48))));
        RMW (c + 16, A2 (A2 (L (v, 80), L (h, 112)), A2 (L (v1, 48), L (h1,
                        64))));
        RMW (c + 32, A2 (L (h, 128), L (h1, 80)));
        c = a3 + o;
        RMW (c, A2 (A2 (L (v, 96), L (v1, 64)), L (h1, 96)));
        RMW (c + 16, A2 (A2 (L (v, 112), L (v1, 80)), L (h1, 112)));
        RMW (c + 32, L (h1, 128));
        c = a4 + o;
        RMW (c, L (v1, 96));
        RMW (c + 16, L (v1, 112));
#undef L
#undef A2
#undef RMW
      }
  }
}

/* ---- The compact layout (eclut-edge3.h) ---- */

#define VC(et, a, b) ((et)->v + ECLUT_EDGE_INDEX (a, b) * \
    ECLUT_EDGE3_COMPACT_BYTES)
#define HC(et, a, b) ((et)->h + ECLUT_EDGE_INDEX (a, b) * \
    ECLUT_EDGE3_COMPACT_BYTES)
/* the cells of a byte row: 0-15 and 16-31 of a 32-byte load */
#define LO(r) _mm256_unpacklo_epi8 ((r), _mm256_setzero_si256 ())
#define HI(r) _mm256_unpackhi_epi8 ((r), _mm256_setzero_si256 ())
/* 16 plain bytes widened */
#define W16(p) _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const __m128i *) (p)))
/* int16 cells @q of the int16 rows at byte 64 (vertical rows 1, 2) or
 * 128 (horizontal row 1) */
#define I16(p, q) LOAD ((const gint16 *) (p) + (q))
#define A2(a, b) _mm256_add_epi16 ((a), (b))
#define RMW(p, x) STORE ((p), _mm256_add_epi16 (LOAD (p), (x)))
/* The last 4 cells of a horizontal patch row (cells 32-35), added alone:
 * an 8-byte access crosses a cache line less often than a 32-byte one
 * (the accumulator's blocks are 18 bytes apart). */
#define T4(r) _mm256_castsi256_si128 (r)
#define TW(p) _mm_cvtepu8_epi16 (_mm_cvtsi32_si128 (load32 (p)))
#define TA2(a, b) _mm_add_epi16 ((a), (b))
#define TRMW(p, x) _mm_storel_epi64 ((__m128i *) (p), _mm_add_epi16 \
    (_mm_loadl_epi64 ((const __m128i *) (p)), (x)))

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE gint
load32 (const guint8 * p)
{
  gint32 v;

  memcpy (&v, p, 4);
  return v;
}

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
prefetch_compact (const guint8 * v, const guint8 * h)
{
  ECLUT_PREFETCH (v);
  ECLUT_PREFETCH (v + 64);
  ECLUT_PREFETCH (v + 128);
  ECLUT_PREFETCH (h);
  ECLUT_PREFETCH (h + 64);
  ECLUT_PREFETCH (h + 128);
}

/* The compact horizontal patch @h into the accumulator at r0 .. r2. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add_h_compact (const guint8 * h, gint16 * r0, gint16 * r1, gint16 * r2)
{
  const __m256i h0 = LOAD (h), h2 = LOAD (h + 32), hc = LOAD (h + 64);

  RMW (r0, LO (h0));
  RMW (r0 + 16, HI (h0));
  RMW (r0 + 32, LO (hc));
  RMW (r1, I16 (h + 128, 0));
  RMW (r1 + 16, I16 (h + 128, 16));
  RMW (r1 + 32, W16 (h + 96));
  RMW (r2, LO (h2));
  RMW (r2 + 16, HI (h2));
  RMW (r2 + 32, HI (hc));
}

/* add_row () in the compact layout */
static ECLUT_AVX2 void
add_row_compact (const EclutEdge3Tables * et, const guint8 * x,
    const guint8 * y, guint w, gint16 * const acc[4])
{
  gint16 *const a0 = acc[0], *const a1 = acc[1], *const a2 = acc[2];
  gint16 *const a3 = acc[3];
  const guint8 *pv[BATCH + AHEAD], *ph[BATCH + AHEAD];
  guint x0, k, m;

  add_h_compact (HC (et, x[-1], x[0]), acc[0], acc[1], acc[2]);
  for (x0 = 0; x0 < w; x0 += BATCH) {
    const guint n = MIN (BATCH, w - x0);
    const guint na = MIN (BATCH + AHEAD, w - x0);

    for (k = 0; k < na; k++) {
      const guint j = x0 + k;

      pv[k] = VC (et, x[j], y[j]);
      ph[k] = HC (et, x[j], x[j + 1]);
    }
    for (k = 0; k < n; k++)
      if (k + AHEAD < na)
        prefetch_compact (pv[k + AHEAD], ph[k + AHEAD]);
    for (m = 0; m < 6; m++)
      for (k = m; k < n; k += 6) {
        const gsize o = (gsize) (x0 + k + 1) * 9;
        const guint8 *v = pv[k], *h = ph[k];
        const __m256i v0 = LOAD (v), v3 = LOAD (v + 32);
        const __m256i h0 = LOAD (h), h2 = LOAD (h + 32), hc = LOAD (h + 64);
        gint16 *c;

        c = a0 + o;
        RMW (c, A2 (LO (v0), LO (h0)));
        RMW (c + 16, A2 (HI (v0), HI (h0)));
        RMW (c + 32, LO (hc));
        c = a1 + o;
        RMW (c, A2 (I16 (v + 64, 0), I16 (h + 128, 0)));
        RMW (c + 16, A2 (I16 (v + 64, 16), I16 (h + 128, 16)));
        RMW (c + 32, W16 (h + 96));
        c = a2 + o;
        RMW (c, A2 (I16 (v + 64, 32), LO (h2)));
        RMW (c + 16, A2 (I16 (v + 64, 48), HI (h2)));
        RMW (c + 32, HI (hc));
        c = a3 + o;
        RMW (c, LO (v3));
        RMW (c + 16, HI (v3));
      }
  }
}

/* The compact patches of a batch are prefetched only if the mean over its
 * pixels of |right - x| + |below - x| exceeds this many grey levels: a
 * photo's smooth areas read the few patches near the diagonal a = b, which
 * stay cached (eclut-edge-avx2.c does the same at x2). */
#ifndef EDGE3_PREFETCH_MEAN_DIFF
#define EDGE3_PREFETCH_MEAN_DIFF 8
#endif

/* add_two_rows () in the compact layout */
static ECLUT_AVX2 void
add_two_rows_compact (const EclutEdge3Tables * et, const guint8 * x,
    const guint8 * y, const guint8 * z, guint w, gint16 * const acc[5])
{
  gint16 *const a0 = acc[0], *const a1 = acc[1], *const a2 = acc[2];
  gint16 *const a3 = acc[3], *const a4 = acc[4];
  const guint8 *const tv = et->v, *const th = et->h;
  /* the patches' byte offsets from tv and th, 8 pixels a step */
  guint32 ov[2][BATCH + AHEAD + 8], oh[2][BATCH + AHEAD + 8];
  guint x0, k, m;

  add_h_compact (HC (et, x[-1], x[0]), acc[0], acc[1], acc[2]);
  add_h_compact (HC (et, y[-1], y[0]), acc[1], acc[2], acc[3]);
  for (x0 = 0; x0 < w; x0 += BATCH) {
    const guint n = MIN (BATCH, w - x0);
    const guint na = MIN (BATCH + AHEAD, w - x0);

    /* (a << 8 | b) * 192, from 8 bytes of each row (x[w .. w + 31] are
     * readable) */
    for (k = 0; k < na; k += 8) {
#define U32(p) _mm256_cvtepu8_epi32 (_mm_loadl_epi64 ((const __m128i *) (p)))
#define OFF(a, b) _mm256_mullo_epi32 (_mm256_or_si256 (_mm256_slli_epi32 \
    ((a), 8), (b)), _mm256_set1_epi32 (ECLUT_EDGE3_COMPACT_BYTES))
      const __m256i xa = U32 (x + x0 + k), ya = U32 (y + x0 + k);

      STORE (ov[0] + k, OFF (xa, ya));
      STORE (oh[0] + k, OFF (xa, U32 (x + x0 + k + 1)));
      STORE (ov[1] + k, OFF (ya, U32 (z + x0 + k)));
      STORE (oh[1] + k, OFF (ya, U32 (y + x0 + k + 1)));
#undef U32
#undef OFF
    }
    /* only where the patches are likely to miss (as at x2) */
    if (eclut_busy_sum_avx2 (x + x0, y + x0, n) + eclut_busy_sum_avx2 (y +
            x0, z + x0, n) > 2 * EDGE3_PREFETCH_MEAN_DIFF * ((n + 31) & ~31u))
      for (k = AHEAD; k < na; k++) {
        prefetch_compact (tv + ov[0][k], th + oh[0][k]);
        prefetch_compact (tv + ov[1][k], th + oh[1][k]);
      }
    for (m = 0; m < 6; m++)
      for (k = m; k < n; k += 6) {
        const gsize o = (gsize) (x0 + k + 1) * 9;
        const guint8 *v = tv + ov[0][k], *h = th + oh[0][k];
        const guint8 *v1 = tv + ov[1][k], *h1 = th + oh[1][k];
        /* the byte rows loaded before the first store (the compiler
         * cannot tell that the stores leave them alone) */
        const __m256i v0 = LOAD (v), v3 = LOAD (v + 32);
        const __m256i h0 = LOAD (h), h2 = LOAD (h + 32), hc = LOAD (h + 64);
        const __m256i v10 = LOAD (v1), v13 = LOAD (v1 + 32);
        const __m256i h10 = LOAD (h1), h12 = LOAD (h1 + 32);
        const __m256i h1c = LOAD (h1 + 64);
        gint16 *c;

        c = a0 + o;
        RMW (c, A2 (LO (v0), LO (h0)));
        RMW (c + 16, A2 (HI (v0), HI (h0)));
        TRMW (c + 32, T4 (LO (hc)));
        c = a1 + o;
        RMW (c, A2 (A2 (I16 (v + 64, 0), I16 (h + 128, 0)),
                A2 (LO (v10), LO (h10))));
        RMW (c + 16, A2 (A2 (I16 (v + 64, 16), I16 (h + 128, 16)),
                A2 (HI (v10), HI (h10))));
        TRMW (c + 32, TA2 (TW (h + 96), T4 (LO (h1c))));
        c = a2 + o;
        RMW (c, A2 (A2 (I16 (v + 64, 32), LO (h2)),
                A2 (I16 (v1 + 64, 0), I16 (h1 + 128, 0))));
        RMW (c + 16, A2 (A2 (I16 (v + 64, 48), HI (h2)),
                A2 (I16 (v1 + 64, 16), I16 (h1 + 128, 16))));
        TRMW (c + 32, TA2 (T4 (HI (hc)), TW (h1 + 96)));
        c = a3 + o;
        RMW (c, A2 (A2 (LO (v3), I16 (v1 + 64, 32)), LO (h12)));
        RMW (c + 16, A2 (A2 (HI (v3), I16 (v1 + 64, 48)), HI (h12)));
        TRMW (c + 32, T4 (HI (h1c)));
        c = a4 + o;
        RMW (c, LO (v13));
        RMW (c + 16, HI (v13));
      }
  }
}

#undef A2
#undef RMW

ECLUT_AVX2 void
eclut_edge3_add_rows_avx2 (const EclutEdge3Tables * et,
    const guint8 * const src[3], guint n_rows, guint w, gint16 * const acc[5])
{
  if (et->compact) {
    if (n_rows == 2)
      add_two_rows_compact (et, src[0], src[1], src[2], w, acc);
    else
      add_row_compact (et, src[0], src[1], w, acc);
  } else if (n_rows == 2)
    add_two_rows (et, src[0], src[1], src[2], w, acc);
  else
    add_row (et, src[0], src[1], w, acc);
}

/* The byte shuffles that cut HR row i of 16 rescaled blocks out of their
 * 144 bytes (block X's row i at 9 X + 3 i), in pieces of 16 output bytes:
 * piece m (pixels 16 m ..) takes its bytes from the 16-byte chunks first
 * .. first + count - 1 of the 144 (3 or 4 of them), each through its mask
 * (0x80 where the byte comes from another chunk).  Whole, aligned chunks:
 * loads that straddle two of the stores that wrote them could not take
 * their bytes from those stores and would wait for them. */
typedef struct
{
  guint8 first[3][3], count[3][3];
  guint8 mask[3][3][4][16];
} FinishShuffles;

static const FinishShuffles *
finish_shuffles (void)
{
  static FinishShuffles fs;
  static gsize made = 0;

  if (g_once_init_enter (&made)) {
    guint i, m, t, p;

    for (i = 0; i < 3; i++)
      for (m = 0; m < 3; m++) {
        /* the byte of output pixel p: block p / 3, row i, column p % 3 */
#define CELL(p) (9 * ((p) / 3) + 3 * i + (p) % 3)
        const guint k0 = CELL (16 * m) / 16, k1 = CELL (16 * m + 15) / 16;

        fs.first[i][m] = (guint8) k0;
        fs.count[i][m] = (guint8) (k1 - k0 + 1);
        for (t = 0; t < 4; t++)
          for (p = 0; p < 16; p++) {
            const guint c = CELL (16 * m + p);

            fs.mask[i][m][t][p] = c / 16 == k0 + t ? (guint8) (c % 16) : 0x80;
          }
#undef CELL
      }
    g_once_init_leave (&made, 1);
  }
  return &fs;
}

ECLUT_AVX2 void
eclut_edge3_finish_row_avx2 (const EclutLut * lut, gint16 * acc, guint w,
    guint8 * const out[3])
{
  const gint b = lut->rescale_bias;
  const guint shift = lut->rescale_shift;
  const __m256i vbias = _mm256_set1_epi16 ((gint16) b);
  const __m128i vshift = _mm_cvtsi32_si128 ((int) shift);
  const __m256i z = _mm256_setzero_si256 ();
  const FinishShuffles *fs = finish_shuffles ();
  gint16 *blk = acc + 2 * 9;    /* block 0 */
  /* the 144 bytes of 16 blocks as nine 16-byte chunks */
  __m128i chunk[9];
  guint X, i, m, k;

  for (X = 0; X + 16 <= w; X += 16) {
    gint16 *c = blk + 9 * X;
    __m256i a[9];

    /* (S + b) >> s: the patches hold the entries without their bias, so
     * S is the spec's sum; it and S + b fit int16 */
    for (k = 0; k < 9; k++) {
      a[k] = _mm256_sra_epi16 (_mm256_add_epi16 (LOAD (c + 16 * k), vbias),
          vshift);
      /* cleared while in the cache: the slot is reused three rows on */
      STORE (c + 16 * k, z);
    }
    for (k = 0; k < 4; k++) {
      const __m256i p = _mm256_permute4x64_epi64 (_mm256_packus_epi16 (a[2 *
                  k], a[2 * k + 1]), 0xD8);

      chunk[2 * k] = _mm256_castsi256_si128 (p);
      chunk[2 * k + 1] = _mm256_extracti128_si256 (p, 1);
    }
    chunk[8] = _mm_packus_epi16 (_mm256_castsi256_si128 (a[8]),
        _mm256_extracti128_si256 (a[8], 1));
    for (i = 0; i < 3; i++) {
      if (out[i] == NULL)
        continue;
      for (m = 0; m < 3; m++) {
#define MASK(t) _mm_loadu_si128 ((const __m128i *) fs->mask[i][m][t])
        const __m128i *src = chunk + fs->first[i][m];
        __m128i o = _mm_or_si128 (_mm_shuffle_epi8 (src[0], MASK (0)),
            _mm_or_si128 (_mm_shuffle_epi8 (src[1], MASK (1)),
                _mm_shuffle_epi8 (src[2], MASK (2))));

        if (fs->count[i][m] == 4)
          o = _mm_or_si128 (o, _mm_shuffle_epi8 (src[3], MASK (3)));
#undef MASK
        _mm_storeu_si128 ((__m128i *) (out[i] + 3 * X + 16 * m), o);
      }
    }
  }
  for (; X < w; X++)
    for (k = 0; k < 9; k++) {
      gint v = (gint16) (blk[9 * X + k] + b) >> shift;
      guint8 *o = out[k / 3];

      if (o)
        o[3 * X + k % 3] = (guint8) CLAMP (v, 0, 255);
      blk[9 * X + k] = 0;
    }
  /* blocks -2, -1 and w .. (the padding) */
  memset (acc, 0, 2 * 9 * sizeof (gint16));
  memset (blk + 9 * w, 0, (ECLUT_EDGE3_ACC_CELLS (w) - 9 * ((gsize) w + 2)) *
      sizeof (gint16));
}
#endif
