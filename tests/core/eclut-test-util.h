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

/* Helpers shared by the core tests: table images encoded from scratch (with
 * an independent bitwise CRC-32), a small PRNG, and the spec's refl(). */

#ifndef __ECLUT_TEST_UTIL_H__
#define __ECLUT_TEST_UTIL_H__

#include <glib.h>
#include <string.h>

/* bit-at-a-time CRC-32 (IEEE), deliberately not the loader's table code */
static inline guint32
test_crc32 (const guint8 * p, gsize n)
{
  guint32 c = 0xFFFFFFFFu;
  gsize i;
  gint k;

  for (i = 0; i < n; i++) {
    c ^= p[i];
    for (k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static inline void
test_put32 (guint8 * p, guint32 v)
{
  p[0] = v & 0xFF;
  p[1] = (v >> 8) & 0xFF;
  p[2] = (v >> 16) & 0xFF;
  p[3] = (v >> 24) & 0xFF;
}

static inline void
test_put16 (guint8 * p, guint v)
{
  p[0] = v & 0xFF;
  p[1] = (v >> 8) & 0xFF;
}

/* Re-seals the header after a test edited it. */
static inline void
test_reseal_header (guint8 * img)
{
  test_put32 (img + 60, test_crc32 (img, 60));
}

/* A valid file image with payload from @fill (or zeros); *size set. */
static inline guint8 *
test_make_table (guint r, guint step, guint shift, gint bias,
    void (*fill) (gint8 * payload, gsize n, guint r, gpointer data),
    gpointer data, gsize * size)
{
  gsize n = (gsize) 65536 * 9 * r * r;
  guint8 *img = g_malloc0 (64 + n);
  static const guint8 magic[8] = { 'E', 'C', 'L', 'U', 'T', '\r', '\n', 0x1a };
  guint64 n64 = n;

  if (fill)
    fill ((gint8 *) img + 64, n, r, data);
  memcpy (img, magic, 8);
  test_put16 (img + 8, 1);
  test_put16 (img + 10, 64);
  img[12] = r;
  img[13] = step;
  img[14] = shift;
  img[15] = 1;
  test_put32 (img + 16, (guint32) bias);
  test_put32 (img + 20, 9 * r * r);
  test_put32 (img + 24, (guint32) (n64 & 0xFFFFFFFFu));
  test_put32 (img + 28, (guint32) (n64 >> 32));
  test_put32 (img + 32, test_crc32 (img + 64, n));
  test_reseal_header (img);
  *size = 64 + n;
  return img;
}

/* spec refl(): reflect without edge repeat, any distance */
static inline gint
test_refl (gint t, gint n)
{
  gint p, u;

  if (n == 1)
    return 0;
  p = 2 * (n - 1);
  u = ((t % p) + p) % p;
  return u < n ? u : p - u;
}

#endif /* __ECLUT_TEST_UTIL_H__ */
