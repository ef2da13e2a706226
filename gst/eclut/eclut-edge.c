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

/* The x2 edge-stencil kernels (see eclut-edge.h for the method). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-edge.h"

#ifdef ECLUT_HAVE_AVX2

/* Pixels per batch of patch pointers. */
#define BATCH 64

#if defined(__GNUC__)
#define PREFETCH(p) __builtin_prefetch (p)
#else
#define PREFETCH(p) ((void) (p))
#endif

#define LOAD(p) _mm256_loadu_si256 ((const __m256i *) (p))
#define STORE(p, v) _mm256_storeu_si256 ((__m256i *) (p), (v))

/* The patch pointers of pixels x0 .. x0 + n - 1, 8 at a time (reading up
 * to 7 pixels past the row, into its padding). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
patch_ptrs (const gint16 ** pv, const gint16 ** ph, const gint16 * tv,
    const gint16 * th, const guint8 * row, const guint8 * next, guint x0,
    guint n)
{
  const __m256i bv = _mm256_set1_epi64x ((gint64) (guintptr) tv);
  const __m256i bh = _mm256_set1_epi64x ((gint64) (guintptr) th);
  const __m256i sv = _mm256_set1_epi32 (ECLUT_EDGE_V_CELLS * sizeof (gint16));
  const __m256i sh = _mm256_set1_epi32 (ECLUT_EDGE_H_CELLS * sizeof (gint16));
  guint i;

#define LOAD8(p) _mm256_cvtepu8_epi32 (_mm_loadl_epi64 ((const __m128i *) (p)))
#define STORE_PTRS(dst, base, o) do { \
    _mm256_storeu_si256 ((__m256i *) (dst), _mm256_add_epi64 (base, \
            _mm256_cvtepu32_epi64 (_mm256_castsi256_si128 (o)))); \
    _mm256_storeu_si256 ((__m256i *) ((dst) + 4), _mm256_add_epi64 (base, \
            _mm256_cvtepu32_epi64 (_mm256_extracti128_si256 (o, 1)))); \
  } while (0)
  for (i = 0; i < n; i += 8) {
    __m256i a = _mm256_slli_epi32 (LOAD8 (row + x0 + i), 8);
    __m256i ov = _mm256_mullo_epi32 (_mm256_or_si256 (a,
            LOAD8 (next + x0 + i)), sv);
    __m256i oh = _mm256_mullo_epi32 (_mm256_or_si256 (a,
            LOAD8 (row + x0 + i + 1)), sh);

    STORE_PTRS (pv + i, bv, ov);
    STORE_PTRS (ph + i, bh, oh);
  }
#undef STORE_PTRS
#undef LOAD8
}

/* Both patches of one pixel into the four rows at cell @o (block j - 1):
 * the two patches' rows are summed first, so that each row takes one
 * read-modify-write. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add_pixel (gint16 * const acc[4], gsize o, const gint16 * v, const gint16 * h)
{
  const __m256i z = _mm256_setzero_si256 ();
  /* all loads of the tables before the stores, which may alias them */
  __m256i v0 = LOAD (v), v1 = LOAD (v + 16), v2 = LOAD (v + 32);
  /* row 3: the last blocks of rows 0, 1, 2, and a zero block */
  __m256i s3 = _mm256_permute2x128_si256 (_mm256_unpackhi_epi64 (v0, v1),
      _mm256_unpackhi_epi64 (v2, z), 0x31);
  __m256i s0 = _mm256_add_epi16 (_mm256_blend_epi32 (v0, z, 0xC0), LOAD (h));
  __m256i s1 = _mm256_add_epi16 (_mm256_blend_epi32 (v1, z, 0xC0),
      LOAD (h + 16));
  __m256i s2 = _mm256_add_epi16 (_mm256_blend_epi32 (v2, z, 0xC0),
      LOAD (h + 32));

  STORE (acc[0] + o, _mm256_add_epi16 (LOAD (acc[0] + o), s0));
  STORE (acc[1] + o, _mm256_add_epi16 (LOAD (acc[1] + o), s1));
  STORE (acc[2] + o, _mm256_add_epi16 (LOAD (acc[2] + o), s2));
  STORE (acc[3] + o, _mm256_add_epi16 (LOAD (acc[3] + o), s3));
}

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
prefetch_pixel (const gint16 * v, const gint16 * h)
{
  /* the tables are 64-byte aligned: a vertical patch (128 bytes) is two
   * whole cache lines, a horizontal one (96 bytes) touches its first and
   * last byte's lines */
  PREFETCH (v);
  PREFETCH ((const guint8 *) v + 95);
  PREFETCH (h);
  PREFETCH ((const guint8 *) h + 95);
}

