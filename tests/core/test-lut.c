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

/* Loader tests: a valid table loads; every broken rule is refused with a
 * message naming the file and the rule. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "eclut-crc.h"
#include "eclut-edge.h"
#include "eclut-edge3.h"
#include "eclut-lut.h"
#include "eclut-lut-private.h"
#include "eclut-simd.h"
#include "eclut-test-util.h"

static void
fill_pattern (gint8 * p, gsize n, guint r, gpointer data)
{
  gsize i;

  (void) r;
  (void) data;
  for (i = 0; i < n; i++)
    p[i] = (gint8) (guint8) ((i * 2654435761u) >> 13);
}

static gchar *tmpdir;

static gchar *
write_tmp (const gchar * base, const guint8 * data, gsize size)
{
  gchar *path = g_build_filename (tmpdir, base, NULL);
  GError *err = NULL;

  g_assert_true (g_file_set_contents (path, (const gchar *) data,
          (gssize) size, &err));
  g_assert_no_error (err);
  return path;
}

static void
test_valid (void)
{
  guint r;

  for (r = 2; r <= 4; r++) {
    gsize size;
    guint8 *img = test_make_table (r, r == 3 ? 3 : 1, 2, 2, fill_pattern,
        NULL, &size);
    GError *err = NULL;
    EclutLut *lut, *lut2;
    gchar *path = write_tmp ("valid.lut", img, size);
    guint e, a, b;

    lut = eclut_lut_load_file (path, r, &err);
    g_assert_no_error (err);
    g_assert_nonnull (lut);
    g_assert_cmpuint (eclut_lut_get_scale (lut), ==, r);
    g_assert_cmpuint (eclut_lut_get_expand_step (lut), ==, r == 3 ? 3 : 1);
    g_assert_cmpuint (eclut_lut_get_rescale_shift (lut), ==, 2);
    g_assert_cmpint (eclut_lut_get_rescale_bias (lut), ==, 2);
    for (a = 0; a < 256; a += 51)
      for (b = 0; b < 256; b += 17)
        for (e = 0; e < 9 * r * r; e++)
          g_assert_cmpint (eclut_lut_get_entry (lut, a, b, e), ==,
              (gint8) img[64 + (a * 256 + b) * 9 * r * r + e]);
    lut2 = eclut_lut_ref (lut);
    g_assert_true (lut2 == lut);
    eclut_lut_unref (lut2);
    eclut_lut_unref (lut);

    /* any scale accepted with 0; memory entry point too */
    lut = eclut_lut_load_data (img, size, "mem", 0, &err);
    g_assert_no_error (err);
    eclut_lut_unref (lut);

    g_unlink (path);
    g_free (path);
    g_free (img);
  }
}

/* the shipped tables were written by Python's zlib: checks our CRC-32
 * against an independent implementation */
static void
test_shipped (void)
{
  guint r;

  for (r = 2; r <= 4; r++) {
    gchar *path = g_strdup_printf ("%s/eclut-x%u.lut", ECLUT_LUT_SOURCE_DIR, r);
    GError *err = NULL;
    EclutLut *lut;

    if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
      g_free (path);
      g_test_skip ("shipped tables not found");
      return;
    }
    lut = eclut_lut_load_file (path, r, &err);
    g_assert_no_error (err);
    /* the shipped x2 table's edge patches fit the compact layout (one
     * cache line each; the x2 path's speed on detailed pictures depends on
     * it, eclut-edge.h) */
    if (r == 2 && eclut_simd_level () >= ECLUT_SIMD_AVX2)
      g_assert_cmpuint (eclut_edge_tables (lut)->bytes, ==,
          ECLUT_EDGE_COMPACT_BYTES);
    /* and so do the x3 table's (three cache lines per patch instead of
     * four or four and a half, eclut-edge3.h): a retrained table that lost
     * it would run the slower int16 layout with no other sign */
    if (r == 3 && eclut_simd_level () >= ECLUT_SIMD_AVX2)
      g_assert_true (eclut_edge3_tables (lut)->compact);
    eclut_lut_unref (lut);
    g_free (path);
  }
}

static void
test_crc_vector (void)
{
  /* the standard check value, to anchor the test's own CRC */
  g_assert_cmphex (test_crc32 ((const guint8 *) "123456789", 9), ==,
      0xCBF43926u);
}

