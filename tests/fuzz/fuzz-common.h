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

/* Shared by the fuzz targets: a reader that turns fuzzer bytes into field
 * values (running out of bytes yields zeros, so every input is usable), and
 * the one-time setup that makes GLib criticals and warnings fatal, so a
 * g_return_if_fail() a target trips counts as a finding. */

#ifndef __ECLUT_FUZZ_COMMON_H__
#define __ECLUT_FUZZ_COMMON_H__

#include <stdint.h>
#include <stddef.h>
#include <glib.h>

typedef struct
{
  const guint8 *p;
  gsize n;
} FuzzIn;

static inline guint8
fuzz_u8 (FuzzIn * in)
{
  guint8 v = 0;

  if (in->n > 0) {
    v = in->p[0];
    in->p++;
    in->n--;
  }
  return v;
}

static inline guint16
fuzz_u16 (FuzzIn * in)
{
  guint16 lo = fuzz_u8 (in);

  return (guint16) (lo | (fuzz_u8 (in) << 8));
}

static inline guint32
fuzz_u32 (FuzzIn * in)
{
  guint32 lo = fuzz_u16 (in);

  return lo | ((guint32) fuzz_u16 (in) << 16);
}

static inline void
fuzz_setup (void)
{
  static gboolean done = FALSE;

  if (!done) {
    g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING |
        G_LOG_FATAL_MASK);
    done = TRUE;
  }
}

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

#endif /* __ECLUT_FUZZ_COMMON_H__ */
