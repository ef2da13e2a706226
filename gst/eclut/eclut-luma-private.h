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
 * plan (EclutLumaPlan: which path and which functions run for a stream,
 * chosen in eclut_luma_plan_new ()), and the paths: the general path in
 * eclut-luma.c, the block path in eclut-block.c, the x2 edge path in
 * eclut-edge.c. */

#ifndef __ECLUT_LUMA_PRIVATE_H__
#define __ECLUT_LUMA_PRIVATE_H__

#include <string.h>

#include <glib.h>

#include "eclut-edge.h"
#include "eclut-edge3.h"
#include "eclut-luma.h"
#include "eclut-lut-private.h"
#include "eclut-simd.h"

G_BEGIN_DECLS

/* int16 cells of padding on each side of a plane row: >= the largest shift
 * (4), and a multiple of 8 to keep the row body 16-byte aligned. */
#define ECLUT_PLANE_PAD 8

/* Reflect padding without edge repeat, any distance (spec's refl). */
static inline guint
eclut_refl (gint64 t, guint n)
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
eclut_channel_row_stride (guint r, guint in_width)
{
  return (((gsize) in_width + 2) * r * r + 7) & ~(gsize) 7;
}

/* The AVX2 block gather reads LR rows 8 (and 32) pixels at a time from
 * copies with ECLUT_ROW_PAD bytes on each side (edge-replicated next to the
 * row), so that the left and right neighbours need no clamping and no read
 * goes past the caller's buffer. */
#define ECLUT_ROW_PAD 64

static inline gsize
eclut_padded_row_size (guint in_width)
{
  return (gsize) in_width + 2 * ECLUT_ROW_PAD;
}

typedef struct _EclutLumaCtx EclutLumaCtx;
typedef struct _EclutBlockCtx EclutBlockCtx;

/* A path: HR rows [out_y0, out_y1) into @dst (row y at
 * eclut_luma_out_row ()), in increasing order, each finished stretch told
 * to eclut_luma_rows_done (); with the plan's scratch. */
typedef void (*EclutLumaRowsFunc) (EclutLumaCtx * ctx, gint16 * scratch,
    guint8 * dst, gint dst_stride, guint out_y0, guint out_y1);
/* The general path's gather: the plane rows of LR row @y. */
typedef void (*EclutGatherRowFunc) (EclutLumaCtx * ctx, guint y,
    gint16 * planes);
/* The block path's gather (the channel rows of LR row @y) and expand (HR
 * rows [Y r + i0, Y r + i1) of LR row @Y, row Y r + i at out[i]). */
typedef void (*EclutBlockGatherFunc) (EclutBlockCtx * bc, guint y,
    gint16 * chans);
typedef void (*EclutBlockExpandFunc) (EclutBlockCtx * bc, guint Y,
    guint i0, guint i1, guint8 * const out[4]);
/* The edge paths' kernels (eclut-edge.h, eclut-edge3.h): add the patches
 * of LR rows src[0 .. n_rows - 1] to the accumulator rows, and finish one
 * accumulator row into the r HR rows @out (NULL: not written). */
typedef void (*EclutEdgeAddRowsFunc) (gconstpointer tables,
    const guint8 * const src[3], guint n_rows, guint w,
    gint16 * const acc[5], const guint8 * ahead);
typedef void (*EclutEdgeFinishFunc) (const EclutLut * lut,
    gconstpointer tables, gint16 * acc, guint w, guint8 * const out[4]);

/* Everything that does not change within a stream.  A new path (a refine
 * stage, 10-bit planes) is one more entry: its function(s), its tables,
 * its scratch, and its case in eclut_luma_plan_new (). */