/* The loader's CRC (carry-less multiplication where the CPU has it, with
 * its ends done through tables) against the test's own, on every length up
 * to 300 bytes, at every alignment, and on a long buffer. */
static void
test_crc_paths (void)
{
  GRand *rand = g_rand_new_with_seed (5);
  const gsize big = 1 << 20;
  guint8 *buf = g_malloc (big + 16);
  gsize i, len, off;

  for (i = 0; i < big + 16; i++)
    buf[i] = (guint8) g_rand_int (rand);
  for (off = 0; off < 16; off++)
    for (len = 0; len <= 300; len++) {
      const guint32 want = test_crc32 (buf + off, len);

      g_assert_cmphex (eclut_crc32 (buf + off, len), ==, want);
      g_assert_cmphex (eclut_crc32_table (buf + off, len), ==, want);
    }
  for (off = 0; off < 4; off++)
    for (len = big - 70; len <= big; len += 7)
      g_assert_cmphex (eclut_crc32 (buf + off, len), ==,
          test_crc32 (buf + off, len));
  g_assert_cmphex (eclut_crc32 ((const guint8 *) "123456789", 9), ==,
      0xCBF43926u);
  g_free (buf);
  g_rand_free (rand);
}

typedef void (*Breaker) (guint8 * img);

#define BREAK(name, body) \
  static void name (guint8 * img) { body; test_reseal_header (img); }

BREAK (brk_magic, img[3] = 'X');
BREAK (brk_magic_crlf, img[5] = '\n');
BREAK (brk_version0, test_put16 (img + 8, 0));
BREAK (brk_version2, test_put16 (img + 8, 2));   /* v2 with no refine stage */
BREAK (brk_version3, test_put16 (img + 8, 3));
BREAK (brk_hsize, test_put16 (img + 10, 128));
BREAK (brk_scale1, img[12] = 1);
BREAK (brk_scale5, img[12] = 5);
BREAK (brk_scale3, img[12] = 3);        /* then epp/size do not match */
BREAK (brk_step0, img[13] = 0);
BREAK (brk_step3, img[13] = 3);
BREAK (brk_shift9, img[14] = 9);
BREAK (brk_etype0, img[15] = 0);
BREAK (brk_etype2, img[15] = 2);
BREAK (brk_bias_neg, test_put32 (img + 16, 0xFFFFFFFFu));
BREAK (brk_bias_big, test_put32 (img + 16, 4));
BREAK (brk_bias_shift0, img[14] = 0);   /* bias 2 with s = 0 */
BREAK (brk_epp, test_put32 (img + 20, 37));
BREAK (brk_psize, test_put32 (img + 24, 65536 * 36 + 1));
BREAK (brk_psize_hi, test_put32 (img + 28, 1));
BREAK (brk_reserved, img[47] = 1);
BREAK (brk_reserved_last, img[59] = 0x80);
static void
brk_hcrc (guint8 * img)
{
  img[60] ^= 1;
}

static void
brk_pcrc_field (guint8 * img)
{
  img[32] ^= 0x10;
  test_reseal_header (img);
}

static void
brk_payload (guint8 * img)
{
  img[64 + 12345] ^= 0x40;
}

static void
brk_payload_last (guint8 * img)
{
  img[64 + 65536 * 36 - 1] ^= 1;
}

static const struct
{
  const gchar *name;
  Breaker brk;
  const gchar *why;
} broken[] = {
  {"magic", brk_magic, "bad magic"},
  {"magic-crlf", brk_magic_crlf, "bad magic"},
  {"version0", brk_version0, "version 0"},
  {"version2", brk_version2, "0 refine stages in a version 2 file"},
  {"version3", brk_version3, "version 3"},
  {"header-size", brk_hsize, "header size 128"},
  {"scale1", brk_scale1, "scale 1"},
  {"scale5", brk_scale5, "scale 5"},
  {"scale3", brk_scale3, "entries per pair"},
  {"step0", brk_step0, "expand step 0"},
  {"step3", brk_step3, "expand step 3"},
  {"shift9", brk_shift9, "rescale shift 9"},
  {"etype0", brk_etype0, "entry type 0"},
  {"etype2", brk_etype2, "entry type 2"},
  {"bias-neg", brk_bias_neg, "rescale bias -1"},
  {"bias-big", brk_bias_big, "rescale bias 4"},
  {"bias-shift0", brk_bias_shift0, "rescale bias 2"},
  {"epp", brk_epp, "entries per pair 37"},
  {"psize", brk_psize, "payload size"},
  {"psize-hi", brk_psize_hi, "payload size"},
  {"reserved", brk_reserved, "reserved"},
  {"reserved-last", brk_reserved_last, "reserved"},
  {"header-crc", brk_hcrc, "header CRC mismatch"},
  {"payload-crc-field", brk_pcrc_field, "payload CRC mismatch"},
  {"payload", brk_payload, "payload CRC mismatch"},
  {"payload-last", brk_payload_last, "payload CRC mismatch"},
};

