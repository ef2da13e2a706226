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
#define ECLUT_PREFETCH(p) __builtin_prefetch (p)
#else
#define ECLUT_ALWAYS_INLINE inline
#define ECLUT_PREFETCH(p) ((void) (p))
#endif

G_BEGIN_DECLS

#ifdef ECLUT_HAVE_AVX2
/* Helpers of the AVX2 gathers (eclut-luma.c, eclut-block.c, eclut-edge.c). */

/* Stores @base plus each of the eight 32-bit offsets @o as pointers at
 * @dst: table addresses computed 8 pixels at a time. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
eclut_store_ptrs8_avx2 (const guint8 ** dst, const guint8 * base, __m256i o)
{
  const __m256i vb = _mm256_set1_epi64x ((gint64) (guintptr) base);

  _mm256_storeu_si256 ((__m256i *) dst, _mm256_add_epi64 (vb,
          _mm256_cvtepu32_epi64 (_mm256_castsi256_si128 (o))));
  _mm256_storeu_si256 ((__m256i *) (dst + 4), _mm256_add_epi64 (vb,
          _mm256_cvtepu32_epi64 (_mm256_extracti128_si256 (o, 1))));
}

/* Eight rescaled x2 output blocks a0 (blocks 0-3) and a1 (4-7), each
 * block the 2 x 2 cells i0j0 i0j1 i1j0 i1j1 as int16, clamped to bytes
 * and transposed to HR rows: row 0 of the 8 blocks (16 bytes) in the low
 * half, row 1 in the high half. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE __m256i
eclut_blocks2_to_rows_avx2 (__m256i a0, __m256i a1)
{
  /* per 128-bit lane after the pack: blocks (2 of a0, 2 of a1); gather
   * row 0 bytes then row 1 bytes, then order the 32-bit pieces as row 0
   * of blocks 0-7, row 1 of blocks 0-7 */
  const __m256i rows = _mm256_setr_epi8 (0, 1, 4, 5, 8, 9, 12, 13,
      2, 3, 6, 7, 10, 11, 14, 15, 0, 1, 4, 5, 8, 9, 12, 13,
      2, 3, 6, 7, 10, 11, 14, 15);
  const __m256i order = _mm256_setr_epi32 (0, 4, 1, 5, 2, 6, 3, 7);

  return _mm256_permutevar8x32_epi32 (_mm256_shuffle_epi8
      (_mm256_packus_epi16 (a0, a1), rows), order);
}

/* The sum of |row[x + 1] - row[x]| + |below[x] - row[x]| over x = 0 ..
 * n - 1, in whole steps of 32 (so up to 31 more pixels, and row[n + 31]:
 * the caller's padding): how busy a stretch of picture is, which decides
 * whether its table reads are worth prefetching. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE guint
eclut_busy_sum_avx2 (const guint8 * row, const guint8 * below, guint n)
{
  __m256i acc = _mm256_setzero_si256 ();
  __m128i s;
  guint i;

  for (i = 0; i < n; i += 32) {
    __m256i a = _mm256_loadu_si256 ((const __m256i *) (row + i));

    acc = _mm256_add_epi64 (acc, _mm256_sad_epu8 (a,
            _mm256_loadu_si256 ((const __m256i *) (row + i + 1))));
    acc = _mm256_add_epi64 (acc, _mm256_sad_epu8 (a,
            _mm256_loadu_si256 ((const __m256i *) (below + i))));
  }
  s = _mm_add_epi64 (_mm256_castsi256_si128 (acc),
      _mm256_extracti128_si256 (acc, 1));
  s = _mm_add_epi64 (s, _mm_unpackhi_epi64 (s, s));
  return (guint) _mm_cvtsi128_si32 (s);
}
#endif

/* The instruction sets the core may use, in order. */
typedef enum
{
  ECLUT_SIMD_C = 0,             /* plain C (and ORC) */
  ECLUT_SIMD_SSE2,              /* SSE2 */
  ECLUT_SIMD_AVX2               /* SSE2 and AVX2 */
} EclutSimdLevel;

/* The fastest level this CPU and the environment allow, read once.
 * ECLUT_NO_SIMD (any value) selects plain C, ECLUT_NO_AVX2 SSE2, for tests
 * and comparisons. */
EclutSimdLevel eclut_simd_level (void);

/* "C", "SSE2", "AVX2" */
const gchar *eclut_simd_name (EclutSimdLevel level);

G_END_DECLS
#endif /* __ECLUT_SIMD_H__ */
