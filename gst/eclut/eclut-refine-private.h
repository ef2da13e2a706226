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

/* Bytes per pair of the re-laid table: the 9 channels, padded to 16 so
 * that an entry is one aligned 16-byte load and never straddles a cache
 * line. */
#define ECLUT_REFINE_ENTRY_BYTES 16

/* The kernels process whole blocks of this many pixels: the scratch rows
 * have room for them past the row's end. */
#define ECLUT_REFINE_BLOCK 32

/* For i < @n exactly: @out[i] = 16 (@a[i] * 256 + @b[i]), the byte offset
 * of the entry of pair (a, b). */
typedef void (*EclutRefinePairsFunc) (const guint8 * a, const guint8 * b,
    guint n, guint32 * out);
/* For i < @n exactly: the quad pair's index of the 2x2 block @a[i]
 * (the pixel), @u[i] (below it in the rotated frame), @v[i] (right) and
 * @g[i] (below-right) as two bytes, @hi[i] = (a >> 4) << 4 | q (u - a) and
 * @lo[i] = q (v - a) << 4 | q (g - a), which EclutRefinePairsFunc then
 * reads as a pair (docs/lut-format.md, "The quad pair"). */
typedef void (*EclutRefineQuadFunc) (const guint8 * a, const guint8 * u,
    const guint8 * v, const guint8 * g, guint n, guint8 * hi, guint8 * lo);
/* For i < @n (a multiple of ECLUT_REFINE_BLOCK): @out[i] = @out[i] @n_pos
 * + @row_off + @col[i]: the pair's entries for all @n_pos (4, 9 or 16)
 * positions lie side by side, the pixel's position picks one. */
typedef void (*EclutRefinePhasesFunc) (guint32 * out, const guint32 * col,
    guint32 row_off, guint n, guint n_pos);
/* For i < @n (a multiple of ECLUT_REFINE_BLOCK): channel c of the entry
 * at @table + @offs[i] to @planes[c][i], c < 9. */
typedef void (*EclutRefineEntriesFunc) (const guint8 * table,
    const guint32 * offs, guint n, gint8 * const planes[9]);
/* For i < @n (a multiple of ECLUT_REFINE_BLOCK) and m < 3: @sum[m][i] =
 * (@first ? 0 : @sum[m][i]) + @p[3 m][i] + @p[3 m + 1][i] + @p[3 m + 2][i]. */
typedef void (*EclutRefineAddFunc) (gint16 * const sum[3],
    const gint8 * const p[9], guint n, gboolean first);
/* For x < @w exactly, with S = @s[0][x] + @s[1][x] + @s[2][x]: @out[x] =
 * clamp ((residual ? @in[x] : 0) + ((S + bias) >> shift), 0, 255). */
typedef void (*EclutRefineFinishFunc) (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w);

/* For x < @w exactly: the 8 bits H = V >> 2 of the 10-bit samples V of
 * @row (layout @samples) to @h. */
typedef void (*EclutRefineTop8Func) (const guint8 * row, guint w,
    EclutSamples samples, guint8 * h);
/* As EclutRefineFinishFunc for 10-bit samples of layout @samples, with the
 * correction (4 (S + bias)) >> shift. */
typedef void (*EclutRefineFinish10Func) (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w,
    EclutSamples samples);

/* The pair indices of rotation @k for a source row (and the rows below
 * and above it) at columns 0 .. @w - 1: how the stage's pair is read
 * (eclut-refine.c). */
typedef void (*EclutRefinePairRowFunc) (const EclutRefine * stage,
    const guint8 * row, const guint8 * below, const guint8 * above, guint w,
    guint k, guint32 * out);

struct _EclutRefine
{
  guint step;
  guint shift;
  gint bias;
  gboolean residual;
  EclutSimdLevel simd;
  /* the channel that rotation k adds from the pair at source row offset
   * m - 1 and column offset j - 1 (in units of st) */
  guint8 chan[4][3][3];
  /* positions per axis (1: one table for every pixel); a pair's entries
   * for its phases^2 positions lie side by side, as in the file */
  guint phases;
  /* how the stage's pair (EclutRefinePair) is read, chosen at creation */
  EclutRefinePairRowFunc pair_row;
  EclutRefinePairsFunc pairs;
  EclutRefineQuadFunc quad;     /* the quad pair's index bytes */
  EclutRefinePhasesFunc phase_offsets;
  EclutRefineEntriesFunc entries;
  EclutRefineAddFunc add;
  EclutRefineFinishFunc finish;
  EclutRefineTop8Func top8;
  EclutRefineFinish10Func finish10;
  guint8 *table;                /* 65536 phases^2 entries, 2 MB aligned
                                 * (eclut_table_alloc ()) */
};

/* Columns 0..8 of the 16 x 16 bytes @a (row j: the entry of pixel j) into
 * @col: the byte transpose by unpacks of 8, 16, 32 and 64 bits, keeping
 * only what leads to columns 0..8.  @T is __m128i or __m256i (two
 * independent 16 x 16 blocks, one per 128-bit lane), @U the unpacks. */