struct _EclutLumaPlan
{
  EclutLut *lut;                /* a reference */
  guint w, h;                   /* LR size */
  guint r, st;
  gsize rs;                     /* general path: plane row stride, cells */
  EclutSimdLevel simd;
  EclutSamples samples;         /* the planes' layout */
  gchar description[80];
  gsize scratch_size;           /* bytes, for the path and what it calls */
  EclutLumaRowsFunc rows;       /* the path */
  /* the row functions of the paths for this scale and instruction set
   * (NULL where a path does not exist) */
  EclutGatherRowFunc gather_row;
  EclutBlockGatherFunc block_gather;
  EclutBlockExpandFunc block_expand;
  /* the edge path (x2 or x3): its tables, kernels and accumulator rows,
   * and the path that its border rows take */
  gconstpointer edge_tables;
  EclutEdgeAddRowsFunc edge_add_rows;
  EclutEdgeFinishFunc edge_finish_row;
  gsize edge_acc_cells;
  EclutLumaRowsFunc edge_border_rows;
  /* 10-bit planes (eclut-luma10.c): the rescale to 10 bits, out = clamp
   * ((((S + bias10) << lshift10) >> shift10) + add10 + remainder) */
  gint bias10, add10;
  guint lshift10, shift10;
  EclutLumaRowsFunc rows10;     /* the path on the H plane */
  gsize h_offset;               /* where the H plane is in the scratch */
};

/* The state of one call (one thread's stripe). */
struct _EclutLumaCtx
{
  const EclutLumaPlan *plan;
  const EclutLut *lut;
  const guint8 *src;
  gint src_stride;
  guint w, h;                   /* LR size */
  guint r, st;
  gsize rs;                     /* plane row stride, int16 cells */
  gint16 *ring[3];              /* plane rows of 3 LR rows */
  gint ring_row[3];             /* LR row held by each ring slot, -1: none */
  gint16 *block;                /* one summed block (plain C path) */
  /* 10-bit planes: src is the H plane (the top 8 bits of the rows that
   * the call reads, made by eclut-luma10.c), src10 the caller's plane */
  const guint8 *src10;
  gint src10_stride;
  /* eclut_luma_plan_stream_rows (): HR row y goes to row y % out_ring of
   * the destination (0: row y), and @done is told of each finished
   * stretch of rows */
  guint out_ring;
  EclutRowsDoneFunc done;
  gpointer done_data;
};

/* Where HR row @y goes: row y of @dst, or of the stream's ring
 * (eclut_luma_plan_stream_rows ()) */
static inline guint8 *
eclut_luma_out_row (const EclutLumaCtx * ctx, guint8 * dst, gint dst_stride,
    guint y)
{
  return dst + (gssize) (ctx->out_ring ? y % ctx->out_ring : y) * dst_stride;
}

/* Tells the stream's consumer, if any, that the rows below @n are
 * written: each path calls it as its rows are done, in increasing order */
static inline void
eclut_luma_rows_done (const EclutLumaCtx * ctx, guint n)
{
  if (ctx->done != NULL)
    ctx->done (ctx->done_data, n);
}

/* d = a + b + c + e over a whole padded block (biased cells, see
 * eclut-lut-private.h; the sum is at most 4 * 255).  restrict and a
 * constant, vector-multiple @n let GCC's -O2 vectoriser (cheap model: no
 * runtime alias or remainder checks) use SIMD. */
static ECLUT_ALWAYS_INLINE void
eclut_sum4 (gint16 * restrict d, const guint8 * restrict a,
    const guint8 * restrict b, const guint8 * restrict c,
    const guint8 * restrict e, const guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    d[i] = (gint16) (a[i] + b[i] + c[i] + e[i]);
}

/* Table blocks are read at random (photographic content misses the caches
 * on most of them); asking for the blocks of a pixel a few pixels ahead
 * overlaps those misses with work (docs/performance.md). */
#define ECLUT_PREFETCH_AHEAD 6


static ECLUT_ALWAYS_INLINE void
eclut_prefetch_block (const guint8 * b, const guint bs)
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

/* The four rotations' blocks of pixel @x, in ring slot @x % ECLUT_PF_RING. */
#define ECLUT_PF_RING 8
G_STATIC_ASSERT (ECLUT_PREFETCH_AHEAD < ECLUT_PF_RING);