static void
expect_fail (EclutLut * lut, GError * err, gint code, const gchar * name,
    const gchar * why)
{
  g_assert_null (lut);
  g_assert_error (err, ECLUT_LUT_ERROR, code);
  if (!strstr (err->message, name) || !strstr (err->message, why))
    g_error ("message \"%s\" lacks \"%s\" or \"%s\"", err->message, name, why);
  g_test_message ("%s", err->message);
}

static void
test_broken (void)
{
  gsize size, i;
  guint8 *good = test_make_table (2, 1, 2, 2, fill_pattern, NULL, &size);

  for (i = 0; i < G_N_ELEMENTS (broken); i++) {
    guint8 *img = g_malloc (size);
    GError *err = NULL;
    gchar *path;
    EclutLut *lut;

    memcpy (img, good, size);
    broken[i].brk (img);
    lut = eclut_lut_load_data (img, size, broken[i].name, 2, &err);
    expect_fail (lut, err, ECLUT_LUT_ERROR_FORMAT, broken[i].name,
        broken[i].why);
    g_clear_error (&err);

    path = write_tmp ("broken.lut", img, size);
    lut = eclut_lut_load_file (path, 2, &err);
    expect_fail (lut, err, ECLUT_LUT_ERROR_FORMAT, path, broken[i].why);
    g_clear_error (&err);
    g_unlink (path);
    g_free (path);
    g_free (img);
  }
  g_free (good);
}

/* ---- version 2: refine stage records after the payload ---- */

#define V2_RECORD (32 + 65536 * 9)

/* the bytes of a refine record with @P phases */
static gsize
v2_record (guint P)
{
  return 32 + (gsize) 65536 * 9 * P * P;
}

/* the phases of stage @k in make_v2 (): 1 (byte 26 0 or 1), or with @phased
 * 2, 3, 4, 1 */
static guint
v2_phases (guint k, gboolean phased)
{
  return phased ? 2 + k % 4 - (k % 4 == 3 ? 3 : 0) : 1;
}

/* A v2 image of a x2 table with @n refine stages (step 1 + k % 2, shift
 * 4, bias 8, residual on even k, phases v2_phases ()), random entries;
 * *size set. */
static guint8 *
make_v2 (guint n, gboolean phased, GRand * rand, gsize * size)
{
  gsize v1_size, total, off, i;
  guint8 *v1 = test_make_table (2, 2, 2, 2, fill_pattern, NULL, &v1_size);
  guint8 *img;
  guint k;

  total = v1_size;
  for (k = 0; k < n; k++)
    total += v2_record (v2_phases (k, phased));
  img = g_malloc0 (total);
  memcpy (img, v1, v1_size);
  g_free (v1);
  test_put16 (img + 8, 2);
  img[36] = n;
  test_reseal_header (img);
  off = v1_size;
  for (k = 0; k < n; k++) {
    guint8 *rec = img + off;
    const guint P = v2_phases (k, phased);
    const gsize entries = (gsize) 65536 * 9 * P * P;

    for (i = 0; i < entries; i++)
      rec[32 + i] = (guint8) g_rand_int_range (rand, 0, 256);
    rec[0] = 1;
    rec[1] = 1 + k % 2;
    rec[2] = 4;
    rec[3] = 1;
    test_put32 (rec + 4, 8);
    test_put32 (rec + 8, 9 * P * P);
    test_put32 (rec + 12, (guint32) entries);
    test_put32 (rec + 16, 0);
    test_put32 (rec + 20, test_crc32 (rec + 32, entries));
    rec[24] = k % 2 == 0;
    rec[25] = k % 3;            /* below, below-right, the corner mean */
    /* one table: 0 as files from before the field have it, or 1 */
    rec[26] = P > 1 ? P : k % 2;
    test_put32 (rec + 28, test_crc32 (rec, 28));
    off += v2_record (P);
  }
  *size = total;
  return img;
}