#define ECLUT_REFINE_TRANSPOSE9(T, U, a, col) \
  G_STMT_START { \
    T b_lo[8], b_hi[8], c_lo[4], c_hi[4], c_8[4]; \
    T d01[2], d23[2], d45[2], d67[2], d89[2]; \
    guint j_; \
    ECLUT_UNROLL for (j_ = 0; j_ < 8; j_++) { \
      /* 16-bit cell k: column k of rows 2j, 2j + 1 */ \
      b_lo[j_] = U (unpacklo_epi8) (a[2 * j_], a[2 * j_ + 1]); \
      b_hi[j_] = U (unpackhi_epi8) (a[2 * j_], a[2 * j_ + 1]); \
    } \
    ECLUT_UNROLL for (j_ = 0; j_ < 4; j_++) { \
      /* 32-bit cell k: column k (4 + k, 8 + k) of rows 4j .. 4j + 3 */ \
      c_lo[j_] = U (unpacklo_epi16) (b_lo[2 * j_], b_lo[2 * j_ + 1]); \
      c_hi[j_] = U (unpackhi_epi16) (b_lo[2 * j_], b_lo[2 * j_ + 1]); \
      c_8[j_] = U (unpacklo_epi16) (b_hi[2 * j_], b_hi[2 * j_ + 1]); \
    } \
    ECLUT_UNROLL for (j_ = 0; j_ < 2; j_++) { \
      /* 64-bit cell k: column k (...) of rows 8j .. 8j + 7 */ \
      d01[j_] = U (unpacklo_epi32) (c_lo[2 * j_], c_lo[2 * j_ + 1]); \
      d23[j_] = U (unpackhi_epi32) (c_lo[2 * j_], c_lo[2 * j_ + 1]); \
      d45[j_] = U (unpacklo_epi32) (c_hi[2 * j_], c_hi[2 * j_ + 1]); \
      d67[j_] = U (unpackhi_epi32) (c_hi[2 * j_], c_hi[2 * j_ + 1]); \
      d89[j_] = U (unpacklo_epi32) (c_8[2 * j_], c_8[2 * j_ + 1]); \
    } \
    col[0] = U (unpacklo_epi64) (d01[0], d01[1]); \
    col[1] = U (unpackhi_epi64) (d01[0], d01[1]); \
    col[2] = U (unpacklo_epi64) (d23[0], d23[1]); \
    col[3] = U (unpackhi_epi64) (d23[0], d23[1]); \
    col[4] = U (unpacklo_epi64) (d45[0], d45[1]); \
    col[5] = U (unpackhi_epi64) (d45[0], d45[1]); \
    col[6] = U (unpacklo_epi64) (d67[0], d67[1]); \
    col[7] = U (unpackhi_epi64) (d67[0], d67[1]); \
    col[8] = U (unpacklo_epi64) (d89[0], d89[1]); \
  } G_STMT_END

/* Fully unrolled loops: the transpose's arrays stay in registers. */
#if defined(__GNUC__) && !defined(__clang__)
#define ECLUT_UNROLL _Pragma ("GCC unroll 16")
#elif defined(__clang__)
#define ECLUT_UNROLL _Pragma ("unroll")
#else
#define ECLUT_UNROLL
#endif

/* As eclut_refine_new () with the kernels of @level (at most the CPU's,
 * eclut_simd_level ()): for the tests and the benchmark. */
EclutRefine *eclut_refine_new_simd (const gint8 * table, guint expand_step,
    guint rescale_shift, gint rescale_bias, gboolean residual,
    EclutRefinePair pair, guint phases, EclutSimdLevel level);

void eclut_refine_quad_c (const guint8 * a, const guint8 * u,
    const guint8 * v, const guint8 * g, guint n, guint8 * hi, guint8 * lo);
void eclut_refine_finish_c (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w);
void eclut_refine_top8_c (const guint8 * row, guint w, EclutSamples samples,
    guint8 * h);
void eclut_refine_finish10_c (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w,
    EclutSamples samples);

#ifdef ECLUT_HAVE_SSE2
void eclut_refine_quad_sse2 (const guint8 * a, const guint8 * u,
    const guint8 * v, const guint8 * g, guint n, guint8 * hi, guint8 * lo);
void eclut_refine_pairs_sse2 (const guint8 * a, const guint8 * b, guint n,
    guint32 * out);
void eclut_refine_phases_sse2 (guint32 * out, const guint32 * col,
    guint32 row_off, guint n, guint n_pos);
void eclut_refine_entries_sse2 (const guint8 * table, const guint32 * offs,
    guint n, gint8 * const planes[9]);
void eclut_refine_add_sse2 (gint16 * const sum[3], const gint8 * const p[9],
    guint n, gboolean first);
void eclut_refine_finish_sse2 (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w);
void eclut_refine_top8_sse2 (const guint8 * row, guint w,
    EclutSamples samples, guint8 * h);
void eclut_refine_finish10_sse2 (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w,
    EclutSamples samples);
#endif

#ifdef ECLUT_HAVE_AVX2
void eclut_refine_phases_avx2 (guint32 * out, const guint32 * col,
    guint32 row_off, guint n, guint n_pos);
void eclut_refine_entries_avx2 (const guint8 * table, const guint32 * offs,
    guint n, gint8 * const planes[9]);
void eclut_refine_add_avx2 (gint16 * const sum[3], const gint8 * const p[9],
    guint n, gboolean first);
void eclut_refine_finish_avx2 (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w);
#endif

G_END_DECLS

#endif /* __ECLUT_REFINE_PRIVATE_H__ */
