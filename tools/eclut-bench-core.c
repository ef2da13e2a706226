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

/* Microbenchmark of the core, single thread, no GStreamer:
 *   eclut-bench-core [-t TABLE_DIR] [-n ITERATIONS] [-s SCALE] [-i RAW_Y W H]
 *       [-10]
 * Times eclut_luma_upscale_rows() (and the 4:2:0 chroma planes; thread
 * CPU time, best of the runs) for each
 * scale at the input size whose output is 3840x2160, on a raw 8-bit luma
 * file if given (scaled to fit by cropping/tiling) or else on synthetic,
 * smooth, natural-ish content (textures and edges; a flat or random image
 * would make the table look unrealistically cache friendly or hostile).
 * The synthetic image is still kinder to the caches than photographs; for
 * numbers that matter, pass a photo converted to raw 8-bit grey (width a
 * multiple of 4, so GStreamer's rows are unpadded), e.g.
 *   gst-launch-1.0 filesrc location=p.png ! pngdec ! videoconvert !
 *       video/x-raw,format=GRAY8 ! filesink location=p.y
 * Then a refine stage of a version 2 table (eclut_refine_rows(), expand
 * steps 1 and 2, a random residual table) on the x2 table's 3840x2160
 * output: the extra cost per output pixel of quality=high, with each
 * instruction set the CPU has, and at 10 bits.
 * With -10, also the 10-bit path (P010 samples: the same picture x 4 plus
 * a pattern in the two low bits) beside the 8-bit plan, both through
 * eclut_luma_plan_upscale_rows (). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib.h>

#include "eclut-lut.h"
#include "eclut-luma.h"
#include "eclut-chroma.h"
#include "eclut-refine-private.h"   /* eclut_refine_new_simd () */

static void
synth (guint8 * img, guint w, guint h)
{
  GRand *rnd = g_rand_new_with_seed (7);
  guint x, y;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      double fx = (double) x / w, fy = (double) y / h;
      double v = 110 + 60 * sin (6.0 * fx + 2.0 * fy)
          + 25 * sin (40.0 * fx * fy + 3.0 * fy)
          + 12 * sin (0.11 * x + 0.07 * y) * cos (0.05 * y);
      /* a few hard edges (discs and a bar) */
      double dx = fx - 0.3, dy = fy - 0.4;
      if (dx * dx + dy * dy < 0.02)
        v = v * 0.4 + 150;
      if (fx > 0.7 && fx < 0.72)
        v = 20;
      v += g_rand_double_range (rnd, -3, 3);
      img[(gsize) y * w + x] = (guint8) CLAMP (lround (v), 0, 255);
    }
  g_rand_free (rnd);
}

static guint8 *
load_raw (const gchar * path, guint fw, guint fh, guint w, guint h)
{
  gchar *data = NULL;
  gsize len = 0;
  GError *err = NULL;
  guint8 *img;
  guint x, y;

  if (!g_file_get_contents (path, &data, &len, &err))
    g_error ("%s", err->message);
  if (fw == 0 || fh == 0 || len < (gsize) fw * fh)
    g_error ("'%s' is %" G_GSIZE_FORMAT " bytes, not a %ux%u 8-bit plane",
        path, len, fw, fh);
  img = g_malloc ((gsize) w * h);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      img[(gsize) y * w + x] = data[(gsize) (y % fh) * fw + x % fw];
  g_free (data);
  return img;
}

/* The calling thread's CPU time, us: on a shared machine a run that
 * another process interrupts is timed without the interruption (its
 * cache effects stay; the best of the runs is reported). */
static gint64
thread_cpu_us (void)
{
  struct timespec t;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &t);
  return (gint64) t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

static double
bench_luma (const EclutLut * lut, const guint8 * src, guint w, guint h,
    guint iters)
{
  guint r = eclut_lut_get_scale (lut);
  guint8 *dst = g_malloc ((gsize) r * w * r * h);
  gpointer scratch = g_malloc (eclut_luma_scratch_size (lut, w));
  gint64 t0, best = G_MAXINT64;
  guint i;

  for (i = 0; i < iters + 1; i++) {
    t0 = thread_cpu_us ();
    eclut_luma_upscale_rows (lut, src, w, w, h, dst, r * w, 0, r * h, scratch);
    t0 = thread_cpu_us () - t0;
    if (i > 0 && t0 < best)     /* the first run warms caches and ORC */
      best = t0;
  }
  g_free (scratch);
  g_free (dst);
  return best * 1000.0 / ((double) r * w * r * h);
}

