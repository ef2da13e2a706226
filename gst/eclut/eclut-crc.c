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

/* CRC-32 (eclut-crc.h).  Every element start checks the CRC of its table
 * file (28 MB for the shipped x4 one), so both ways are built for speed. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "eclut-crc.h"
#include "eclut-simd.h"

/* ---- Eight bytes per step through tables ("slicing by 8") ---- */

/* One table lookup per byte is a serial chain of dependent loads; with
 * eight tables eight bytes take one step.  crc_table[k][n] is the CRC
 * register after byte n followed by k zero bytes. */
static guint32 crc_table[8][256];

static gpointer
crc_table_init (G_GNUC_UNUSED gpointer unused)
{
  guint32 n, c;
  gint k;

  for (n = 0; n < 256; n++) {
    c = n;
    for (k = 0; k < 8; k++)
      c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[0][n] = c;
  }
  for (n = 0; n < 256; n++)
    for (k = 1; k < 8; k++)
      crc_table[k][n] = (crc_table[k - 1][n] >> 8) ^
          crc_table[0][crc_table[k - 1][n] & 0xFF];
  return NULL;
}

static guint32
rd32 (const guint8 * p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
      ((guint32) p[3] << 24);
}

/* The CRC register @c (not inverted) after @len more bytes */
static guint32
crc_update_table (guint32 c, const guint8 * data, gsize len)
{
  static GOnce once = G_ONCE_INIT;
  guint32 hi;
  gsize i = 0;

  g_once (&once, crc_table_init, NULL);
  for (; i + 8 <= len; i += 8) {
    c ^= rd32 (data + i);
    hi = rd32 (data + i + 4);
    c = crc_table[7][c & 0xFF] ^ crc_table[6][(c >> 8) & 0xFF] ^
        crc_table[5][(c >> 16) & 0xFF] ^ crc_table[4][c >> 24] ^
        crc_table[3][hi & 0xFF] ^ crc_table[2][(hi >> 8) & 0xFF] ^
        crc_table[1][(hi >> 16) & 0xFF] ^ crc_table[0][hi >> 24];
  }
  for (; i < len; i++)
    c = crc_table[0][(c ^ data[i]) & 0xFF] ^ (c >> 8);
  return c;
}

guint32
eclut_crc32_table (const guint8 * data, gsize len)
{
  return crc_update_table (0xFFFFFFFFu, data, len) ^ 0xFFFFFFFFu;
}

/* ---- Folding with carry-less multiplication ---- */

#ifdef ECLUT_HAVE_AVX2
#define ECLUT_PCLMUL __attribute__((target ("pclmul,sse2")))

/* The CRC of a message is its polynomial (the first bit the highest
 * power) modulo P = 0x104C11DB7, with the register's start value added to
 * its first 32 bits.  A 16-byte chunk X that lies D bits before a chunk Y
 * adds X x^D to the message at Y; splitting X = A x^64 + B (A its first 8
 * bytes), A (x^(D+64) mod P) + B (x^D mod P) is congruent to it and only
 * 96 bits long, so it can be added into Y and X dropped ("folding").  In
 * the bit-reflected order of the bytes a carry-less product carries one
 * more factor x, so the constants are x^(D+63) and x^(D-1) mod P, the
 * power j at bit 63 - j of a 64-bit lane (their derivation: Intel, "Fast
 * CRC computation for generic polynomials using PCLMULQDQ", 2009).  Once
 * every chunk is folded into the last one, the message is that chunk after
 * zeros, and the tables finish it: a register of 0 stays 0 over zeros. */
static const guint64 fold_512[2] = { 0x653d982200000000ull,
  0xcad38e8f00000000ull
};

static const guint64 fold_128[2] = { 0x65673b4600000000ull,
  0x9ba54c6f00000000ull
};

static ECLUT_PCLMUL inline __m128i
fold (__m128i x, __m128i k, __m128i y)
{
  return _mm_xor_si128 (_mm_xor_si128 (_mm_clmulepi64_si128 (x, k, 0x00),
          _mm_clmulepi64_si128 (x, k, 0x11)), y);
}

#define LOAD(p) _mm_loadu_si128 ((const __m128i *) (p))

/* The register @c after @len (>= 64) bytes */
static ECLUT_PCLMUL guint32
crc_update_pclmul (guint32 c, const guint8 * data, gsize len)
{
  const __m128i k4 = LOAD (fold_512), k1 = LOAD (fold_128);
  __m128i x0, x1, x2, x3;
  guint8 last[16];
  gsize i;

  /* four chunks folded 64 bytes at a time (four independent chains) */
  x0 = _mm_xor_si128 (LOAD (data), _mm_cvtsi32_si128 ((gint) c));
  x1 = LOAD (data + 16);
  x2 = LOAD (data + 32);
  x3 = LOAD (data + 48);
  for (i = 64; i + 64 <= len; i += 64) {
    x0 = fold (x0, k4, LOAD (data + i));
    x1 = fold (x1, k4, LOAD (data + i + 16));
    x2 = fold (x2, k4, LOAD (data + i + 32));
    x3 = fold (x3, k4, LOAD (data + i + 48));
  }
  x0 = fold (fold (fold (x0, k1, x1), k1, x2), k1, x3);
  for (; i + 16 <= len; i += 16)
    x0 = fold (x0, k1, LOAD (data + i));
  _mm_storeu_si128 ((__m128i *) last, x0);
  return crc_update_table (crc_update_table (0, last, 16), data + i, len - i);
}

#undef LOAD

static gboolean
have_pclmul (void)
{
  static gsize init = 0;
  static gboolean have;

  if (g_once_init_enter (&init)) {
    __builtin_cpu_init ();
    /* ECLUT_NO_SIMD: the portable code everywhere (eclut-simd.h) */
    have = __builtin_cpu_supports ("pclmul")
        && eclut_simd_level () >= ECLUT_SIMD_SSE2;
    g_once_init_leave (&init, 1);
  }
  return have;
}
#endif

guint32
eclut_crc32 (const guint8 * data, gsize len)
{
#ifdef ECLUT_HAVE_AVX2
  if (len >= 64 && have_pclmul ())
    return crc_update_pclmul (0xFFFFFFFFu, data, len) ^ 0xFFFFFFFFu;
#endif
  return eclut_crc32_table (data, len);
}
