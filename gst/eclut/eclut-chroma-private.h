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

#ifdef ECLUT_HAVE_AVX2
/* The horizontal pass at x3 (16-byte steps) and at x2, x4 (planar), and
 * the vertical blend, with AVX2 (eclut-chroma-avx2.c): each returns how
 * many source samples (bytes for the blend) it did; the caller does the
 * rest. */
guint eclut_chroma_h_pass_3_avx2 (guint nc, const EclutChromaFastH * fh,
    const guint8 * vrow, guint8 * out);
guint eclut_chroma_h_pass_planar_avx2 (const EclutChromaFastH * fh,
    const guint8 * vrow, guint8 * out, guint r);
guint eclut_chroma_blend_avx2 (guint8 * d, const guint8 * s0,
    const guint8 * s1, gint w, guint n);
/* 10 bits: the vertical pass of @n samples of two rows of words (the
 * value in the low bits, or above @low more) into code values, and the
 * horizontal pass of source samples m_lo .. (code values in, words with
 * the value shifted by @low out).  Each returns how many samples it did. */
guint eclut_chroma_v_pass_16_avx2 (const guint8 * s0, const guint8 * s1,
    guint16 * d, guint w, guint n, guint low);
guint eclut_chroma_h_pass_16_avx2 (guint r, guint nc, guint low,
    const EclutChromaFastH * fh, const guint16 * vrow, guint8 * out);
#endif

G_END_DECLS

#endif /* __ECLUT_CHROMA_PRIVATE_H__ */