static ECLUT_ALWAYS_INLINE void
eclut_pixel_blocks (const EclutLumaCtx * ctx, const guint8 * row,
    const guint8 * below, const guint8 * above, guint x, const guint r,
    const guint8 * ring[ECLUT_PF_RING][4], const gboolean prefetch)
{
  const guint bs = ECLUT_LUT_BLOCK_STRIDE (r), w = ctx->w;
  const guint a = row[x];
  const guint8 **b = ring[x % ECLUT_PF_RING];

  b[0] = ctx->lut->rot[0] + ECLUT_LUT_BLOCK_INDEX (r, a, below[x]) * bs;
  b[1] = ctx->lut->rot[1] + ECLUT_LUT_BLOCK_INDEX (r, a,
      row[x > 0 ? x - 1 : 0]) * bs;
  b[2] = ctx->lut->rot[2] + ECLUT_LUT_BLOCK_INDEX (r, a, above[x]) * bs;
  b[3] = ctx->lut->rot[3] + ECLUT_LUT_BLOCK_INDEX (r, a,
      row[x + 1 < w ? x + 1 : x]) * bs;
  if (prefetch) {
    eclut_prefetch_block (b[0], bs);
    eclut_prefetch_block (b[1], bs);
    eclut_prefetch_block (b[2], bs);
    eclut_prefetch_block (b[3], bs);
  }
}

#ifdef ECLUT_HAVE_SSE2
static ECLUT_ALWAYS_INLINE void
eclut_store_hi64 (gint16 * out, __m128i v)
{
  /* not _mm_storeh_pd: it stores through a double *, which must be 8-byte
   * aligned (UBSan); _mm_storel_epi64 takes any address */
  _mm_storel_epi64 ((__m128i *) out, _mm_unpackhi_epi64 (v, v));
}

#endif

#ifdef ECLUT_HAVE_AVX2
/* 16 table bytes at @off of two blocks, widened and summed. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m256i
eclut_sum2_avx2 (const guint8 * a, const guint8 * b, gsize off)
{
  return _mm256_add_epi16 (_mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const
                  __m128i *) (a + off))),
      _mm256_cvtepu8_epi16 (_mm_loadu_si128 ((const __m128i *) (b + off))));
}

/* The same for 8 bytes. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m128i
eclut_sum2_8_avx2 (const guint8 * a, const guint8 * b, gsize off)
{
  return _mm_add_epi16 (_mm_cvtepu8_epi16 (_mm_loadl_epi64 ((const __m128i *)
              (a + off))),
      _mm_cvtepu8_epi16 (_mm_loadl_epi64 ((const __m128i *) (b + off))));
}

/* 16 table bytes at @off of each of the four blocks, widened and summed. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m256i
eclut_sum4_avx2 (const guint8 * const *b, gsize off)
{
  return _mm256_add_epi16 (eclut_sum2_avx2 (b[0], b[1], off),
      eclut_sum2_avx2 (b[2], b[3], off));
}
#endif

/* Copies the @w pixels of the LR row @src to @dst[0 .. w-1] and
 * replicates its edge pixels over the ECLUT_ROW_PAD bytes on each side. */
static inline void
eclut_pad_row (guint8 * dst, const guint8 * src, guint w)
{
  memcpy (dst, src, w);
  memset (dst - ECLUT_ROW_PAD, src[0], ECLUT_ROW_PAD);
  memset (dst + w, src[w - 1], ECLUT_ROW_PAD);
}

static ECLUT_ALWAYS_INLINE guint8
eclut_rescale1 (gint v, gint bias, guint shift)
{
  gint o = ((v + bias) >> shift) - (ECLUT_LUT_SUM_BIAS >> shift);

  return (guint8) CLAMP (o, 0, 255);
}

/* The plane row (c * r + i) of a block's chunk q = s * r + i (slot s holds
 * channel ECLUT_LUT_SLOT (r, s)). */
static ECLUT_ALWAYS_INLINE guint
eclut_plane_of_chunk (guint q, const guint r)
{
  /* x3 and x4 blocks keep the channels in order */
  return r != 2 ? q : ECLUT_LUT_SLOT (2, q / 2) * 2 + q % 2;
}

