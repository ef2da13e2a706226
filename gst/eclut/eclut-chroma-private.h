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


/* The chroma core's pieces that its instruction sets share (not
 * installed): eclut-chroma.c and eclut-chroma-avx2.c. */

#ifndef __ECLUT_CHROMA_PRIVATE_H__
#define __ECLUT_CHROMA_PRIVATE_H__

#include <glib.h>

#include "eclut-chroma.h"
#include "eclut-simd.h"

G_BEGIN_DECLS

/* The phase pattern of the horizontal pass: output sample m*r + ph reads
 * source m + o[ph] (o in -1..0) and the next one with weight w[ph]; where
 * no index needs clamping ([m_lo, m_hi)) whole rows go through ORC (r = 2,
 * 4) or a C loop with the phases unrolled (r = 3: ORC cannot interleave
 * three results). */
typedef struct
{
  gboolean use;
  guint m_lo, m_hi;
  gint o[4];
  gint wa[4], wb[4];
  /* r = 3: byte shuffles that interleave the three phases' results (see
   * h_pass_3_avx2); shuf3w: the same for 16-bit samples */
  gint8 shuf3[3][3][16];
  gint8 shuf3w[3][3][16];
} EclutChromaFastH;

/* The SIMD head of a row's vertical pass: the blend of @n samples (bytes
 * at 8 bits, words at 10) of the source rows @s0 and @s1 with weight @w
 * into the vertical row @vrow (code values at 10 bits); returns how many
 * it did, the C code of the plan does the rest. */
typedef guint (*EclutChromaVSimdFunc) (const guint8 * s0, const guint8 * s1,
    guint8 * vrow, guint w, guint n);

/* The SIMD head of the fast region of a row's horizontal pass: source
 * samples fh->m_lo onwards of @vrow into @out (the whole output row);
 * returns how many source samples it did, the C code does the rest. */
typedef guint (*EclutChromaHSimdFunc) (const EclutChromaFastH * fh,
    const guint8 * vrow, guint8 * out);

/* The plan for @p with the code of @level at most (never above
 * eclut_simd_level ()), so that the tests compare every level in one
 * process; NULL as eclut_chroma_plan_new(). */
EclutChromaPlan *eclut_chroma_plan_new_for_level (const EclutChromaParams *
    p, EclutSimdLevel level);

#ifdef ECLUT_HAVE_AVX2
/* The AVX2 heads for @p's scale, component count and sample layout
 * (eclut-chroma-avx2.c), NULL where there is none. */
EclutChromaVSimdFunc eclut_chroma_v_simd_avx2 (const EclutChromaParams * p);
EclutChromaHSimdFunc eclut_chroma_h_simd_avx2 (const EclutChromaParams * p);
#endif

G_END_DECLS

#endif /* __ECLUT_CHROMA_PRIVATE_H__ */