/* ns per output pixel of a plan for @samples over @src (packed rows) */
static double
bench_plan (EclutLut * lut, EclutSamples samples, const guint8 * src,
    guint w, guint h, guint iters, const gchar ** desc)
{
  guint r = eclut_lut_get_scale (lut), bps = eclut_samples_bytes (samples);
  EclutLumaPlan *plan = eclut_luma_plan_new_for_samples (lut, w, h, samples);
  guint8 *dst = g_malloc ((gsize) r * w * r * h * bps);
  gpointer scratch = g_malloc (eclut_luma_plan_scratch_size (plan));
  gint64 t0, best = G_MAXINT64;
  guint i;

  for (i = 0; i < iters + 1; i++) {
    t0 = thread_cpu_us ();
    eclut_luma_plan_upscale_rows (plan, src, (gint) (w * bps), dst,
        (gint) (r * w * bps), 0, r * h, scratch);
    t0 = thread_cpu_us () - t0;
    if (i > 0 && t0 < best)
      best = t0;
  }
  *desc = g_intern_string (eclut_luma_plan_describe (plan));
  eclut_luma_plan_free (plan);
  g_free (scratch);
  g_free (dst);
  return best * 1000.0 / ((double) r * w * r * h);
}

/* The 8-bit and the 10-bit (P010) plans on @src (and its 10-bit form). */
static void
bench_tenbit (EclutLut * lut, const guint8 * src, guint w, guint h,
    guint iters)
{
  guint16 *v = g_new (guint16, (gsize) w * h);
  const gchar *d8, *d10;
  double t8, t10;
  guint x, y;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      guint val = 4u * src[(gsize) y * w + x] + ((x ^ (y >> 1)) & 3);

      v[(gsize) y * w + x] = GUINT16_TO_LE ((guint16) (val << 6));
    }
  t8 = bench_plan (lut, ECLUT_SAMPLES_U8, src, w, h, iters, &d8);
  t10 = bench_plan (lut, ECLUT_SAMPLES_U10_MSB, (const guint8 *) v, w, h,
      iters, &d10);
  g_print ("  plan 8-bit  %-40s %6.2f ns/px\n", d8, t8);
  g_print ("  plan 10-bit %-40s %6.2f ns/px (%.2fx)\n", d10, t10, t10 / t8);
  g_free (v);
}

static double
bench_chroma (guint r, const guint8 * src, guint w, guint h, guint iters)
{
  EclutChromaParams p = { 0, };
  guint8 *dst;
  gpointer scratch;
  gint64 t0, best = G_MAXINT64;
  guint i;

  p.scale = r;
  p.sub_x = p.sub_y = 2;
  p.centred_x = FALSE;          /* MPEG-2 siting: H cosited, V centred */
  p.centred_y = TRUE;
  p.n_components = 1;
  p.in_width = w / 2;
  p.in_height = h / 2;
  p.out_width = r * w / 2;
  p.out_height = r * h / 2;
  dst = g_malloc ((gsize) p.out_width * p.out_height);
  scratch = g_malloc (eclut_chroma_scratch_size (&p));
  for (i = 0; i < iters + 1; i++) {
    t0 = thread_cpu_us ();
    eclut_chroma_upscale_rows (&p, src, w, dst, p.out_width, 0,
        p.out_height, scratch);
    t0 = thread_cpu_us () - t0;
    if (i > 0 && t0 < best)
      best = t0;
  }
  g_free (scratch);
  g_free (dst);
  return best * 1000.0 / ((double) p.out_width * p.out_height);
}

/* ns per pixel of one refine stage with the kernels of @level over the
 * whole @w x @h 8-bit plane @src, in the sample layout @samples (10 bits:
 * 4 src + a dither, in the low bits) */
static double
bench_refine (const guint8 * src, guint w, guint h, guint step, guint iters,
    EclutSimdLevel level, EclutSamples samples)
{
  GRand *rnd = g_rand_new_with_seed (18);
  gint8 *table = g_malloc (65536 * ECLUT_REFINE_ENTRIES);
  guint bps = eclut_samples_bytes (samples);
  guint8 *in = g_malloc ((gsize) w * h * bps);
  guint8 *dst = g_malloc ((gsize) w * h * bps);
  gpointer scratch = g_malloc (eclut_refine_scratch_size (w));
  EclutRefine *stage;
  gint64 t0, best = G_MAXINT64;
  gsize i;

  for (i = 0; i < 65536 * ECLUT_REFINE_ENTRIES; i++)
    table[i] = (gint8) g_rand_int_range (rnd, -8, 8);
  for (i = 0; i < (gsize) w * h; i++) {
    if (bps == 1)
      in[i] = src[i];
    else {
      guint v = src[i] * 4u + (guint) (i * 7 % 4);

      in[2 * i] = (guint8) v;
      in[2 * i + 1] = (guint8) (v >> 8);
    }
  }
  stage = eclut_refine_new_simd (table, step, 5, 16, TRUE, level);
  for (i = 0; i < iters + 1; i++) {
    t0 = thread_cpu_us ();
    eclut_refine_rows_samples (stage, samples, in, w * bps, w, h, dst,
        w * bps, 0, h, scratch);
    t0 = thread_cpu_us () - t0;
    if (i > 0 && t0 < best)
      best = t0;
  }
  eclut_refine_free (stage);
  g_free (scratch);
  g_free (dst);
  g_free (in);
  g_free (table);
  g_rand_free (rnd);
  return best * 1000.0 / ((double) w * h);
}

