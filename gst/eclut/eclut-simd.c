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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "eclut-simd.h"

EclutSimdLevel
eclut_simd_level (void)
{
  static gsize init = 0;
  static EclutSimdLevel level;

  if (g_once_init_enter (&init)) {
    level = ECLUT_SIMD_C;
#ifdef ECLUT_HAVE_SSE2
    if (g_getenv ("ECLUT_NO_SIMD") == NULL)
      level = ECLUT_SIMD_SSE2;
#endif
#ifdef ECLUT_HAVE_AVX2
    __builtin_cpu_init ();
    if (level == ECLUT_SIMD_SSE2 && __builtin_cpu_supports ("avx2")
        && g_getenv ("ECLUT_NO_AVX2") == NULL)
      level = ECLUT_SIMD_AVX2;
#endif
    g_once_init_leave (&init, 1);
  }
  return level;
}

const gchar *
eclut_simd_name (EclutSimdLevel level)
{
  return level == ECLUT_SIMD_AVX2 ? "AVX2" : level == ECLUT_SIMD_SSE2 ?
      "SSE2" : "C";
}
