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


/* The horizontal filter (eclut-hfilter.c): every code level against the
 * rule written out literally, on random taps and windows, at the edges of
 * what the SIMD code takes; and the refusals. */

#include <glib.h>
#include <string.h>

#include "eclut-hfilter.h"

/* Sample @i of a row of bytes (@words FALSE) or 16-bit words */
static guint
get (const guint8 * row, gboolean words, guint i)
{
  return words ? ((const guint16 *) row)[i] : row[i];
}

static void
put (guint8 * row, gboolean words, guint i, guint v)
{
  if (words)
    ((guint16 *) row)[i] = (guint16) v;
  else
    row[i] = (guint8) v;
}

/* The rule of eclut-hfilter.h, in 64 bits with a floor division, clamped
 * to the sample's range */
static void
literal_row (gboolean words, guint out_w, guint n_taps,
    const guint32 * offset, const gint16 * taps, guint precision,
    gint32 round, const guint8 * in, guint8 * out)
{
  guint x, j;

  for (x = 0; x < out_w; x++) {
    gint64 acc = round, q;

    for (j = 0; j < n_taps; j++)
      acc += (gint64) get (in, words, offset[x] + j) *
          taps[(gsize) x * n_taps + j];
    q = acc / ((gint64) 1 << precision);
    if (q * ((gint64) 1 << precision) > acc)
      q--;
    put (out, words, x, (guint) CLAMP (q, 0, words ? 65535 : 255));
  }
}

/* Offsets as a resampler makes them: non-decreasing, each window inside
 * the row; taps around 2^precision / n_taps with overshoot of @spread */
static void
random_filter (GRand * rand, guint in_w, guint out_w, guint n_taps,
    guint precision, gint spread, guint32 * offset, gint16 * taps)
{
  guint x, j;

  for (x = 0; x < out_w; x++) {
    guint64 centre = ((guint64) x * in_w + in_w / 2) / out_w;
    gint64 o = (gint64) centre - (gint64) n_taps / 2 +
        g_rand_int_range (rand, -1, 2);

    offset[x] = (guint32) CLAMP (o, 0, (gint64) in_w - n_taps);
    if (x > 0 && offset[x] < offset[x - 1])
      offset[x] = offset[x - 1];
    for (j = 0; j < n_taps; j++)
      taps[(gsize) x * n_taps + j] = (gint16) ((1 << precision) / n_taps +
          g_rand_int_range (rand, -spread, spread + 1));
  }
}

/* Random filters and rows of bytes (@words FALSE; rounding with
 * 2^(precision - 1)) or words (any 16-bit value, rounding with @round:
 * GStreamer's 2^precision - 1, or others), every level against the rule */
static void
check_case (GRand * rand, gboolean words, guint in_w, guint out_w,
    guint n_taps, guint precision, gint32 round, gint spread)
{
  const guint bps = words ? 2 : 1, max = words ? 65535 : 255;
  guint32 *offset = g_new (guint32, out_w);
  gint16 *taps = g_new (gint16, (gsize) out_w * n_taps);
  guint8 *in = g_malloc (in_w * bps), *want = g_malloc (out_w * bps);
  guint8 *got = g_malloc (out_w * bps);
  EclutSimdLevel level;
  guint i, j;

  if (!words)
    round = 1 << (precision - 1);
  random_filter (rand, in_w, out_w, n_taps, precision, spread, offset, taps);
  for (i = 0; i < in_w; i++)
    put (in, words, i, (guint) g_rand_int_range (rand, 0, max + 1));
  /* runs of black and white reach the clamps */
  for (i = 0; i + 8 < in_w; i += 24) {
    guint v = g_rand_boolean (rand) ? max : 0;

    for (j = 0; j < 8; j++)
      put (in, words, i + j, v);
  }
  literal_row (words, out_w, n_taps, offset, taps, precision, round, in,
      want);

  for (level = ECLUT_SIMD_C; level <= ECLUT_SIMD_AVX2; level++) {
    EclutHFilter *f = words ?
        eclut_hfilter_new_words_for_level (in_w, out_w, n_taps, offset, taps,
        precision, round, level) :
        eclut_hfilter_new_for_level (in_w, out_w, n_taps, offset, taps,
        precision, level);

    g_assert_nonnull (f);
    memset (got, 0xa5, out_w * bps);
    if (words)
      eclut_hfilter_row_words (f, (const guint16 *) in, (guint16 *) got);
    else
      eclut_hfilter_row (f, in, got);
    for (i = 0; i < out_w; i++)
      if (get (got, words, i) != get (want, words, i))
        g_error ("%s: in %u out %u taps %u precision %u round %d spread %d, "
            "%s: pixel %u %u, want %u", words ? "words" : "bytes", in_w,
            out_w, n_taps, precision, round, spread,
            eclut_hfilter_describe (f), i, get (got, words, i),
            get (want, words, i));
    eclut_hfilter_free (f);
  }
  g_free (offset);
  g_free (taps);
  g_free (in);
  g_free (want);
  g_free (got);
}

