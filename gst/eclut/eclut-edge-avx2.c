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


/* The x2 edge path's kernels with AVX2 (eclut-edge.h).  Built with -mavx2
 * (meson.build), run only where the CPU has AVX2 (the plan,
 * eclut-luma.c). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-edge.h"
#include "eclut-lut-private.h"

#ifdef ECLUT_HAVE_AVX2

/* ---- The kernels ------------------------------------------------------ */

/* Pixels per batch of patch pointers. */
#define BATCH 64

#define LOAD(p) _mm256_loadu_si256 ((const __m256i *) (p))
#define STORE(p, v) _mm256_storeu_si256 ((__m256i *) (p), (v))

/* The patch pointers of pixels x0 .. x0 + n - 1, 8 at a time (reading up
 * to 7 pixels past the row, into its padding). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
patch_ptrs (const guint8 ** pv, const guint8 ** ph, const guint8 * tv,
    const guint8 * th, guint bytes, const guint8 * row, const guint8 * next,
    guint x0, guint n)
{
  const __m256i sz = _mm256_set1_epi32 ((gint) bytes);
  guint i;

#define LOAD8(p) _mm256_cvtepu8_epi32 (_mm_loadl_epi64 ((const __m128i *) (p)))
  for (i = 0; i < n; i += 8) {
    __m256i a = _mm256_slli_epi32 (LOAD8 (row + x0 + i), 8);
    __m256i ov = _mm256_mullo_epi32 (_mm256_or_si256 (a,
            LOAD8 (next + x0 + i)), sz);
    __m256i oh = _mm256_mullo_epi32 (_mm256_or_si256 (a,
            LOAD8 (row + x0 + i + 1)), sz);

    eclut_store_ptrs8_avx2 (pv + i, tv, ov);
    eclut_store_ptrs8_avx2 (ph + i, th, oh);
  }
#undef LOAD8
}

/* The compact layout is read in two 32-byte loads per patch and widened
 * in-lane (vpunpck*bw): the byte loads are what bounds this loop, and a
 * 16-byte widening load per row would take 4 or 5 of them. */
#define ALOAD(p) _mm256_load_si256 ((const __m256i *) (p))

/* The three rows of a horizontal patch as 4-block vectors. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
h_rows (const guint8 * h, const gboolean compact, __m256i r[3])
{
  if (compact) {
    const __m256i z = _mm256_setzero_si256 ();
    const __m256i p0 = ALOAD (h), p1 = ALOAD (h + 32);

    r[0] = _mm256_unpacklo_epi8 (p0, z);
    r[2] = _mm256_unpackhi_epi8 (p0, z);
    /* row 1 takes the high bytes of its wide cells from slot 3 */
    r[1] = _mm256_unpacklo_epi8 (p1, _mm256_srli_si256 (p1, 8));
  } else {
    r[0] = LOAD (h);
    r[1] = LOAD (h + 32);
    r[2] = LOAD (h + 64);
  }
}

/* The four rows of a vertical patch as 4-block vectors (block 3 zero). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
v_rows (const guint8 * v, const gboolean compact, __m256i r[4])
{
  const __m256i z = _mm256_setzero_si256 ();

  if (compact) {
    const __m256i p0 = ALOAD (v), p1 = ALOAD (v + 32);
    /* the high bytes of the wide cells (block 3 of slots 2 and 3) moved
     * under block 1 of slots 0 and 1, zero elsewhere */
    const __m256i hi = _mm256_permute2x128_si256 (_mm256_blend_epi32 (z,
            p1, 0xA0), z, 0x21);

    r[1] = _mm256_unpacklo_epi8 (p0, hi);
    r[2] = _mm256_unpackhi_epi8 (p0, hi);
    r[0] = _mm256_blend_epi32 (_mm256_unpacklo_epi8 (p1, z), z, 0xC0);
    r[3] = _mm256_blend_epi32 (_mm256_unpackhi_epi8 (p1, z), z, 0xC0);
  } else {
    /* row 3 is made of the spare blocks of rows 0 .. 2 */
    const __m256i v0 = LOAD (v), v1 = LOAD (v + 32), v2 = LOAD (v + 64);

    r[3] = _mm256_permute2x128_si256 (_mm256_unpackhi_epi64 (v0, v1),
        _mm256_unpackhi_epi64 (v2, z), 0x31);
    r[0] = _mm256_blend_epi32 (v0, z, 0xC0);
    r[1] = _mm256_blend_epi32 (v1, z, 0xC0);
    r[2] = _mm256_blend_epi32 (v2, z, 0xC0);
  }
}