/* The loaded stages run as stages built from the same bytes directly. */
static void
test_v2_valid (void)
{
  GRand *rand = g_rand_new_with_seed (2);
  guint n, phased;

  for (phased = 0; phased <= 1; phased++)
    for (n = 1; n <= 4; n++) {
      gsize size, off;
      guint8 *img = make_v2 (n, phased, rand, &size);
      GError *err = NULL;
      EclutLut *lut = eclut_lut_load_data (img, size, "v2", 2, &err);
      gchar *path = write_tmp ("v2.lut", img, size);
      EclutLut *from_file = eclut_lut_load_file (path, 2, &err);
      guint k;

      g_assert_no_error (err);
      g_assert_nonnull (lut);
      g_assert_nonnull (from_file);
      g_assert_cmpuint (eclut_lut_get_n_refine (lut), ==, n);
      g_assert_cmpuint (eclut_lut_get_n_refine (from_file), ==, n);
      /* built when asked for, not at load */
      for (k = 0; k < n; k++) {
        g_assert_false (eclut_lut_refine_is_built (lut, k));
        g_assert_false (eclut_lut_refine_is_built (from_file, k));
      }
      off = size;
      for (k = 0; k < n; k++)
        off -= v2_record (v2_phases (k, phased));
      for (k = 0; k < n; k++) {
        const guint8 *rec = img + off;
        const guint P = v2_phases (k, phased);
        EclutRefine *direct = eclut_refine_new ((const gint8 *) rec + 32,
            rec[1], rec[2], 8, rec[24], (EclutRefinePair) rec[25], P);
        guint8 src[13 * 7], a[13 * 7], b[13 * 7], c[13 * 7];
        gpointer scratch = g_malloc (eclut_refine_scratch_size (13));
        guint i;

        for (i = 0; i < sizeof (src); i++)
          src[i] = (guint8) g_rand_int_range (rand, 0, 256);
        eclut_refine_rows (direct, src, 13, 13, 7, a, 13, 0, 7, scratch);
        eclut_refine_rows (eclut_lut_get_refine (lut, k), src, 13, 13, 7, b,
            13, 0, 7, scratch);
        eclut_refine_rows (eclut_lut_get_refine (from_file, k), src, 13, 13,
            7, c, 13, 0, 7, scratch);
        g_assert_cmpmem (a, sizeof (a), b, sizeof (b));
        g_assert_cmpmem (a, sizeof (a), c, sizeof (c));
        if (P > 1) {
          /* the positions are read: the first table alone differs */
          EclutRefine *one = eclut_refine_new ((const gint8 *) rec + 32,
              rec[1], rec[2], 8, rec[24], (EclutRefinePair) rec[25], 1);

          eclut_refine_rows (one, src, 13, 13, 7, c, 13, 0, 7, scratch);
          g_assert_true (memcmp (a, c, sizeof (a)) != 0);
          eclut_refine_free (one);
        }
        g_free (scratch);
        eclut_refine_free (direct);
        off += v2_record (P);
        g_assert_true (eclut_lut_refine_is_built (lut, k));
        if (k + 1 < n)
          g_assert_false (eclut_lut_refine_is_built (lut, k + 1));
      }
      g_unlink (path);
      g_free (path);
      eclut_lut_unref (from_file);
      eclut_lut_unref (lut);
      g_free (img);
    }
  g_rand_free (rand);
}

typedef struct
{
  const EclutLut *lut;
  guint first;                  /* the stage this thread asks for first */
  const EclutRefine *got[4];
} RefineRace;

static gpointer
refine_race_thread (gpointer data)
{
  RefineRace *rr = data;
  const guint n = eclut_lut_get_n_refine (rr->lut);
  guint i;

  for (i = 0; i < n; i++) {
    const guint k = (rr->first + i) % n;

    rr->got[k] = eclut_lut_get_refine (rr->lut, k);
  }
  return NULL;
}

