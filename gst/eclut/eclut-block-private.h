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

/* The block path's pieces that its instruction sets share (not
 * installed): eclut-block.c (the channel row ring, the plain C parts),
 * eclut-block-sse2.c and eclut-block-avx2.c (the gathers and expands). */

#ifndef __ECLUT_BLOCK_PRIVATE_H__
#define __ECLUT_BLOCK_PRIVATE_H__

#include "eclut-luma-private.h"

G_BEGIN_DECLS

struct _EclutBlockCtx
{
  EclutLumaCtx *ctx;
  gsize cs;                     /* channel row stride, cells */
  gint16 *slot[4];              /* 3 ring slots + the virtual row */
  gint slot_row[4];
  guint8 *padded[3];            /* AVX2 gather: row, below, above copies */
};

/* The nine channel-row pointers of HR block row @Y (eclut-block.c). */
void eclut_block_sources (EclutBlockCtx * bc, guint Y, const gint16 * src[9]);

/* Blocks X0 .. w-1 of HR rows [Y r + i0, Y r + i1), one cell at a time
 * (the end of a row that the vector loops leave). */
void eclut_block_expand_tail (const EclutLumaCtx * ctx,
    const gint16 * const *src, guint8 * const *out, guint X0, guint i0,
    guint i1, guint r);

#ifdef ECLUT_HAVE_SSE2
void eclut_block_gather_sse2_2 (EclutBlockCtx * bc, guint y, gint16 * chans);
void eclut_block_gather_sse2_4 (EclutBlockCtx * bc, guint y, gint16 * chans);
void eclut_block_expand_sse2_2 (EclutBlockCtx * bc, guint Y, guint i0,
    guint i1, guint8 * const out[4]);
void eclut_block_expand_sse2_4 (EclutBlockCtx * bc, guint Y, guint i0,
    guint i1, guint8 * const out[4]);
#endif

#ifdef ECLUT_HAVE_AVX2
void eclut_block_gather_avx2_2 (EclutBlockCtx * bc, guint y, gint16 * chans);
void eclut_block_gather_avx2_4 (EclutBlockCtx * bc, guint y, gint16 * chans);
void eclut_block_expand_avx2_2 (EclutBlockCtx * bc, guint Y, guint i0,
    guint i1, guint8 * const out[4]);
void eclut_block_expand_avx2_4 (EclutBlockCtx * bc, guint Y, guint i0,
    guint i1, guint8 * const out[4]);
#endif

G_END_DECLS

#endif /* __ECLUT_BLOCK_PRIVATE_H__ */