#undef ALOAD

/* The patches of one pixel of LR row t (and one of row t + 1 below it, if
 * @two) into the rows at cell @o (block j - 1) of @acc (block rows t - 1
 * .. t + 2, or t + 3).  Rows that two patches (or two pixels) share are
 * summed in registers first, so that each row takes one read-modify-write:
 * 5 for two pixels instead of 8. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add_pixel (gint16 * const acc[5], gsize o, const guint8 * const p[4],
    const gboolean compact, const gboolean two)
{
  __m256i s[4], u[4], hr[3];

  /* written out, not as loops: GCC kept those and their arrays in
   * memory */
  v_rows (p[0], compact, s);
  h_rows (p[1], compact, hr);
  s[0] = _mm256_add_epi16 (s[0], hr[0]);
  s[1] = _mm256_add_epi16 (s[1], hr[1]);
  s[2] = _mm256_add_epi16 (s[2], hr[2]);
  STORE (acc[0] + o, _mm256_add_epi16 (LOAD (acc[0] + o), s[0]));
  if (two) {
    v_rows (p[2], compact, u);
    h_rows (p[3], compact, hr);
    s[1] = _mm256_add_epi16 (s[1], _mm256_add_epi16 (u[0], hr[0]));
    s[2] = _mm256_add_epi16 (s[2], _mm256_add_epi16 (u[1], hr[1]));
    s[3] = _mm256_add_epi16 (s[3], _mm256_add_epi16 (u[2], hr[2]));
    STORE (acc[4] + o, _mm256_add_epi16 (LOAD (acc[4] + o), u[3]));
  }
  STORE (acc[1] + o, _mm256_add_epi16 (LOAD (acc[1] + o), s[1]));
  STORE (acc[2] + o, _mm256_add_epi16 (LOAD (acc[2] + o), s[2]));
  STORE (acc[3] + o, _mm256_add_epi16 (LOAD (acc[3] + o), s[3]));
}

/* The patch pointers of a batch: vertical and horizontal of row t, then
 * of row t + 1, each for the batch's pixels. */
typedef struct
{
  const guint8 *p[4][BATCH];
} Ptrs;

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
prefetch_pixel (const Ptrs * pp, guint j, const gboolean compact,
    const gboolean two)
{
  /* compact patches are one cache line; 96-byte ones two (64-byte
   * aligned or not, the lines of their first and last bytes) */
#define PF(k) do { ECLUT_PREFETCH (pp->p[k][j]); \
    if (!compact) ECLUT_PREFETCH (pp->p[k][j] + 95); } while (0)
  PF (0);
  PF (1);
  if (two) {
    PF (2);
    PF (3);
  }
#undef PF
}

/* Pixels x0 .. x0 + n - 1 with the pointers @pp.  Neighbouring pixels'
 * patches overlap by 3 blocks, so adding them in row order would make
 * every read-modify-write wait for the previous pixel's stores (a partial
 * overlap cannot be forwarded); the pixels are taken 4 apart instead (all
 * x = 0 mod 4, then 1, 2, 3), whose patches are disjoint.  With @prefetch
 * the next pixel's patches (one pass later: about 16 pixels ahead in time)
 * are prefetched; with @pf_next, in the last pass, those of the next batch
 * (@np, @nn pixels). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add_batch (gint16 * const acc[5], guint x0, guint n, const Ptrs * pp,
    const Ptrs * np, guint nn, const gboolean compact, const gboolean two,
    const gboolean prefetch, gboolean pf_next)
{
  /* in registers: the stores could alias the caller's array */
  gint16 *const a[5] = { acc[0] + x0 * 4, acc[1] + x0 * 4, acc[2] + x0 * 4,
    acc[3] + x0 * 4, two ? acc[4] + x0 * 4 : NULL
  };
  guint p, j;

