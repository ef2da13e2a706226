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

guint
eclut_simd_level (void)
{
  static gsize init = 0;
  static guint level;

  if (g_once_init_enter (&init)) {
    level = 0;
#ifdef ECLUT_HAVE_SSE2
    if (g_getenv ("ECLUT_NO_SIMD") == NULL)
      level = 1;
#endif
#ifdef ECLUT_HAVE_AVX2
    __builtin_cpu_init ();
    if (level == 1 && __builtin_cpu_supports ("avx2")
        && g_getenv ("ECLUT_NO_AVX2") == NULL)
      level = 2;
#endif
    g_once_init_leave (&init, 1);
  }
  return level;
}
