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

/* Fuzz target: header fields, structure-aware.  The fuzzer's bytes are the
 * 60 header bytes plus a few control bytes; flags repair the magic, the
 * version and header size, the size fields and the reserved bytes, and the
 * header CRC is recomputed unless a flag says not to, so most inputs pass
 * the CRC and reach the field rules behind it.  The file size is the one
 * the header announces plus a fuzzed delta; with the exact size and a
 * repaired payload CRC the whole load (payload CRC, rotated tables) runs.
 * The payload is zeros: its values cannot change what memory is touched.
 * A whole-size image (2.3 to 9.4 MB, milliseconds to check) is only built
 * with the F_DEEP flag, so most executions stay fast.
 *
 * Input: flags (1), header bytes 0..59 (60), size delta (2, signed),
 * expected scale (1). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "fuzz-common.h"
#include "eclut-lut.h"
#include "../core/eclut-test-util.h"

#define F_MAGIC        0x01
#define F_VERSION      0x02
#define F_SIZES        0x04
#define F_RESERVED     0x08
#define F_BAD_HCRC     0x10
#define F_PCRC         0x20
#define F_EXACT_SIZE   0x40
#define F_DEEP         0x80
#define DEEP_ONE_IN    1024

/* FNV-1a, 32 bits (tests/fuzz/make-corpus.py has the same) */
static guint32
fnv1a (const guint8 * p, gsize n)
{
  guint32 h = 2166136261u;
  gsize i;

  for (i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

/* the largest image built: an x4 table and a little trailing garbage */
#define MAX_PAYLOAD ((gsize) 65536 * 9 * 16)
#define MAX_IMAGE (64 + MAX_PAYLOAD + 32768)

static guint32
get32 (const guint8 * p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
      ((guint32) p[3] << 24);
}

/* CRC-32 of an all-zero payload, per scale */
static guint32 zero_crc[5];

/* CRC-32 of @len zero bytes with a byte table: the bitwise test_crc32()
 * would take seconds for the 17 MB at every start */
static guint32
crc_of_zeros (const guint32 * t, gsize len)
{
  guint32 c = 0xFFFFFFFFu;
  gsize k;

  for (k = 0; k < len; k++)
    c = t[c & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static void
init_zero_crcs (void)
{
  static gboolean done = FALSE;
  guint32 t[256], c, n;
  guint8 *z;
  guint r;
  gint b;

  if (done)
    return;
  for (n = 0; n < 256; n++) {
    c = n;
    for (b = 0; b < 8; b++)
      c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[n] = c;
  }
  for (r = 2; r <= 4; r++)
    zero_crc[r] = crc_of_zeros (t, (gsize) 65536 * 9 * r * r);
  /* the table agrees with the bitwise reference */
  z = g_malloc0 (4096);
  g_assert (crc_of_zeros (t, 4096) == test_crc32 (z, 4096));
  g_free (z);
  done = TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  static const guint8 magic[8] = { 'E', 'C', 'L', 'U', 'T', '\r', '\n', 0x1a };
  FuzzIn in = { data, size };
  guint8 h[64];
  guint flags, r, expected, i;
  gint16 delta;
  guint64 psize, total;
  guint8 *img;
  GError *err = NULL;
  EclutLut *lut;

  fuzz_setup ();
  init_zero_crcs ();

  flags = fuzz_u8 (&in);
  for (i = 0; i < 60; i++)
    h[i] = fuzz_u8 (&in);
  delta = (gint16) fuzz_u16 (&in);
  expected = fuzz_u8 (&in) % 6;
  /* a whole-size image (2.4 - 9.4 MB, its CRC and the rotated tables) costs
   * tens of ms under ASan, the rest microseconds: so flag 0x80 only takes
   * effect for inputs whose hash is 0 mod DEEP_ONE_IN.  A mutation changes
   * the hash, so even a corpus full of deep inputs makes about one deep
   * load per DEEP_ONE_IN executions (the committed seeds carry salt bytes
   * at the end that make the hash right) */
  if (fnv1a (data, size) % DEEP_ONE_IN != 0)
    flags &= ~F_DEEP;

  if (flags & F_MAGIC)
    memcpy (h, magic, 8);
  if (flags & F_VERSION) {
    test_put16 (h + 8, 1);
    test_put16 (h + 10, 64);
  }
  r = h[12];
  if (flags & F_SIZES) {
    guint64 n = (guint64) 65536 * 9 * r * r;

    test_put32 (h + 20, 9 * r * r);
    test_put32 (h + 24, (guint32) n);
    test_put32 (h + 28, (guint32) (n >> 32));
  }
  if (flags & F_RESERVED)
    memset (h + 36, 0, 24);
  psize = (guint64) get32 (h + 24) | ((guint64) get32 (h + 28) << 32);
  if ((flags & F_PCRC) && r >= 2 && r <= 4 &&
      psize == (guint64) 65536 * 9 * r * r)
    test_put32 (h + 32, zero_crc[r]);
  test_put32 (h + 60, test_crc32 (h, 60));
  if (flags & F_BAD_HCRC)
    h[60] ^= 1 + (guint8) (delta & 0x7f);

  /* the file size: announced size plus delta, if that is buildable;
   * otherwise a short file of up to 64 KiB */
  if (psize <= MAX_PAYLOAD && ((flags & F_DEEP) || psize < 65536))
    total = 64 + psize + ((flags & F_EXACT_SIZE) ? 0 : delta);
  else
    total = (guint16) delta;
  if ((gint64) total < 0 || total > MAX_IMAGE)
    total = (guint16) delta;

  img = g_malloc0 (total ? total : 1);
  memcpy (img, h, MIN (total, 64));

  lut = eclut_lut_load_data (img, total, "hdr.lut", expected, &err);
  g_assert ((lut == NULL) != (err == NULL));
  if (lut) {
    /* accepted: then every rule held */
    g_assert (total == 64 + psize && r >= 2 && r <= 4);
    g_assert (expected == 0 || expected == r);
    g_assert_cmpuint (eclut_lut_get_scale (lut), ==, r);
    g_assert_cmpuint (eclut_lut_get_rescale_shift (lut), ==, h[14]);
    g_assert_cmpint (eclut_lut_get_rescale_bias (lut), <,
        1 << eclut_lut_get_rescale_shift (lut));
    g_assert_cmpint (eclut_lut_get_entry (lut, 255, 255, 9 * r * r - 1), ==, 0);
    eclut_lut_unref (lut);
  } else {
    g_assert (strstr (err->message, "hdr.lut") != NULL);
    g_clear_error (&err);
  }
  g_free (img);
  return 0;
}
