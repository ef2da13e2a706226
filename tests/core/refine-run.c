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

/* Runs one refine stage on a raw plane, for the python tests that compare
 * the C core with the reference (tests/python/test_refine_samples.py):
 *
 *   refine-run TABLE STEP SHIFT BIAS RESIDUAL LAYOUT LEVEL WIDTH HEIGHT
 *       SPLIT IN OUT PAIR [PHASES]
 *
 * TABLE: 65536 * 9 PHASES^2 int8 (PHASES: 1 when not given); LAYOUT: u8, u10lsb or u10msb; LEVEL: 0 (C),
 * 1 (SSE2), 2 (AVX2), lowered to what the CPU has; SPLIT: the output rows
 * are written by two calls, [0, SPLIT) and [SPLIT, HEIGHT); IN, OUT: the
 * planes, rows packed (stride = width * bytes per sample); PAIR: 0 (the
 * pixel below) or 1 (below and to the right).  Prints the
 * name of the level that ran. */

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "eclut-refine-private.h"

int
main (int argc, char **argv)
{
  gchar *table = NULL, *in = NULL;
  gsize table_len, in_len;
  GError *err = NULL;
  EclutSamples samples;
  EclutRefine *stage;
  guint w, h, split, bps, phases;
  guint8 *out;
  gpointer scratch;
  gint stride;

  if (argc != 14 && argc != 15) {
    g_printerr ("usage: %s TABLE STEP SHIFT BIAS RESIDUAL LAYOUT LEVEL "
        "WIDTH HEIGHT SPLIT IN OUT PAIR [PHASES]\n", argv[0]);
    return 2;
  }
  phases = argc == 15 ? (guint) atoi (argv[14]) : 1;
  if (!strcmp (argv[6], "u8"))
    samples = ECLUT_SAMPLES_U8;
  else if (!strcmp (argv[6], "u10lsb"))
    samples = ECLUT_SAMPLES_U10_LSB;
  else if (!strcmp (argv[6], "u10msb"))
    samples = ECLUT_SAMPLES_U10_MSB;
  else {
    g_printerr ("unknown layout %s\n", argv[6]);
    return 2;
  }
  bps = eclut_samples_bytes (samples);
  w = (guint) atoi (argv[8]);
  h = (guint) atoi (argv[9]);
  split = (guint) atoi (argv[10]);
  stride = (gint) (w * bps);
  if (!g_file_get_contents (argv[1], &table, &table_len, &err)
      || !g_file_get_contents (argv[11], &in, &in_len, &err)) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  if (phases < 1 || phases > ECLUT_REFINE_MAX_PHASES
      || table_len != (gsize) 65536 * ECLUT_REFINE_ENTRIES * phases * phases
      || w == 0 || h == 0
      || split > h || in_len != (gsize) h * stride) {
    g_printerr ("bad table, size or plane\n");
    return 1;
  }
  stage = eclut_refine_new_simd ((const gint8 *) table, (guint) atoi (argv[2]),
      (guint) atoi (argv[3]), atoi (argv[4]), atoi (argv[5]) != 0,
      (EclutRefinePair) atoi (argv[13]), phases,
      (EclutSimdLevel) atoi (argv[7]));
  if (stage == NULL) {
    g_printerr ("parameters rejected\n");
    return 1;
  }
  out = g_malloc ((gsize) h * stride);
  scratch = g_malloc (eclut_refine_scratch_size (w));
  eclut_refine_rows_samples (stage, samples, (const guint8 *) in, stride, w,
      h, out, stride, 0, split, scratch);
  eclut_refine_rows_samples (stage, samples, (const guint8 *) in, stride, w,
      h, out, stride, split, h, scratch);
  if (!g_file_set_contents (argv[12], (const gchar *) out,
          (gssize) h * stride, &err)) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  g_print ("%s\n", eclut_simd_name (stage->simd));
  g_free (scratch);
  g_free (out);
  eclut_refine_free (stage);
  g_free (in);
  g_free (table);
  return 0;
}
