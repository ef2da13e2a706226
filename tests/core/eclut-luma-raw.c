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


/* The luma core on a raw plane, for the python tests that compare it with
 * the numpy reference (tests/python/test_tenbit.py):
 *
 *   eclut-luma-raw LUT W H u8|lsb|msb IN OUT [STRIPE]
 *
 * IN: H rows of W samples of the layout, tightly packed (16-bit samples
 * little endian); OUT: the upscaled plane, the same layout, packed.  The
 * core runs through a plan with padded strides, in stripes of STRIPE HR
 * rows (0 or absent: one call), each with stale scratch.  Prints the
 * plan's description. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "eclut-lut.h"
#include "eclut-luma.h"

int
main (int argc, char **argv)
{
  g_autoptr (GError) err = NULL;
  g_autoptr (EclutLut) lut = NULL;
  g_autoptr (EclutLumaPlan) plan = NULL;
  g_autofree gchar *in = NULL;
  g_autofree guint8 *src = NULL, *dst = NULL, *out = NULL, *mem = NULL;
  gsize in_len, bps, ss;
  EclutSamples samples;
  guint w, h, r, stripe = 0, y, y0;
  gint sstride, dstride;
  gpointer scratch;

  if (argc < 7 || argc > 8) {
    g_printerr ("usage: %s LUT W H u8|lsb|msb IN OUT [STRIPE]\n", argv[0]);
    return 2;
  }
  w = (guint) atoi (argv[2]);
  h = (guint) atoi (argv[3]);
  if (w == 0 || h == 0 || w > 65536 || h > 65536) {
    g_printerr ("bad size %s x %s\n", argv[2], argv[3]);
    return 2;
  }
  if (strcmp (argv[4], "u8") == 0)
    samples = ECLUT_SAMPLES_U8;
  else if (strcmp (argv[4], "lsb") == 0)
    samples = ECLUT_SAMPLES_U10_LSB;
  else if (strcmp (argv[4], "msb") == 0)
    samples = ECLUT_SAMPLES_U10_MSB;
  else {
    g_printerr ("bad layout %s\n", argv[4]);
    return 2;
  }
  if (argc == 8)
    stripe = (guint) atoi (argv[7]);

  lut = eclut_lut_load_file (argv[1], 0, &err);
  if (lut == NULL) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  r = eclut_lut_get_scale (lut);
  bps = samples == ECLUT_SAMPLES_U8 ? 1 : 2;
  if (!g_file_get_contents (argv[5], &in, &in_len, &err)) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  if (in_len != (gsize) w * h * bps) {
    g_printerr ("%s: %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT
        "\n", argv[5], in_len, (gsize) w * h * bps);
    return 1;
  }

  plan = eclut_luma_plan_new_for_samples (lut, w, h, samples);
  if (plan == NULL)
    return 1;
  printf ("%s\n", eclut_luma_plan_describe (plan));

  /* padded strides: the core must not assume packed rows */
  sstride = (gint) (w * bps + 6);
  dstride = (gint) (r * w * bps + 10);
  src = g_malloc0 ((gsize) sstride * h);
  dst = g_malloc ((gsize) dstride * r * h);
  memset (dst, 0xA5, (gsize) dstride * r * h);
  for (y = 0; y < h; y++)
    memcpy (src + (gsize) y * sstride, in + (gsize) y * w * bps, w * bps);
  ss = eclut_luma_plan_scratch_size (plan);
  mem = g_malloc (ss + 16);
  scratch = mem + ((16 - GPOINTER_TO_SIZE (mem)) & 15);

  if (stripe == 0)
    stripe = r * h;
  for (y0 = 0; y0 < r * h; y0 += stripe) {
    memset (scratch, (gint) (y0 * 29 + 7), ss);
    eclut_luma_plan_upscale_rows (plan, src, sstride, dst, dstride, y0,
        MIN (y0 + stripe, r * h), scratch);
  }

  out = g_malloc ((gsize) r * w * bps * r * h);
  for (y = 0; y < r * h; y++) {
    const guint8 *row = dst + (gsize) y * dstride;
    guint k;

    memcpy (out + (gsize) y * r * w * bps, row, r * w * bps);
    /* the bytes past the row are the caller's */
    for (k = r * w * bps; k < (guint) dstride; k++)
      if (row[k] != 0xA5) {
        g_printerr ("row %u: byte %u past the row written\n", y, k);
        return 1;
      }
  }
  if (!g_file_set_contents (argv[6], (const gchar *) out,
          (gssize) r * w * bps * r * h, &err)) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  return 0;
}