/* Pixels x0 .. x0 + n - 1 with the pointers @pv/@ph.  Neighbouring pixels'
 * patches overlap by 3 blocks, so adding them in row order would make
 * every read-modify-write wait for the previous pixel's stores (a partial
 * overlap cannot be forwarded); the pixels are taken 4 apart instead (all
 * x = 0 mod 4, then 1, 2, 3), whose patches are disjoint.  With @prefetch
 * the next pixel's patches (one pass later: about 16 pixels ahead in time)
 * are prefetched; with @pf_next, in the last pass, those of the next batch
 * (@nv/@nh, @nn pixels). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add_batch (gint16 * const acc[4], guint x0, guint n,
    const gint16 * const *pv, const gint16 * const *ph,
    const gint16 * const *nv, const gint16 * const *nh, guint nn,
    const gboolean prefetch, gboolean pf_next)
{
  /* in registers: the stores could alias the caller's array */
  gint16 *const a[4] = { acc[0] + x0 * 4, acc[1] + x0 * 4, acc[2] + x0 * 4,
    acc[3] + x0 * 4
  };
  guint p, j;

  for (p = 0; p < 4; p++)
    for (j = p; j < n; j += 4) {
      if (prefetch && p < 3 && j + 1 < n)
        prefetch_pixel (pv[j + 1], ph[j + 1]);
      if (pf_next && p == 3 && j - 3 < nn)
        prefetch_pixel (nv[j - 3], nh[j - 3]);
      add_pixel (a, (gsize) (j + 1) * 4, pv[j], ph[j]);
    }
}

/* Prefetching a pixel's patches costs about a third of its instructions
 * and only pays where they miss the caches: where neighbouring pixels
 * differ a lot (fine detail, noise; a photo's smooth and moderately
 * textured areas read the few patches near the diagonal a = b, which stay
 * cached).  So a batch is prefetched only if the mean over its pixels of
 * |right - x| + |below - x| exceeds this many grey levels. */
#ifndef EDGE_PREFETCH_MEAN_DIFF
#define EDGE_PREFETCH_MEAN_DIFF 8
#endif

