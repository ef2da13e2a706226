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


/* The general path's gather with AVX2 at x3 and x4 (eclut-luma.c).  Built
 * with -mavx2 (meson.build), run only where the CPU has AVX2 (the
 * plan). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-luma-private.h"

#ifdef ECLUT_HAVE_AVX2
/* The general path's gather (gather_row_r) with AVX2, for r = 3 and 4,
 * whose chunks are 4 cells: a 16-byte load of each block widens to four
 * chunks at once (SSE2 needs two unpacks and twice the adds for them).
 * Used by every x3 table and by step-1 tables at x4. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
gather_row_avx2_r (EclutLumaCtx * ctx, guint y, gint16 * planes, const guint r)
{
  const guint w = ctx->w, nq = 9 * r;
  const gsize rs = ctx->rs;
  const guint8 *row = ctx->src + (gssize) y * ctx->src_stride;
  const guint8 *below = y + 1 < ctx->h ? row + ctx->src_stride : row;
  const guint8 *above = y > 0 ? row - ctx->src_stride : row;
  const guint8 *ring[ECLUT_PF_RING][4];
  guint x, v;

  G_STATIC_ASSERT (ECLUT_LUT_CHUNK (3) == 4);
  for (x = 0; x < w && x < ECLUT_PREFETCH_AHEAD; x++)
    eclut_pixel_blocks (ctx, row, below, above, x, r, ring, FALSE);

  for (x = 0; x < w; x++) {
    const guint8 *const *b = ring[x % ECLUT_PF_RING];
    gint16 *out = planes + ECLUT_PLANE_PAD + (gsize) x * r;

    if (x + ECLUT_PREFETCH_AHEAD < w)
      eclut_pixel_blocks (ctx, row, below, above, x + ECLUT_PREFETCH_AHEAD, r,
          ring, TRUE);
    /* vector v holds chunks 4v .. 4v + 3 (plane rows q = c r + i); a chunk
     * store at r = 3 writes one cell past the chunk, which the next pixel
     * (or the reflect padding) overwrites */
    for (v = 0; 4 * v < nq; v++) {
      __m256i sum = eclut_sum4_avx2 (b, 16 * v);
      __m128i lo = _mm256_castsi256_si128 (sum);
      __m128i hi = _mm256_extracti128_si256 (sum, 1);
      const guint q = 4 * v;

      _mm_storel_epi64 ((__m128i *) (out + eclut_plane_of_chunk (q, r) * rs), lo);
      if (q + 1 < nq)
        eclut_store_hi64 (out + eclut_plane_of_chunk (q + 1, r) * rs, lo);
      if (q + 2 < nq)
        _mm_storel_epi64 ((__m128i *) (out + eclut_plane_of_chunk (q + 2,
                    r) * rs), hi);
      if (q + 3 < nq)
        eclut_store_hi64 (out + eclut_plane_of_chunk (q + 3, r) * rs, hi);
    }
  }
}

ECLUT_AVX2 void
eclut_gather_row_avx2_3 (EclutLumaCtx * ctx, guint y, gint16 * planes)
{
  gather_row_avx2_r (ctx, y, planes, 3);
}

ECLUT_AVX2 void
eclut_gather_row_avx2_4 (EclutLumaCtx * ctx, guint y, gint16 * planes)
{
  gather_row_avx2_r (ctx, y, planes, 4);
}
#endif
