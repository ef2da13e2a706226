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
 * instruction set the CPU has, and at 10 bits; then with a table per
 * position (phases 2, 3 and 4, expand step 2, the fastest level), and the
 * same for the quad pair at phases 4.
 * With -10, also the 10-bit path (P010 samples: the same picture x 4 plus
 * a pattern in the two low bits) beside the 8-bit plan, both through
 * eclut_luma_plan_upscale_rows ().
 * With -R, only the resampling filters that follow the table at sizes that
 * are not r times the input (eclut-hfilter.c, eclut-vfilter.c), bytes and
 * words, at each instruction set: the 1080p -> 1440p job's luma (x2 table
 * output 3840x2160 shrunk to 2560x1440, 6 taps) and chroma (960x540 grown
 * to 1280x720, 4 taps), with windowed-sinc taps as GStreamer's lanczos
 * makes them. */

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
#include "eclut-hfilter.h"
#include "eclut-vfilter.h"

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
bench_refine (const guint8 * src, guint w, guint h, guint step, guint phases,
    guint iters, EclutSimdLevel level, EclutSamples samples,
    EclutRefinePair pair)
{
  GRand *rnd = g_rand_new_with_seed (18);
  const gsize n_entries = (gsize) 65536 * ECLUT_REFINE_ENTRIES * phases
      * phases;
  gint8 *table = g_malloc (n_entries);
  guint bps = eclut_samples_bytes (samples);
  guint8 *in = g_malloc ((gsize) w * h * bps);
  guint8 *dst = g_malloc ((gsize) w * h * bps);
  gpointer scratch = g_malloc (eclut_refine_scratch_size (w));
  EclutRefine *stage;
  gint64 t0, best = G_MAXINT64;
  gsize i;

  for (i = 0; i < n_entries; i++)
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
  stage = eclut_refine_new_simd (table, step, 5, 16, TRUE, pair, phases,
      level);
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

/* Integer taps (summing to 2^@bits) and first samples of a windowed sinc
 * (lanczos, a = 2 growing, 3 shrinking) of @n_taps from @in to @out
 * samples, centre-aligned, the windows kept in the row */
static void
resample_taps (guint in, guint out, guint n_taps, guint bits,
    guint32 * offset, gint16 * taps)
{
  const double scale = (double) out / in, a = scale < 1.0 ? 3.0 : 2.0;
  const double stretch = MIN (scale, 1.0);
  guint x, j;

  for (x = 0; x < out; x++) {
    double centre = (x + 0.5) / scale - 0.5, w[64], sum = 0.0;
    gint first = (gint) floor (centre) - (gint) n_taps / 2 + 1;
    gint isum = 0, big = 0;

    first = CLAMP (first, 0, (gint) (in - n_taps));
    offset[x] = (guint32) first;
    for (j = 0; j < n_taps; j++) {
      double d = (first + (gint) j - centre) * stretch;
      double v = fabs (d) < 1e-9 ? 1.0 : fabs (d) >= a ? 0.0 :
          a * sin (G_PI * d) * sin (G_PI * d / a) / (G_PI * G_PI * d * d);

      w[j] = v;
      sum += v;
    }
    for (j = 0; j < n_taps; j++) {
      taps[x * n_taps + j] = (gint16) floor (0.5 + w[j] / sum * (1 << bits));
      isum += taps[x * n_taps + j];
      if (taps[x * n_taps + j] > taps[x * n_taps + big])
        big = (gint) j;
    }
    taps[x * n_taps + big] += (gint16) ((1 << bits) - isum);
  }
}

/* ns per output sample of the horizontal and vertical filters, @in_w x
 * @in_h to @out_w x @out_h, bytes or words, each instruction set */
static void
bench_resample (guint in_w, guint in_h, guint out_w, guint out_h,
    guint n_taps, gboolean words, guint iters)
{
  const guint bits = words ? 12 : 6, bps = words ? 2 : 1;
  const gint32 round = words ? 4095 : 32;
  GRand *rnd = g_rand_new_with_seed (16);
  guint32 *h_off = g_new (guint32, out_w), *v_off = g_new (guint32, out_h);
  gint16 *h_taps = g_new (gint16, (gsize) out_w * n_taps);
  gint16 *v_taps = g_new (gint16, (gsize) out_h * n_taps);
  guint8 *src = g_malloc ((gsize) in_w * in_h * bps);
  guint8 *mid = g_malloc ((gsize) in_w * out_h * bps);
  guint8 *dst = g_malloc ((gsize) out_w * out_h * bps);
  gint level;
  gsize i;

  for (i = 0; i < (gsize) in_w * in_h * bps; i++)
    src[i] = (guint8) (words && i % 2 ? g_rand_int_range (rnd, 0, 4) :
        g_rand_int_range (rnd, 0, 256));
  resample_taps (in_w, out_w, n_taps, bits, h_off, h_taps);
  resample_taps (in_h, out_h, n_taps, bits, v_off, v_taps);
  for (level = eclut_simd_level (); level >= ECLUT_SIMD_C; level--) {
    EclutHFilter *hf = words ?
        eclut_hfilter_new_words_for_level (in_w, out_w, n_taps, h_off,
        h_taps, bits, round, level) :
        eclut_hfilter_new_for_level (in_w, out_w, n_taps, h_off, h_taps,
        bits, level);
    gint64 t0, best_v = G_MAXINT64, best_h = G_MAXINT64;
    guint it, y, j;

    for (it = 0; it < iters + 1; it++) {
      t0 = thread_cpu_us ();
      for (y = 0; y < out_h; y++) {
        const guint8 *rows[64];

        for (j = 0; j < n_taps; j++)
          rows[j] = src + (gsize) (v_off[y] + j) * in_w * bps;
        if (words)
          eclut_vfilter_row_words_for_level ((const guint16 * const *) rows,
              v_taps + (gsize) y * n_taps, n_taps, bits, round, in_w,
              (guint16 *) (mid + (gsize) y * in_w * bps), level);
        else
          eclut_vfilter_row_for_level (rows, v_taps + (gsize) y * n_taps,
              n_taps, bits, in_w, mid + (gsize) y * in_w, level);
      }
      t0 = thread_cpu_us () - t0;
      if (it > 0 && t0 < best_v)
        best_v = t0;
      t0 = thread_cpu_us ();
      for (y = 0; y < out_h; y++) {
        if (words)
          eclut_hfilter_row_words (hf, (const guint16 *) (mid + (gsize) y *
                  in_w * bps), (guint16 *) (dst + (gsize) y * out_w * bps));
        else
          eclut_hfilter_row (hf, mid + (gsize) y * in_w,
              dst + (gsize) y * out_w);
      }
      t0 = thread_cpu_us () - t0;
      if (it > 0 && t0 < best_h)
        best_h = t0;
    }
    g_print ("%ux%u -> %ux%u, %u taps, %s, %s: vertical %.3f, horizontal "
        "(%s) %.3f ns per output sample\n", in_w, in_h, out_w, out_h, n_taps,
        words ? "words" : "bytes", eclut_simd_name (level),
        best_v * 1000.0 / ((double) in_w * out_h),
        eclut_hfilter_describe (hf),
        best_h * 1000.0 / ((double) out_w * out_h));
    eclut_hfilter_free (hf);
  }
  g_free (h_off);
  g_free (v_off);
  g_free (h_taps);
  g_free (v_taps);
  g_free (src);
  g_free (mid);
  g_free (dst);
  g_rand_free (rnd);
}

int
main (int argc, char **argv)
{
  const gchar *dir = ECLUT_LUT_SOURCE_DIR, *raw = NULL;
  guint iters = 5, raw_w = 0, raw_h = 0, r, only = 0;
  gboolean tenbit = FALSE, resample = FALSE;
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
    else if (!strcmp (argv[i], "-R"))
      resample = TRUE;
    else {
      g_printerr ("usage: %s [-t TABLE_DIR] [-n ITERATIONS] [-s SCALE] "
          "[-i RAW_Y WIDTH HEIGHT] [-10] [-R]\n", argv[0]);
      return 2;
    }
  }

  if (resample) {
    guint words;

    for (words = 0; words <= 1; words++) {
      bench_resample (3840, 2160, 2560, 1440, 6, words, iters);
      bench_resample (960, 540, 1280, 720, 4, words, iters);
    }
    return 0;
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
      guint st, phases;
      double lr10;

      for (st = 1; st <= ECLUT_REFINE_MAX_STEP; st++) {
        gint level;

        /* each instruction set this CPU has, fastest first */
        for (level = eclut_simd_level (); level >= ECLUT_SIMD_C; level--) {
          double lr = bench_refine (up, 2 * w, 2 * h, st, 1, iters, level,
              ECLUT_SAMPLES_U8, ECLUT_REFINE_PAIR_BELOW);

          g_print ("refine stage, expand step %u, on the x2 output "
              "3840x2160, %s: %.2f ns/px (%.1f fps)\n", st,
              eclut_simd_name (level), lr, 1e9 / (lr * npx));
        }
        lr10 = bench_refine (up, 2 * w, 2 * h, st, 1, iters,
            eclut_simd_level (), ECLUT_SAMPLES_U10_LSB,
            ECLUT_REFINE_PAIR_BELOW);
        g_print ("refine stage, expand step %u, 10 bits (I420_10LE), %s: "
            "%.2f ns/px (%.1f fps)\n", st, eclut_simd_name (eclut_simd_level
                ()), lr10, 1e9 / (lr10 * npx));
      }
      for (phases = 2; phases <= ECLUT_REFINE_MAX_PHASES; phases++) {
        double lr = bench_refine (up, 2 * w, 2 * h, 2, phases, iters,
            eclut_simd_level (), ECLUT_SAMPLES_U8, ECLUT_REFINE_PAIR_BELOW);

        g_print ("refine stage, expand step 2, phases %u, %s: %.2f ns/px "
            "(%.1f fps)\n", phases, eclut_simd_name (eclut_simd_level ()),
            lr, 1e9 / (lr * npx));
      }
      {
        /* the quad pair (its index made per pixel) against the pairs */
        double lr = bench_refine (up, 2 * w, 2 * h, 2,
            ECLUT_REFINE_MAX_PHASES, iters, eclut_simd_level (),
            ECLUT_SAMPLES_U8, ECLUT_REFINE_PAIR_QUAD);

        g_print ("refine stage, the quad pair, expand step 2, phases %u, "
            "%s: %.2f ns/px (%.1f fps)\n", ECLUT_REFINE_MAX_PHASES,
            eclut_simd_name (eclut_simd_level ()), lr, 1e9 / (lr * npx));
      }
      g_free (up);
    }
    g_free (src);
    eclut_lut_unref (lut);
    g_free (path);
  }
  return 0;
}
