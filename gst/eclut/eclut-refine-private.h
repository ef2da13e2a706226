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

/* The pieces of the refine stage that its instruction-set variants share
 * (not installed): the re-laid table, the plan of kernels chosen once in
 * eclut_refine_new (), and the kernels of eclut-refine.c (plain C),
 * eclut-refine-sse2.c and eclut-refine-avx2.c. */

#ifndef __ECLUT_REFINE_PRIVATE_H__
#define __ECLUT_REFINE_PRIVATE_H__

#include "eclut-refine.h"
#include "eclut-simd.h"

G_BEGIN_DECLS

/* Bytes per pair of the re-laid table: the 9 channels ordered so that
 * each of the 6 channel triples a (rotation, source row) reads is 3
 * consecutive bytes (eclut-refine.c), padded to 16 so that an entry never
 * straddles a cache line and a 4-byte read at any triple stays inside. */
#define ECLUT_REFINE_ENTRY_BYTES 16

/* The kernels process whole blocks of this many pixels: the scratch rows
 * have room for them past the row's end. */
#define ECLUT_REFINE_BLOCK 32

/* For i < @n (a multiple of ECLUT_REFINE_BLOCK): the 3 bytes at @table +
 * 16 * @pairs[i] go to @p0[i], @p1[i], @p2[i] (as int8). */
typedef void (*EclutRefineGatherFunc) (const guint8 * table,
    const guint16 * pairs, guint n, gint8 * p0, gint8 * p1, gint8 * p2);
/* For i < @n (a multiple of ECLUT_REFINE_BLOCK): @sum[i] += @a[i] + @b[i]
 * + @c[i]. */
typedef void (*EclutRefineAddFunc) (gint16 * sum, const gint8 * a,
    const gint8 * b, const gint8 * c, guint n);
/* For x < @w exactly: @out[x] = clamp ((residual ? @in[x] : 0) +
 * ((@sum[x] + bias) >> shift), 0, 255). */
typedef void (*EclutRefineFinishFunc) (const EclutRefine * stage,
    const gint16 * sum, const guint8 * in, guint8 * out, guint w);

struct _EclutRefine
{
  guint step;
  guint shift;
  gint bias;
  gboolean residual;
  EclutSimdLevel simd;
  /* for rotation k and source row offset m (-st, 0, +st): the offset in
   * an entry of the 3 bytes that pair's channels take, and the column
   * offset (-1, 0, 1, in units of st) each of those bytes is added at */
  guint8 off[4][3];
  gint8 col[4][3][3];
  EclutRefineGatherFunc gather;
  EclutRefineAddFunc add;
  EclutRefineFinishFunc finish;
  guint8 *table;                /* 65536 entries, 64-byte aligned */
  gpointer table_mem;
};

/* As eclut_refine_new () with the kernels of @level (at most the CPU's,
 * eclut_simd_level ()): for the tests and the benchmark. */
EclutRefine *eclut_refine_new_simd (const gint8 * table, guint expand_step,
    guint rescale_shift, gint rescale_bias, gboolean residual,
    EclutSimdLevel level);

void eclut_refine_finish_c (const EclutRefine * stage, const gint16 * sum,
    const guint8 * in, guint8 * out, guint w);

#ifdef ECLUT_HAVE_SSE2
void eclut_refine_gather_sse2 (const guint8 * table, const guint16 * pairs,
    guint n, gint8 * p0, gint8 * p1, gint8 * p2);
void eclut_refine_add_sse2 (gint16 * sum, const gint8 * a, const gint8 * b,
    const gint8 * c, guint n);
void eclut_refine_finish_sse2 (const EclutRefine * stage, const gint16 * sum,
    const guint8 * in, guint8 * out, guint w);
#endif

#ifdef ECLUT_HAVE_AVX2
void eclut_refine_gather_avx2 (const guint8 * table, const guint16 * pairs,
    guint n, gint8 * p0, gint8 * p1, gint8 * p2);
void eclut_refine_add_avx2 (gint16 * sum, const gint8 * a, const gint8 * b,
    const gint8 * c, guint n);
void eclut_refine_finish_avx2 (const EclutRefine * stage, const gint16 * sum,
    const guint8 * in, guint8 * out, guint w);
#endif

G_END_DECLS

#endif /* __ECLUT_REFINE_PRIVATE_H__ */