/* Threads asking for the stages of one table at once, in different orders
 * (run under ASan and valgrind too): each stage is built once, and every
 * thread gets it. */
static void
test_v2_threads (void)
{
  GRand *rand = g_rand_new_with_seed (3);
  gsize size;
  guint8 *img = make_v2 (4, TRUE, rand, &size);
  EclutLut *lut = eclut_lut_load_data (img, size, "v2", 2, NULL);
  RefineRace rr[4];
  GThread *th[4];
  guint t, k;

  g_assert_nonnull (lut);
  for (t = 0; t < 4; t++) {
    rr[t].lut = lut;
    rr[t].first = t;
    th[t] = g_thread_new ("refine-race", refine_race_thread, &rr[t]);
  }
  for (t = 0; t < 4; t++)
    g_thread_join (th[t]);
  for (k = 0; k < 4; k++) {
    g_assert_true (eclut_lut_refine_is_built (lut, k));
    g_assert_nonnull (rr[0].got[k]);
    for (t = 1; t < 4; t++)
      g_assert_true (rr[t].got[k] == rr[0].got[k]);
  }
  eclut_lut_unref (lut);
  g_free (img);
  g_rand_free (rand);
}

static void
test_v2_broken (void)
{
  static const struct
  {
    const gchar *name;
    guint rec, off;             /* record 0 or 1, byte in it (G_MAXUINT: header) */
    guint8 value;
    gboolean reseal;
    const gchar *why;
  } cases[] = {
    {"count0", G_MAXUINT, 36, 0, TRUE, "0 refine stages"},
    {"count5", G_MAXUINT, 36, 5, TRUE, "5 refine stages"},
    {"count3", G_MAXUINT, 36, 3, TRUE, "truncated"},
    {"count1", G_MAXUINT, 36, 1, TRUE, "trailing garbage"},
    {"reserved", G_MAXUINT, 37, 1, TRUE, "reserved header byte 37"},
    {"scale", 0, 0, 2, TRUE, "refine stage 1: scale 2"},
    {"step", 1, 1, 3, TRUE, "refine stage 2: expand step 3"},
    {"shift", 0, 2, 9, TRUE, "rescale shift 9"},
    {"etype", 0, 3, 2, TRUE, "entry type 2"},
    {"bias", 0, 4, 16, TRUE, "rescale bias 16"},
    {"epp", 0, 8, 10, TRUE, "entries per pair 10"},
    {"psize", 1, 16, 1, TRUE, "refine stage 2: payload size"},
    {"mode", 0, 24, 2, TRUE, "mode 2"},
    {"pair", 1, 25, 4, TRUE, "refine stage 2: pair 4"},
    {"rec-reserved", 1, 27, 1, TRUE, "refine stage 2: reserved byte 27"},
    {"phases5", 1, 26, 5, TRUE, "refine stage 2: phases 5"},
    /* stage 2 says 4 tables: the file is 3 tables short */
    {"phases2", 1, 26, 2, TRUE, "truncated"},
    /* stage 1 says 4 tables: stage 2 starts in stage 1's payload */
    {"phases2-first", 0, 26, 2, TRUE, "truncated"},
    {"rec-hcrc", 0, 29, 0x55, FALSE, "refine stage 1: header CRC"},
    {"rec-payload", 1, 32 + 777, 0x55, FALSE, "refine stage 2: payload CRC"},
  };
  GRand *rand = g_rand_new_with_seed (3);
  gsize size, i;
  guint8 *good = make_v2 (2, FALSE, rand, &size);
  gsize v1_size = size - 2 * V2_RECORD;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    guint8 *img = g_memdup2 (good, size);
    GError *err = NULL;
    EclutLut *lut;

    if (cases[i].rec == G_MAXUINT) {
      img[cases[i].off] = cases[i].value;
      test_reseal_header (img);
    } else {
      guint8 *rec = img + v1_size + cases[i].rec * V2_RECORD;

      /* a field set to a bad value and the record's header resealed, or
       * a byte flipped where a CRC must catch it */
      if (cases[i].reseal) {
        rec[cases[i].off] = cases[i].value;
        test_put32 (rec + 28, test_crc32 (rec, 28));
      } else {
        rec[cases[i].off] ^= cases[i].value;
      }
    }
    lut = eclut_lut_load_data (img, size, cases[i].name, 2, &err);
    expect_fail (lut, err, ECLUT_LUT_ERROR_FORMAT, cases[i].name,
        cases[i].why);
    g_clear_error (&err);
    g_free (img);
  }
  g_free (good);
  g_rand_free (rand);
}

