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


/* The vertical filter (eclut-vfilter.c): every code level against the
 * rule written out literally, for bytes and words, on random taps, rows
 * and widths (SIMD blocks and C tails). */

#include <glib.h>
#include <string.h>

#include "eclut-vfilter.h"

static gint64
floor_div (gint64 a, guint shift)
{
  gint64 q = a / ((gint64) 1 << shift);

  return q * ((gint64) 1 << shift) > a ? q - 1 : q;
}

static void
random_taps (GRand * rand, gint16 * taps, guint n_taps, guint precision,
    gint spread)
{
  guint j;

  for (j = 0; j < n_taps; j++)
    taps[j] = (gint16) ((1 << precision) / n_taps +
        g_rand_int_range (rand, -spread, spread + 1));
}

/* Sample @i of a row of bytes (@words FALSE) or 16-bit words */
static guint
get (const guint8 * row, gboolean words, guint i)
{
  return words ? ((const guint16 *) row)[i] : row[i];
}

/* Random rows, random taps around 2^precision / n_taps, and every level's
 * output against the rule: (round + sum of sample * tap) >> precision,
 * floored, clamped to the sample's range.  The bytes filter rounds with
 * 2^(precision - 1); @round is the words filter's. */
static void
check_case (GRand * rand, gboolean words, guint width, guint n_taps,
    guint precision, gint32 round, gint spread)
{
  const guint bps = words ? 2 : 1, max = words ? 65535 : 255;
  guint8 **rows = g_new (guint8 *, n_taps);
  gint16 *taps = g_new (gint16, n_taps);
  guint8 *want = g_malloc (width * bps), *got = g_malloc (width * bps);
  EclutSimdLevel level;
  guint i, j;

  if (!words)
    round = 1 << (precision - 1);
  random_taps (rand, taps, n_taps, precision, spread);
  for (j = 0; j < n_taps; j++) {
    rows[j] = g_malloc (width * bps);
    for (i = 0; i < width; i++) {
      guint v = (i / 8 + j) % 5 == 0 ? max * g_rand_boolean (rand) :
          (guint) g_rand_int_range (rand, 0, max + 1);

      if (words)
        ((guint16 *) rows[j])[i] = (guint16) v;
      else
        rows[j][i] = (guint8) v;
    }
  }
  for (i = 0; i < width; i++) {
    gint64 acc = round, v;

    for (j = 0; j < n_taps; j++)
      acc += (gint64) get (rows[j], words, i) * taps[j];
    v = CLAMP (floor_div (acc, precision), 0, (gint64) max);
    if (words)
      ((guint16 *) want)[i] = (guint16) v;
    else
      want[i] = (guint8) v;
  }
  for (level = ECLUT_SIMD_C; level <= ECLUT_SIMD_AVX2; level++) {
    memset (got, 0xa5, width * bps);
    if (words)
      eclut_vfilter_row_words_for_level ((const guint16 * const *) rows, taps,
          n_taps, precision, round, width, (guint16 *) got, level);
    else
      eclut_vfilter_row_for_level ((const guint8 * const *) rows, taps,
          n_taps, precision, width, got, level);
    for (i = 0; i < width; i++)
      if (get (got, words, i) != get (want, words, i))
        g_error ("%s: width %u taps %u precision %u round %d spread %d "
            "level %d: sample %u %u, want %u", words ? "words" : "bytes",
            width, n_taps, precision, round, spread, level, i,
            get (got, words, i), get (want, words, i));
  }
  for (j = 0; j < n_taps; j++)
    g_free (rows[j]);
  g_free (rows);
  g_free (taps);
  g_free (want);
  g_free (got);
}

static void
test_rule (void)
{
  GRand *rand = g_rand_new_with_seed (4321);
  static const guint widths[] = { 1, 15, 16, 31, 32, 33, 100, 1920, 3841 };
  guint w, n_taps;

  for (w = 0; w < G_N_ELEMENTS (widths); w++) {
    for (n_taps = 1; n_taps <= 17; n_taps++) {
      /* GStreamer's 8-bit taps (6 bits, overshoot), then taps that leave
       * the SIMD code's 16 bits (the C loop, same result) */
      check_case (rand, FALSE, widths[w], n_taps, 6, 0, 12);
      check_case (rand, FALSE, widths[w], n_taps, 10, 0, 200);
      /* words: GStreamer's 12-bit taps and rounding, and others */
      check_case (rand, TRUE, widths[w], n_taps, 12, 4095, 700);
      check_case (rand, TRUE, widths[w], n_taps, 12, 2048, 30);
      check_case (rand, TRUE, widths[w], n_taps, 3, 0, 1);
    }
  }
  g_rand_free (rand);
}

static void
test_has_simd (void)
{
  gint16 taps[6] = { -3, 10, 40, 20, -4, 1 };
  gboolean avx2 = eclut_simd_level () == ECLUT_SIMD_AVX2;

  g_assert_true (eclut_vfilter_has_simd (taps, 6, 6) == avx2);
  g_assert_true (eclut_vfilter_has_simd_words (taps, 6, 12) == avx2);
  /* a tap outside a byte; a sum that could leave 16 bits */
  taps[2] = 200;
  g_assert_false (eclut_vfilter_has_simd (taps, 6, 6));
  taps[2] = 120;
  taps[3] = 120;
  g_assert_false (eclut_vfilter_has_simd (taps, 6, 6));
  /* words: magnitudes over 2^14 */
  taps[0] = 16300;
  g_assert_false (eclut_vfilter_has_simd_words (taps, 6, 12));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vfilter/rule", test_rule);
  g_test_add_func ("/vfilter/has-simd", test_has_simd);
  return g_test_run ();
}