static void
test_rule (void)
{
  GRand *rand = g_rand_new_with_seed (1234);
  static const guint widths[][2] = {
    {1, 1}, {16, 16}, {17, 40}, {40, 17}, {100, 64}, {64, 100}, {1280, 1920},
    {2560, 1920}, {1920, 2560}, {333, 31}, {48, 47}, {4000, 997},
  };
  guint w, n_taps;

  for (w = 0; w < G_N_ELEMENTS (widths); w++) {
    for (n_taps = 1; n_taps <= 20; n_taps++) {
      if (n_taps > widths[w][0])
        break;
      /* GStreamer's 8-bit taps (6 bits, lanczos-like overshoot) */
      check_case (rand, FALSE, widths[w][0], widths[w][1], n_taps, 6, 0, 12);
      /* taps that no longer fit a byte, or a pair that would saturate:
       * the C code, same result */
      check_case (rand, FALSE, widths[w][0], widths[w][1], n_taps, 8, 0,
          100);
      check_case (rand, FALSE, widths[w][0], widths[w][1], n_taps, 14, 0,
          3000);
      check_case (rand, FALSE, widths[w][0], widths[w][1], n_taps, 1, 0, 2);
      /* words: GStreamer's 12-bit taps and rounding, and others */
      check_case (rand, TRUE, widths[w][0], widths[w][1], n_taps, 12, 4095,
          600);
      check_case (rand, TRUE, widths[w][0], widths[w][1], n_taps, 12, 2048,
          40);
      check_case (rand, TRUE, widths[w][0], widths[w][1], n_taps, 6, 0, 3);
    }
  }
  g_rand_free (rand);
}

/* A filter of 32 pixels from a row of @in_w built for AVX2: where the CPU
 * has it, the code it chose is @want (else the C code); then freed. */
static void
check_code (guint in_w, guint n_taps, const guint32 * offset,
    const gint16 * taps, const gchar * want)
{
  EclutHFilter *f = eclut_hfilter_new_for_level (in_w, 32, n_taps, offset,
      taps, 6, ECLUT_SIMD_AVX2);
  gboolean avx2 = eclut_simd_level () == ECLUT_SIMD_AVX2;

  g_assert_nonnull (f);
  g_assert_cmpstr (eclut_hfilter_describe (f), ==, avx2 ? want : "C");
  g_assert_true (eclut_hfilter_has_simd (f) == (avx2 && strcmp (want,
              "C") != 0));
  eclut_hfilter_free (f);
}

/* The SIMD code is used where it may be, and only there */
static void
test_levels (void)
{
  guint32 offset[32], off3[32];
  gint16 taps[32 * 9];
  EclutHFilter *f;
  guint x;

  for (x = 0; x < 32; x++) {
    offset[x] = x + 4;
    off3[x] = 3 * x;
  }
  for (x = 0; x < 32 * 9; x++)
    taps[x] = 7;
  check_code (64, 8, offset, taps, "AVX2, 8-sample windows from shared loads");
  /* windows 3 samples apart: 4 of them span more than 16 */
  check_code (128, 8, off3, taps, "AVX2, 8-sample windows");
  /* 9 taps: 16-sample windows */
  check_code (64, 9, offset, taps, "AVX2, 16-sample windows");
  f = eclut_hfilter_new_for_level (64, 32, 8, offset, taps, 6,
      ECLUT_SIMD_C);
  g_assert_cmpstr (eclut_hfilter_describe (f), ==, "C");
  g_assert_false (eclut_hfilter_has_simd (f));
  eclut_hfilter_free (f);
  /* a tap outside a byte: C */
  taps[5] = 200;
  check_code (64, 8, offset, taps, "C");
}

static void
test_refused (void)
{
  guint32 offset[4] = { 0, 1, 2, 3 };
  gint16 taps[4 * 4] = { 0 };

  g_assert_null (eclut_hfilter_new (0, 4, 1, offset, taps, 6));
  g_assert_null (eclut_hfilter_new (8, 0, 1, offset, taps, 6));
  g_assert_null (eclut_hfilter_new (8, 4, 0, offset, taps, 6));
  g_assert_null (eclut_hfilter_new (8, 4, 4, offset, taps, 0));
  g_assert_null (eclut_hfilter_new (8, 4, 4, offset, taps, 15));
  /* the last window (3 .. 6) leaves a row of 6 */
  g_assert_null (eclut_hfilter_new (6, 4, 4, offset, taps, 6));
  g_assert_null (eclut_hfilter_new_words (8, 4, 4, offset, taps, 12, -1));
  g_assert_null (eclut_hfilter_new_words (8, 4, 4, offset, taps, 12, 4097));
  taps[0] = 16385;
  g_assert_null (eclut_hfilter_new_words (8, 4, 4, offset, taps, 12, 0));
  taps[0] = 0;
  g_assert_nonnull (offset);
  {
    EclutHFilter *f = eclut_hfilter_new (7, 4, 4, offset, taps, 6);

    g_assert_nonnull (f);
    eclut_hfilter_free (f);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hfilter/rule", test_rule);
  g_test_add_func ("/hfilter/levels", test_levels);
  g_test_add_func ("/hfilter/refused", test_refused);
  return g_test_run ();
}
