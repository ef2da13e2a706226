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

/* Which SIMD code the pure algorithm may use (shared by the luma and
 * chroma cores; not installed, not for the element). */

#ifndef __ECLUT_SIMD_H__
#define __ECLUT_SIMD_H__

#include <glib.h>

/* SSE2 is part of x86-64, so this needs no run-time check.  Other targets
 * (and ECLUT_DISABLE_SIMD builds) use the plain C path, which the unit
 * tests also run (ECLUT_NO_SIMD=1). */
#if defined(__SSE2__) && !defined(ECLUT_DISABLE_SIMD)
#include <emmintrin.h>
#define ECLUT_HAVE_SSE2 1
#endif

/* AVX2 is chosen at run time (GCC/clang function targets, cpuid).
 * ECLUT_NO_AVX2 (any value) keeps the SSE2 or C code, which the unit tests
 * also run. */
#if defined(ECLUT_HAVE_SSE2) && defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define ECLUT_HAVE_AVX2 1
#define ECLUT_AVX2 __attribute__((target ("avx2")))
#endif

#if defined(__GNUC__)
#define ECLUT_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ECLUT_ALWAYS_INLINE inline
#endif

G_BEGIN_DECLS

/* The fastest code path this CPU and the environment allow, read once:
 * 0 plain C, 1 SSE2, 2 SSE2 and AVX2.  ECLUT_NO_SIMD (any value) selects
 * plain C, ECLUT_NO_AVX2 SSE2, for tests and comparisons. */
guint eclut_simd_level (void);

G_END_DECLS
#endif /* __ECLUT_SIMD_H__ */