#ifdef ECLUT_HAVE_AVX2
/* The general path's gathers with AVX2 (eclut-luma-avx2.c). */
void eclut_gather_row_avx2_3 (EclutLumaCtx * ctx, guint y, gint16 * planes);
void eclut_gather_row_avx2_4 (EclutLumaCtx * ctx, guint y, gint16 * planes);
#endif

/* The block path (eclut-block.c), for tables with expand step r: its
 * functions for scale @r and @simd (FALSE where there are none: below
 * SSE2, and at x3), its scratch, its rows (a EclutLumaRowsFunc). */
gboolean eclut_block_funcs (guint r, EclutSimdLevel simd,
    EclutBlockGatherFunc * gather, EclutBlockExpandFunc * expand);
gsize eclut_block_scratch_size (guint r, guint in_width);
void eclut_block_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch,
    guint8 * dst, gint dst_stride, guint out_y0, guint out_y1);

/* The edge paths (eclut-edge.c; AVX2, x2 and x3 with expand step r, w and
 * h >= 3): the scratch (without the border rows' path), the rows, and the
 * kernels of each scale. */
gsize eclut_edge_scratch_size (guint r, guint in_width);
void eclut_edge_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch,
    guint8 * dst, gint dst_stride, guint out_y0, guint out_y1);
#ifdef ECLUT_HAVE_AVX2
void eclut_edge2_add_rows (gconstpointer tables, const guint8 * const src[3],
    guint n_rows, guint w, gint16 * const acc[5], const guint8 * ahead);
void eclut_edge2_finish_row (const EclutLut * lut, gconstpointer tables,
    gint16 * acc, guint w, guint8 * const out[4]);
void eclut_edge3_add_rows (gconstpointer tables, const guint8 * const src[3],
    guint n_rows, guint w, gint16 * const acc[5], const guint8 * ahead);
void eclut_edge3_finish_row (const EclutLut * lut, gconstpointer tables,
    gint16 * acc, guint w, guint8 * const out[4]);
#endif

/* The general path (eclut-luma.c), which the x3 edge path's border rows
 * take. */
void eclut_general_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch,
    guint8 * dst, gint dst_stride, guint out_y0, guint out_y1);
gsize eclut_general_scratch_size (guint r, gsize rs);
/* Its gather of LR row @y: the plane rows and their reflect padding. */
void eclut_general_gather_row (EclutLumaCtx * ctx, guint y, gint16 * planes);

/* 10-bit planes (eclut-luma10.c): turns the 8-bit plan made for @plan's
 * table and size into the 10-bit one for plan->samples (its path, scratch
 * and description). */
void eclut_luma10_plan_init (EclutLumaPlan * plan);
/* The 10-bit rescale of the edge paths: finishes accumulator row @acc (as
 * eclut_edge_finish_row_avx2 () or eclut_edge3_finish_row_avx2 ()) of LR
 * row @Y into the 16-bit HR rows out[0 .. r - 1] (NULL: not written). */
void eclut_luma10_edge_finish_row (const EclutLumaCtx * ctx, gint16 * acc,
    guint Y, guint8 * const out[4]);
/* One 10-bit HR sample (Y, X) from its sum @v (without biases) into the
 * 16-bit HR row @out. */
void eclut_luma10_store1 (const EclutLumaCtx * ctx, guint8 * out, guint Y,
    guint X, gint v);
#ifdef ECLUT_HAVE_AVX2
void eclut_edge_finish_row10_avx2 (const EclutLumaPlan * plan,
    const EclutEdgeTables * et, gint16 * acc, guint8 * out0, guint8 * out1,
    const guint8 * lr);
void eclut_block_expand10_avx2_4 (EclutBlockCtx * bc, guint Y, guint i0,
    guint i1, guint8 * const out[4]);
void eclut_edge3_finish_row10_avx2 (const EclutLumaPlan * plan, gint16 * acc,
    const guint8 * lr, guint8 * const out[4]);
#endif

G_END_DECLS

#endif /* __ECLUT_LUMA_PRIVATE_H__ */