int
main (int argc, char **argv)
{
  const gchar *dir = ECLUT_LUT_SOURCE_DIR, *raw = NULL;
  guint iters = 5, raw_w = 0, raw_h = 0, r, only = 0;
  gboolean tenbit = FALSE;
  int i;

  for (i = 1; i < argc; i++) {
    if (!strcmp (argv[i], "-t") && i + 1 < argc)
      dir = argv[++i];
    else if (!strcmp (argv[i], "-s") && i + 1 < argc)
      only = (guint) atoi (argv[++i]);
    else if (!strcmp (argv[i], "-n") && i + 1 < argc)
      iters = (guint) atoi (argv[++i]);
    else if (!strcmp (argv[i], "-i") && i + 3 < argc) {
      raw = argv[++i];
      raw_w = (guint) atoi (argv[++i]);
      raw_h = (guint) atoi (argv[++i]);
    } else if (!strcmp (argv[i], "-10"))
      tenbit = TRUE;
    else {
      g_printerr ("usage: %s [-t TABLE_DIR] [-n ITERATIONS] [-s SCALE] "
          "[-i RAW_Y WIDTH HEIGHT] [-10]\n", argv[0]);
      return 2;
    }
  }

  g_print ("scale  input      output     luma ns/px  luma fps  "
      "4:2:0 chroma ns/px  Y+UV fps\n");
  for (r = 2; r <= 4; r++) {
    guint w = 3840 / r, h = 2160 / r;
    guint8 *up = NULL;
    gchar *path = g_strdup_printf ("%s/eclut-x%u.lut", dir, r);
    GError *err = NULL;
    EclutLut *lut = eclut_lut_load_file (path, r, &err);
    guint8 *src;
    double ly, lc, npx = 3840.0 * 2160.0;

    if (only != 0 && r != only) {
      if (lut)
        eclut_lut_unref (lut);
      g_free (path);
      continue;
    }
    if (lut == NULL) {
      g_printerr ("%s\n", err->message);
      g_clear_error (&err);
      g_free (path);
      continue;
    }
    src = g_malloc ((gsize) w * h);
    if (raw)
      g_free (src), src = load_raw (raw, raw_w, raw_h, w, h);
    else
      synth (src, w, h);
    ly = bench_luma (lut, src, w, h, iters);
    lc = bench_chroma (r, src, w, h, iters);
    if (r == 2) {
      /* the x2 output is what a refine stage reads at 4K */
      gpointer scratch = g_malloc (eclut_luma_scratch_size (lut, w));

      up = g_malloc ((gsize) 4 * w * h);
      eclut_luma_upscale_rows (lut, src, w, w, h, up, 2 * w, 0, 2 * h,
          scratch);
      g_free (scratch);
    }
    g_print ("x%u     %4ux%-4u  %4ux%-4u  %9.2f  %8.1f  %18.2f  %8.1f\n",
        r, w, h, r * w, r * h, ly, 1e9 / (ly * npx), lc,
        1e9 / (ly * npx + 2 * lc * npx / 4));
    if (tenbit)
      bench_tenbit (lut, src, w, h, iters);
    if (up != NULL) {
      guint st;
      double lr10;

      for (st = 1; st <= ECLUT_REFINE_MAX_STEP; st++) {
        gint level;

        /* each instruction set this CPU has, fastest first */
        for (level = eclut_simd_level (); level >= ECLUT_SIMD_C; level--) {
          double lr = bench_refine (up, 2 * w, 2 * h, st, iters, level,
              ECLUT_SAMPLES_U8);

          g_print ("refine stage, expand step %u, on the x2 output "
              "3840x2160, %s: %.2f ns/px (%.1f fps)\n", st,
              eclut_simd_name (level), lr, 1e9 / (lr * npx));
        }
        lr10 = bench_refine (up, 2 * w, 2 * h, st, iters, eclut_simd_level (),
            ECLUT_SAMPLES_U10_LSB);
        g_print ("refine stage, expand step %u, 10 bits (I420_10LE), %s: "
            "%.2f ns/px (%.1f fps)\n", st, eclut_simd_name (eclut_simd_level
                ()), lr10, 1e9 / (lr10 * npx));
      }
      g_free (up);
    }
    g_free (src);
    eclut_lut_unref (lut);
    g_free (path);
  }
  return 0;
}
