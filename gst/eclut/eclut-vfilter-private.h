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


/* The vertical filter's SIMD code (not installed): eclut-vfilter.c and
 * eclut-vfilter-avx2.c. */

#ifndef __ECLUT_VFILTER_PRIVATE_H__
#define __ECLUT_VFILTER_PRIVATE_H__

#include "eclut-vfilter.h"

G_BEGIN_DECLS

#ifdef ECLUT_HAVE_AVX2
/* The first samples of the row, a multiple of 32; returns how many.  The
 * taps fit bytes and every partial sum 16 bits (the caller checked). */
guint eclut_vfilter_row_avx2 (const guint8 * const *rows,
    const gint16 * taps, guint n_taps, guint precision, guint width,
    guint8 * out);
/* The same for words: any taps whose magnitudes sum to 2^14 or less */
guint eclut_vfilter_row_words_avx2 (const guint16 * const *rows,
    const gint16 * taps, guint n_taps, guint precision, gint32 round,
    guint width, guint16 * out);
#endif

G_END_DECLS

#endif /* __ECLUT_VFILTER_PRIVATE_H__ */