/* Whether the patches of pixels x0 .. x0 + n - 1 are worth prefetching.
 * Counts whole 32-pixel steps: the last batch of a row also counts up to
 * 31 pixels of the padding (readable), which only nudges the decision. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE gboolean
busy_batch (const guint8 * row, const guint8 * next, guint x0, guint n)
{
  __m256i acc = _mm256_setzero_si256 ();
  __m128i s;
  guint i;

  for (i = 0; i < n; i += 32) {
    __m256i a = LOAD (row + x0 + i);

    acc = _mm256_add_epi64 (acc, _mm256_sad_epu8 (a, LOAD (row + x0 + i + 1)));
    acc = _mm256_add_epi64 (acc, _mm256_sad_epu8 (a, LOAD (next + x0 + i)));
  }
  s = _mm_add_epi64 (_mm256_castsi256_si128 (acc),
      _mm256_extracti128_si256 (acc, 1));
  s = _mm_add_epi64 (s, _mm_unpackhi_epi64 (s, s));
  return (guint) _mm_cvtsi128_si32 (s) > EDGE_PREFETCH_MEAN_DIFF * n;
}

ECLUT_AVX2 void
eclut_edge_add_row_avx2 (const gint16 * tv, const gint16 * th,
    const guint8 * row, const guint8 * next, guint w, gint16 * const acc[4],
    const guint8 * ahead)
{
  const gint16 *pv[2][BATCH], *ph[2][BATCH];
  guint x0, cur = 0;
  gboolean busy;

  /* the horizontal edge between the left padding and pixel 0 (block -2) */
  {
    const gint16 *h = th + ECLUT_EDGE_INDEX (row[-1], row[0]) *
        ECLUT_EDGE_H_CELLS;
    guint k;

    for (k = 0; k < 3; k++)
      STORE (acc[k], _mm256_add_epi16 (LOAD (acc[k]), LOAD (h + 16 * k)));
  }

  patch_ptrs (pv[0], ph[0], tv, th, row, next, 0, MIN (BATCH, w));
  busy = busy_batch (row, next, 0, MIN (BATCH, w));
  for (x0 = 0; x0 < w; x0 += BATCH, cur ^= 1) {
    const guint n = MIN (BATCH, w - x0);
    const guint nn = w - x0 > BATCH ? MIN (BATCH, w - x0 - BATCH) : 0;
    gboolean busy_next = FALSE;

    /* one line per batch: a row of up to 64 batches */
    if (ahead != NULL)
      PREFETCH (ahead + x0);

    if (nn > 0) {
      patch_ptrs (pv[cur ^ 1], ph[cur ^ 1], tv, th, row, next, x0 + BATCH,
          nn);
      busy_next = busy_batch (row, next, x0 + BATCH, nn);
    }
    if (busy)
      add_batch (acc, x0, n, pv[cur], ph[cur], pv[cur ^ 1], ph[cur ^ 1], nn,
          TRUE, busy_next);
    else
      add_batch (acc, x0, n, pv[cur], ph[cur], pv[cur ^ 1], ph[cur ^ 1], nn,
          FALSE, busy_next);
    busy = busy_next;
  }
}

ECLUT_AVX2 void
eclut_edge_finish_row_avx2 (gint16 * acc, guint w, gint bias, guint shift,
    guint8 * out0, guint8 * out1)
{
  const __m256i vbias = _mm256_set1_epi16 ((gint16) bias);
  const __m128i vshift = _mm_cvtsi32_si128 ((int) shift);
  /* per 128-bit lane after the pack: blocks (2 of a0, 2 of a1) as i0j0
   * i0j1 i1j0 i1j1 bytes; gather row 0 bytes then row 1 bytes, then order
   * the 32-bit pieces as row 0 of blocks 0-7, row 1 of blocks 0-7 */
  const __m256i rows = _mm256_setr_epi8 (0, 1, 4, 5, 8, 9, 12, 13,
      2, 3, 6, 7, 10, 11, 14, 15, 0, 1, 4, 5, 8, 9, 12, 13,
      2, 3, 6, 7, 10, 11, 14, 15);
  const __m256i order = _mm256_setr_epi32 (0, 4, 1, 5, 2, 6, 3, 7);
  const __m256i z = _mm256_setzero_si256 ();
  gint16 *blk = acc + 2 * 4;    /* block 0 */
  guint X, k;

  for (X = 0; X + 8 <= w; X += 8) {
    __m256i a0 = _mm256_sra_epi16 (_mm256_add_epi16 (LOAD (blk + 4 * X),
            vbias), vshift);
    __m256i a1 = _mm256_sra_epi16 (_mm256_add_epi16 (LOAD (blk + 4 * X + 16),
            vbias), vshift);
    __m256i p = _mm256_packus_epi16 (a0, a1);

    /* cleared while in the cache: the ring slot is reused three rows on */
    STORE (blk + 4 * X, z);
    STORE (blk + 4 * X + 16, z);

    p = _mm256_permutevar8x32_epi32 (_mm256_shuffle_epi8 (p, rows), order);
    if (out0)
      _mm_storeu_si128 ((__m128i *) (out0 + 2 * X),
          _mm256_castsi256_si128 (p));
    if (out1)
      _mm_storeu_si128 ((__m128i *) (out1 + 2 * X),
          _mm256_extracti128_si256 (p, 1));
  }
  for (; X < w; X++)
    for (k = 0; k < 4; k++) {
      gint v = (blk[4 * X + k] + bias) >> shift;
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