static void
test_sizes (void)
{
  gsize size;
  guint8 *good = test_make_table (2, 2, 0, 0, fill_pattern, NULL, &size);
  guint8 *longer = g_malloc0 (size + 1);
  static const gsize cut[] = { 0, 1, 63, 64, 65, 1000 };
  GError *err = NULL;
  EclutLut *lut;
  gchar *path;
  gsize i;

  memcpy (longer, good, size);
  for (i = 0; i < G_N_ELEMENTS (cut); i++) {
    gsize n = cut[i] < 1000 ? cut[i] : size - 1;
    const gchar *why = n < 64 ? "shorter than the 64-byte header" : "truncated";

    lut = eclut_lut_load_data (good, n, "cut", 0, &err);
    expect_fail (lut, err, ECLUT_LUT_ERROR_FORMAT, "cut", why);
    g_clear_error (&err);
    path = write_tmp ("cut.lut", good, n);
    lut = eclut_lut_load_file (path, 0, &err);
    expect_fail (lut, err, ECLUT_LUT_ERROR_FORMAT, path, why);
    g_clear_error (&err);
    g_unlink (path);
    g_free (path);
  }

  lut = eclut_lut_load_data (longer, size + 1, "long", 0, &err);
  expect_fail (lut, err, ECLUT_LUT_ERROR_FORMAT, "long", "trailing");
  g_clear_error (&err);
  path = write_tmp ("long.lut", longer, size + 1);
  lut = eclut_lut_load_file (path, 0, &err);
  expect_fail (lut, err, ECLUT_LUT_ERROR_FORMAT, path, "trailing");
  g_clear_error (&err);
  g_unlink (path);
  g_free (path);

  lut = eclut_lut_load_data (NULL, 0, NULL, 0, &err);
  expect_fail (lut, err, ECLUT_LUT_ERROR_FORMAT, "<memory>", "shorter");
  g_clear_error (&err);

  g_free (longer);
  g_free (good);
}

static void
test_wrong_scale (void)
{
  gsize size;
  guint8 *img = test_make_table (3, 1, 2, 2, fill_pattern, NULL, &size);
  gchar *path = write_tmp ("eclut-x3.lut", img, size);
  GError *err = NULL;
  EclutLut *lut;

  lut = eclut_lut_load_file (path, 2, &err);
  expect_fail (lut, err, ECLUT_LUT_ERROR_SCALE, path, "is a x3 table, "
      "scale=2 was asked");
  g_clear_error (&err);
  lut = eclut_lut_load_data (img, size, "m", 4, &err);
  expect_fail (lut, err, ECLUT_LUT_ERROR_SCALE, "m", "x3 table, scale=4");
  g_clear_error (&err);
  g_unlink (path);
  g_free (path);
  g_free (img);
}

static void
test_io (void)
{
  GError *err = NULL;
  gchar *missing = g_build_filename (tmpdir, "does-not-exist.lut", NULL);
  EclutLut *lut;

  lut = eclut_lut_load_file (missing, 2, &err);
  expect_fail (lut, err, ECLUT_LUT_ERROR_IO, missing, "cannot open");
  g_clear_error (&err);
  g_free (missing);

  lut = eclut_lut_load_file (tmpdir, 2, &err);
  g_assert_null (lut);
  g_assert_error (err, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_IO);
  g_assert_nonnull (strstr (err->message, tmpdir));
  g_test_message ("%s", err->message);
  g_clear_error (&err);
}

static void
fill_other (gint8 * p, gsize n, guint r, gpointer data)
{
  gsize i;

  (void) r;
  (void) data;
  for (i = 0; i < n; i++)
    p[i] = (gint8) (guint8) (i * 7 + 3);
}

/* Shared loads: one table per file while it is alive; a replaced file is a
 * new table and the old holders keep theirs; the scale is still checked. */