#define PIXEL(j) do { \
    const guint8 *const q[4] = { pp->p[0][j], pp->p[1][j], \
      two ? pp->p[2][j] : NULL, two ? pp->p[3][j] : NULL \
    }; \
    add_pixel (a, (gsize) ((j) + 1) * 4, q, compact, two); \
  } while (0)
  /* the last pass apart, so that no test of @pf_next is left in the
   * loops that do not prefetch (the loop is bound by its instructions) */
  for (p = 0; p < 3; p++)
    for (j = p; j < n; j += 4) {
      if (prefetch && j + 1 < n)
        prefetch_pixel (pp, j + 1, compact, two);
      PIXEL (j);
    }
  if (pf_next) {
    for (j = 3; j < n; j += 4) {
      if (j - 3 < nn)
        prefetch_pixel (np, j - 3, compact, two);
      PIXEL (j);
    }
  } else {
    for (j = 3; j < n; j += 4)
      PIXEL (j);
  }
#undef PIXEL
}

/* Prefetching a pixel's patches costs instructions and only pays where
 * they miss the caches: where neighbouring pixels differ a lot (fine
 * detail, noise; a photo's smooth areas read the few patches near the
 * diagonal a = b, which stay cached).  So a batch is prefetched only if
 * the mean over its pixels of |right - x| + |below - x| exceeds this many
 * grey levels (the threshold was chosen on the x2 pipeline benchmark,
 * docs/performance.md). */
#ifndef EDGE_PREFETCH_MEAN_DIFF
#define EDGE_PREFETCH_MEAN_DIFF 8
#endif

/* The patch pointers of pixels x0 .. x0 + n - 1 of rows t (and t + 1)
 * into @pp, and whether they are worth prefetching (the mean difference
 * over both rows). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE gboolean
batch_ptrs (const EclutEdgeTables * et, const guint8 * const src[3],
    guint x0, guint n, Ptrs * pp, const gboolean two)
{
  const guint bytes = et->bytes;
  guint diff;

  patch_ptrs (pp->p[0], pp->p[1], et->v, et->h, bytes, src[0],
      src[1], x0, n);
  diff = eclut_busy_sum_avx2 (src[0] + x0, src[1] + x0, n);
  if (two) {
    patch_ptrs (pp->p[2], pp->p[3], et->v, et->h, bytes, src[1],
        src[2], x0, n);
    diff += eclut_busy_sum_avx2 (src[1] + x0, src[2] + x0, n);
  }
  return diff > EDGE_PREFETCH_MEAN_DIFF * n * (two ? 2 : 1);
}

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add_rows (const EclutEdgeTables * et, const guint8 * const src[3], guint w,
    gint16 * const acc[5], const guint8 * ahead, const gboolean compact,
    const gboolean two)
{
  const guint bytes = et->bytes;
  Ptrs pp[2];
  guint x0, cur = 0, r, k;
  gboolean busy;

  /* the horizontal edges between the left padding and pixel 0 (block -2) */
  for (r = 0; r < (two ? 2u : 1u); r++) {
    __m256i hr[3];

    h_rows (et->h + ECLUT_EDGE_INDEX (src[r][-1], src[r][0]) * bytes,
        compact, hr);
    for (k = 0; k < 3; k++)
      STORE (acc[r + k], _mm256_add_epi16 (LOAD (acc[r + k]), hr[k]));
  }

  busy = batch_ptrs (et, src, 0, MIN (BATCH, w), &pp[0], two);
  for (x0 = 0; x0 < w; x0 += BATCH, cur ^= 1) {
    const guint n = MIN (BATCH, w - x0);
    const guint nn = w - x0 > BATCH ? MIN (BATCH, w - x0 - BATCH) : 0;
    gboolean busy_next = FALSE;

    /* one line per batch: a row of up to 64 batches */
    if (ahead != NULL)
      ECLUT_PREFETCH (ahead + x0);
    if (nn > 0)
      busy_next = batch_ptrs (et, src, x0 + BATCH, nn, &pp[cur ^ 1], two);
    if (busy)
      add_batch (acc, x0, n, &pp[cur], &pp[cur ^ 1], nn, compact, two, TRUE,
          busy_next);
    else
      add_batch (acc, x0, n, &pp[cur], &pp[cur ^ 1], nn, compact, two, FALSE,
          busy_next);
    busy = busy_next;
  }
}