static void
test_shared (void)
{
  gsize size, size2;
  guint8 *img = test_make_table (2, 2, 2, 2, fill_pattern, NULL, &size);
  guint8 *img2 = test_make_table (2, 2, 2, 2, fill_other, NULL, &size2);
  gchar *path = write_tmp ("shared.lut", img, size);
  gchar *tmp2;
  GError *err = NULL;
  EclutLut *a, *b, *c, *d;

  a = eclut_lut_load_file_shared (path, 2, &err);
  g_assert_no_error (err);
  b = eclut_lut_load_file_shared (path, 0, &err);
  g_assert_no_error (err);
  g_assert_true (a == b);
  /* a plain load never shares */
  c = eclut_lut_load_file (path, 2, &err);
  g_assert_no_error (err);
  g_assert_true (c != a);
  eclut_lut_unref (c);

  /* the scale is checked on a shared table too */
  c = eclut_lut_load_file_shared (path, 4, &err);
  g_assert_null (c);
  g_assert_error (err, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_SCALE);
  g_assert_nonnull (strstr (err->message, "shared.lut"));
  g_clear_error (&err);

  /* replace the file (rename over it, as installers do): a new table with
   * the new content, while a and b keep the old one */
  tmp2 = write_tmp ("shared.lut.new", img2, size2);
  g_assert_cmpint (g_rename (tmp2, path), ==, 0);
  c = eclut_lut_load_file_shared (path, 2, &err);
  g_assert_no_error (err);
  g_assert_true (c != a);
  g_assert_cmpint (eclut_lut_get_entry (c, 0, 0, 5), ==, (gint8) (5 * 7 + 3));
  g_assert_cmpint (eclut_lut_get_entry (a, 0, 0, 5), !=, (gint8) (5 * 7 + 3));
  d = eclut_lut_load_file_shared (path, 2, &err);
  g_assert_true (d == c);

  eclut_lut_unref (a);
  eclut_lut_unref (b);
  eclut_lut_unref (c);
  eclut_lut_unref (d);
  g_unlink (path);
  g_free (tmp2);
  g_free (path);
  g_free (img);
  g_free (img2);
}

typedef struct
{
  const gchar *path;
  guint rounds;
  gint failures;
} SharedRace;

static gpointer
shared_race_thread (gpointer data)
{
  SharedRace *sr = data;
  guint i;

  for (i = 0; i < sr->rounds; i++) {
    GError *err = NULL;
    EclutLut *lut = eclut_lut_load_file_shared (sr->path, 2, &err), *more;

    if (lut == NULL || eclut_lut_get_scale (lut) != 2) {
      g_atomic_int_inc (&sr->failures);
      g_clear_error (&err);
      continue;
    }
    more = eclut_lut_ref (lut);
    eclut_lut_unref (lut);
    eclut_lut_unref (more);
  }
  return NULL;
}

/* Threads loading and dropping the same shared table at once (run under
 * ASan and valgrind too): no crash, no failure, no leak. */
static void
test_shared_threads (void)
{
  gsize size;
  guint8 *img = test_make_table (2, 2, 2, 2, fill_pattern, NULL, &size);
  gchar *path = write_tmp ("race.lut", img, size);
  SharedRace sr = { path, 6, 0 };
  GThread *t[4];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (t); i++)
    t[i] = g_thread_new ("race", shared_race_thread, &sr);
  for (i = 0; i < G_N_ELEMENTS (t); i++)
    g_thread_join (t[i]);
  g_assert_cmpint (sr.failures, ==, 0);
  g_unlink (path);
  g_free (path);
  g_free (img);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp ("eclut-test-lut-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);

  g_test_add_func ("/lut/crc-vector", test_crc_vector);
  g_test_add_func ("/lut/crc-paths", test_crc_paths);
  g_test_add_func ("/lut/valid", test_valid);
  g_test_add_func ("/lut/shipped", test_shipped);
  g_test_add_func ("/lut/broken-fields", test_broken);
  g_test_add_func ("/lut/v2-valid", test_v2_valid);
  g_test_add_func ("/lut/v2-threads", test_v2_threads);
  g_test_add_func ("/lut/v2-broken", test_v2_broken);
  g_test_add_func ("/lut/sizes", test_sizes);
  g_test_add_func ("/lut/wrong-scale", test_wrong_scale);
  g_test_add_func ("/lut/io", test_io);
  g_test_add_func ("/lut/shared", test_shared);
  g_test_add_func ("/lut/shared-threads", test_shared_threads);
  ret = g_test_run ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  return ret;
}