ECLUT_AVX2 void
eclut_edge_add_rows_avx2 (const EclutEdgeTables * et,
    const guint8 * const src[3], guint n_rows, guint w, gint16 * const acc[5],
    const guint8 * ahead)
{
  const gboolean compact = et->bytes == ECLUT_EDGE_COMPACT_BYTES;

  if (n_rows == 2 && compact)
    add_rows (et, src, w, acc, ahead, TRUE, TRUE);
  else if (n_rows == 2)
    add_rows (et, src, w, acc, ahead, FALSE, TRUE);
  else if (compact)
    add_rows (et, src, w, acc, ahead, TRUE, FALSE);
  else
    add_rows (et, src, w, acc, ahead, FALSE, FALSE);
}

ECLUT_AVX2 void
eclut_edge_finish_row_avx2 (const EclutLut * lut, const EclutEdgeTables * et,
    gint16 * acc, guint w, guint8 * out0, guint8 * out1)
{
  const gint b = lut->rescale_bias;
  const gint16 *eb = et->bias;
  const guint shift = lut->rescale_shift;
  /* the rescale bias and the compact layout's, per sub-pixel */
  const __m256i vbias = _mm256_setr_epi16 (b + eb[0], b + eb[1], b + eb[2],
      b + eb[3], b + eb[0], b + eb[1], b + eb[2], b + eb[3], b + eb[0],
      b + eb[1], b + eb[2], b + eb[3], b + eb[0], b + eb[1], b + eb[2],
      b + eb[3]);
  const __m128i vshift = _mm_cvtsi32_si128 ((int) shift);
  const __m256i z = _mm256_setzero_si256 ();
  gint16 *blk = acc + 2 * 4;    /* block 0 */
  guint X, k;

  /* the sums with the biases added back fit int16 (|S| <= 36 * 128), so
   * the wrapping adds are exact: modulo 2^16 the biased cells and their
   * partial sums give the same result */
  for (X = 0; X + 8 <= w; X += 8) {
    __m256i a0 = _mm256_sra_epi16 (_mm256_add_epi16 (LOAD (blk + 4 * X),
            vbias), vshift);
    __m256i a1 = _mm256_sra_epi16 (_mm256_add_epi16 (LOAD (blk + 4 * X + 16),
            vbias), vshift);
    __m256i p = eclut_blocks2_to_rows_avx2 (a0, a1);

    /* cleared while in the cache: the ring slot is reused three rows on */
    STORE (blk + 4 * X, z);
    STORE (blk + 4 * X + 16, z);
    if (out0)
      _mm_storeu_si128 ((__m128i *) (out0 + 2 * X), _mm256_castsi256_si128 (p));
    if (out1)
      _mm_storeu_si128 ((__m128i *) (out1 + 2 * X),
          _mm256_extracti128_si256 (p, 1));
  }
  for (; X < w; X++)
    for (k = 0; k < 4; k++) {
      /* int16 wrap, as the vectors (the true sum fits) */
      gint v = (gint16) (blk[4 * X + k] + b + eb[k]) >> shift;
      guint8 *out = k < 2 ? out0 : out1;

      if (out)
        out[2 * X + k % 2] = (guint8) CLAMP (v, 0, 255);
      blk[4 * X + k] = 0;
    }
  /* and the margins: blocks -2, -1, w, w + 1 */
  memset (acc, 0, 8 * sizeof (gint16));
  memset (blk + 4 * w, 0, 8 * sizeof (gint16));
}

#endif /* ECLUT_HAVE_AVX2 */
