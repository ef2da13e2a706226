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

/* Chroma scaling against a literal transcription of docs/lut-format.md,
 * "Chroma", for every scale, subsampling, siting, layout and sample
 * layout (8 bits, 10 bits in the low or the high bits of 16); the plan
 * (eclut_chroma_plan_new ()) at every SIMD level against the one-call
 * form, shared by threads. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib.h>
#include <string.h>

#include "eclut-chroma.h"
#include "eclut-chroma-private.h"   /* eclut_chroma_plan_new_for_level () */

/* the spec's source position, floor done by stepping (independent of the
 * core's division-based floor) */
static void
spec_pos (gint r, gint f, gint q, gint I, gint * x0, gint * w)
{
  gint D = 2 * r * f, P = 2 * f * I + (1 + q) * (1 - r), k;

  *x0 = 0;
  while (*x0 * D > P)
    (*x0)--;
  while ((*x0 + 1) * D <= P)
    (*x0)++;
  k = P - *x0 * D;
  *w = (256 * k + D / 2) / D;
}

static gint
cl (gint v, gint n)
{
  return v < 0 ? 0 : v >= n ? n - 1 : v;
}

/* the code value of sample @i of a row: a byte, or the 10 bits of a
 * little-endian word where the layout puts them */
static gint
spec_value (const EclutChromaParams * p, const guint8 * row, gint i)
{
  guint word;

  if (p->samples == ECLUT_SAMPLES_U8)
    return row[i];
  word = row[2 * i] | row[2 * i + 1] << 8;
  if (p->samples == ECLUT_SAMPLES_U10_MSB)
    return (word >> 6) & 1023;
  return word & 1023;
}

static gint
spec_sample (const EclutChromaParams * p, const guint8 * src, gint stride,
    gint Y, gint X, gint comp)
{
  gint nc = p->n_components, y0, wy, x0, wx, i, v[2];
  gint qy = p->sub_y == 2 && p->centred_y, qx = p->sub_x == 2 && p->centred_x;

  spec_pos (p->scale, p->sub_y, qy, Y, &y0, &wy);
  spec_pos (p->scale, p->sub_x, qx, X, &x0, &wx);
  /* vertical pass first, rounded to the sample's bits, at the two columns
   * needed */
  for (i = 0; i < 2; i++) {
    gint col = cl (x0 + i, p->in_width) * nc + comp;
    gint p0 = spec_value (p, src + cl (y0, p->in_height) * stride, col);
    gint p1 = spec_value (p, src + cl (y0 + 1, p->in_height) * stride, col);
    v[i] = (p0 * (256 - wy) + p1 * wy + 128) >> 8;
  }
  return (v[0] * (256 - wx) + v[1] * wx + 128) >> 8;
}

/* what the output holds at sample @i of @row */
static gint
got_word (const EclutChromaParams * p, const guint8 * row, gint i)
{
  if (p->samples == ECLUT_SAMPLES_U8)
    return row[i];
  return row[2 * i] | row[2 * i + 1] << 8;
}

static void
check (const EclutChromaParams * p, GRand * rnd)
{
  gint nc = p->n_components, bps = p->samples == ECLUT_SAMPLES_U8 ? 1 : 2;
  /* odd strides at 10 bits too: the core assumes no alignment */
  gint sstride = p->in_width * nc * bps + g_rand_int_range (rnd, 0, 7);
  gint dstride = p->out_width * nc * bps + g_rand_int_range (rnd, 0, 7);
  guint8 *src = g_malloc ((gsize) sstride * p->in_height);
  guint8 *dst = g_malloc ((gsize) dstride * p->out_height);
  gsize ss = eclut_chroma_scratch_size (p);
  guint8 *scratch_mem = g_malloc (ss + 16);
  gpointer scratch = scratch_mem + ((16 - GPOINTER_TO_SIZE (scratch_mem)) & 15);
  guint y, x, c, y0;
  gint split;

  /* random bytes and extremes; at 10 bits every bit is set somewhere, the
   * ones outside the value too (ignored) */
  for (x = 0; x < (guint) sstride * p->in_height; x++)
    src[x] = g_rand_boolean (rnd) ? g_rand_int_range (rnd, 0, 256) :
        (x % 2 ? 255 : 0);

  for (split = 0; split < 3; split++) {
    memset (dst, 0x5A, (gsize) dstride * p->out_height);
    for (y0 = 0; y0 < p->out_height;) {
      guint step = split == 1 ? 1 : (guint) g_rand_int_range (rnd, 0, 5);
      guint y1 = split == 0 ? p->out_height : MIN (p->out_height, y0 + step);
      memset (scratch, 0xEE, ss);
      eclut_chroma_upscale_rows (p, src, sstride, dst, dstride, y0, y1,
          scratch);
      y0 = y1;
    }
    for (y = 0; y < p->out_height; y++) {
      for (x = 0; x < p->out_width; x++)
        for (c = 0; c < (guint) nc; c++) {
          gint want = spec_sample (p, src, sstride, y, x, c);
          gint got = got_word (p, dst + y * dstride, x * nc + c);

          /* P010: the value in bits 6..15, bits 0..5 zero */
          if (p->samples == ECLUT_SAMPLES_U10_MSB)
            want <<= 6;
          if (got != want)
            g_error ("samples %d r=%u f=%u/%u q=%d/%d nc=%u %ux%u->%ux%u: "
                "(%u,%u,%u) = %d, spec says %d", p->samples, p->scale,
                p->sub_x, p->sub_y, p->centred_x, p->centred_y, nc,
                p->in_width, p->in_height, p->out_width, p->out_height, y, x,
                c, got, want);
        }
      for (x = p->out_width * nc * bps; x < (guint) dstride; x++)
        g_assert_cmpuint (dst[y * dstride + x], ==, 0x5A);
    }
  }
  g_free (scratch_mem);
  g_free (src);
  g_free (dst);
}

static void
test_all (void)
{
  GRand *rnd = g_rand_new_with_seed (42);
  static const guint luma[][2] = {
    {1, 1}, {2, 2}, {3, 5}, {7, 1}, {1, 7}, {17, 13}, {33, 20}, {150, 9},
  };
  guint r, fx, fy, qx, qy, nc, li, sm;

  for (sm = ECLUT_SAMPLES_U8; sm <= ECLUT_SAMPLES_U10_MSB; sm++)
  for (r = 2; r <= 4; r++)
    for (fx = 1; fx <= 2; fx++)
      for (fy = 1; fy <= 2; fy++)
        for (qx = 0; qx <= 1; qx++)
          for (qy = 0; qy <= 1; qy++)
            for (nc = 1; nc <= 2; nc++)
              for (li = 0; li < G_N_ELEMENTS (luma); li++) {
                EclutChromaParams p = { 0, };
                guint lw = luma[li][0], lh = luma[li][1];

                p.samples = sm;
                p.scale = r;
                p.sub_x = fx;
                p.sub_y = fy;
                p.centred_x = qx;
                p.centred_y = qy;
                p.n_components = nc;
                /* chroma of a luma plane lw x lh, as GStreamer sizes it */
                p.in_width = (lw + fx - 1) / fx;
                p.in_height = (lh + fy - 1) / fy;
                p.out_width = (r * lw + fx - 1) / fx;
                p.out_height = (r * lh + fy - 1) / fy;
                check (&p, rnd);
              }
  g_rand_free (rnd);
}

/* 16-byte aligned scratch of @size bytes filled with garbage; free
 * *@mem */
static gpointer
scratch_new (gsize size, guint8 ** mem)
{
  guint8 *m = g_malloc (size + 16);
  gpointer scratch = m + ((16 - GPOINTER_TO_SIZE (m)) & 15);

  memset (scratch, 0xEE, size);
  *mem = m;
  return scratch;
}

typedef struct
{
  const EclutChromaPlan *plan;
  const guint8 *src;
  gint sstride, dstride;
  guint8 *dst;
  /* the row ranges of this thread: [y[2 i], y[2 i + 1]) */
  guint n_ranges;
  guint y[64];
} PlanJob;

static gpointer
plan_job_run (gpointer data)
{
  PlanJob *job = data;
  guint8 *mem;
  gpointer scratch =
      scratch_new (eclut_chroma_plan_scratch_size (job->plan), &mem);
  guint i;

  for (i = 0; i < job->n_ranges; i++)
    eclut_chroma_plan_upscale_rows (job->plan, job->src, job->sstride,
        job->dst, job->dstride, job->y[2 * i], job->y[2 * i + 1], scratch);
  g_free (mem);
  return NULL;
}

/* @plan's output of @src into @dst (filled with 0x5A first) by @n_threads
 * threads, each taking random row ranges of a random split */
static void
plan_run_split (const EclutChromaPlan * plan, const EclutChromaParams * p,
    const guint8 * src, gint sstride, guint8 * dst, gint dstride,
    guint n_threads, GRand * rnd)
{
  PlanJob jobs[4];
  GThread *threads[4];
  guint y0 = 0, t;

  g_assert (n_threads >= 1 && n_threads <= G_N_ELEMENTS (jobs));
  memset (dst, 0x5A, (gsize) dstride * p->out_height);
  for (t = 0; t < n_threads; t++) {
    jobs[t].plan = plan;
    jobs[t].src = src;
    jobs[t].sstride = sstride;
    jobs[t].dst = dst;
    jobs[t].dstride = dstride;
    jobs[t].n_ranges = 0;
  }
  while (y0 < p->out_height) {
    guint step = (guint) g_rand_int_range (rnd, 0, 6);
    guint y1 = MIN (p->out_height, y0 + step);
    PlanJob *job = &jobs[g_rand_int_range (rnd, 0, n_threads)];

    /* the last range takes the rest */
    if (job->n_ranges == G_N_ELEMENTS (job->y) / 2 - 1)
      y1 = p->out_height;
    job->y[2 * job->n_ranges] = y0;
    job->y[2 * job->n_ranges + 1] = y1;
    job->n_ranges++;
    y0 = y1;
  }
  for (t = 0; t < n_threads; t++)
    threads[t] = g_thread_new ("plan", plan_job_run, &jobs[t]);
  for (t = 0; t < n_threads; t++)
    g_thread_join (threads[t]);
}

/* Random params: the plan of every SIMD level this CPU has, split over
 * rows and threads at random, against the one-call form of the process's
 * level (one call for the whole plane); two plans of the same params
 * alike. */
static void
test_plan (void)
{
  GRand *rnd = g_rand_new_with_seed (17);
  const EclutSimdLevel top = eclut_simd_level ();
  guint iter;

  for (iter = 0; iter < 300; iter++) {
    EclutChromaParams p = { 0, };
    guint lw, lh, bps, nc;
    gint sstride, dstride;
    guint8 *src, *want, *got, *mem;
    gpointer scratch;
    gsize ss, i;
    EclutSimdLevel level;

    p.samples = g_rand_int_range (rnd, ECLUT_SAMPLES_U8,
        ECLUT_SAMPLES_U10_MSB + 1);
    p.scale = g_rand_int_range (rnd, 2, 5);
    p.sub_x = g_rand_int_range (rnd, 1, 3);
    p.sub_y = g_rand_int_range (rnd, 1, 3);
    p.centred_x = g_rand_boolean (rnd);
    p.centred_y = g_rand_boolean (rnd);
    p.n_components = nc = g_rand_int_range (rnd, 1, 3);
    /* wide enough for the SIMD heads' whole steps, and narrow planes */
    lw = g_rand_boolean (rnd) ? g_rand_int_range (rnd, 1, 9) :
        g_rand_int_range (rnd, 9, 400);
    lh = g_rand_int_range (rnd, 1, 24);
    p.in_width = (lw + p.sub_x - 1) / p.sub_x;
    p.in_height = (lh + p.sub_y - 1) / p.sub_y;
    p.out_width = (p.scale * lw + p.sub_x - 1) / p.sub_x;
    p.out_height = (p.scale * lh + p.sub_y - 1) / p.sub_y;
    bps = p.samples == ECLUT_SAMPLES_U8 ? 1 : 2;
    sstride = p.in_width * nc * bps + g_rand_int_range (rnd, 0, 40);
    dstride = p.out_width * nc * bps + g_rand_int_range (rnd, 0, 40);

    src = g_malloc ((gsize) sstride * p.in_height);
    want = g_malloc ((gsize) dstride * p.out_height);
    got = g_malloc ((gsize) dstride * p.out_height);
    for (i = 0; i < (gsize) sstride * p.in_height; i++)
      src[i] = g_rand_int_range (rnd, 0, 256);
    ss = eclut_chroma_scratch_size (&p);
    scratch = scratch_new (ss, &mem);
    memset (want, 0x5A, (gsize) dstride * p.out_height);
    eclut_chroma_upscale_rows (&p, src, sstride, want, dstride, 0,
        p.out_height, scratch);
    g_free (mem);

    for (level = ECLUT_SIMD_C; level <= top; level++) {
      g_autoptr (EclutChromaPlan) plan =
          eclut_chroma_plan_new_for_level (&p, level);
      g_autoptr (EclutChromaPlan) other = eclut_chroma_plan_new (&p);
      const gchar *desc;
      gchar *prefix;

      g_assert_nonnull (plan);
      g_assert_nonnull (other);
      /* the one-call form's scratch holds the tables too */
      g_assert_cmpuint (eclut_chroma_plan_scratch_size (plan), <=, ss);
      desc = eclut_chroma_plan_describe (plan);
      prefix = g_strdup_printf ("bilinear x%u, %s%s, %s", p.scale,
          p.sub_x == 2 ? (p.sub_y == 2 ? "4:2:0" : "4:2:2") :
          (p.sub_y == 2 ? "4:4:0" : "4:4:4"), nc == 2 ? " interleaved" : "",
          bps == 1 ? "8-bit" : p.samples == ECLUT_SAMPLES_U10_MSB ?
          "10-bit (MSB)" : "10-bit (LSB)");
      g_assert_true (g_str_has_prefix (desc, prefix));
      g_assert_true (g_str_has_suffix (desc, level >= ECLUT_SIMD_AVX2 ?
              ", AVX2" : ", C"));
      g_free (prefix);

      plan_run_split (plan, &p, src, sstride, got, dstride,
          g_rand_int_range (rnd, 1, 5), rnd);
      if (memcmp (got, want, (gsize) dstride * p.out_height) != 0)
        g_error ("plan (%s) %ux%u->%ux%u: not the one-call form's bytes",
            desc, p.in_width, p.in_height, p.out_width, p.out_height);
      plan_run_split (other, &p, src, sstride, got, dstride, 1, rnd);
      g_assert_true (memcmp (got, want, (gsize) dstride * p.out_height)
          == 0);
    }
    g_free (src);
    g_free (want);
    g_free (got);
  }
  g_rand_free (rnd);
}

/* params the core refuses: no plan */
static void
test_plan_refused (void)
{
  EclutChromaParams ok = { 0, }, p;

  ok.scale = 2;
  ok.sub_x = ok.sub_y = 2;
  ok.n_components = 1;
  ok.in_width = ok.in_height = 4;
  ok.out_width = ok.out_height = 8;
  ok.samples = ECLUT_SAMPLES_U8;
  {
    g_autoptr (EclutChromaPlan) plan = eclut_chroma_plan_new (&ok);
    g_assert_nonnull (plan);
  }
  p = ok;
  p.scale = 5;
  g_assert_null (eclut_chroma_plan_new (&p));
  p = ok;
  p.scale = 1;
  g_assert_null (eclut_chroma_plan_new (&p));
  p = ok;
  p.sub_x = 3;
  g_assert_null (eclut_chroma_plan_new (&p));
  p = ok;
  p.n_components = 3;
  g_assert_null (eclut_chroma_plan_new (&p));
  p = ok;
  p.samples = (EclutSamples) 7;
  g_assert_null (eclut_chroma_plan_new (&p));
  p = ok;
  p.in_width = 0;
  g_assert_null (eclut_chroma_plan_new (&p));
  p = ok;
  p.in_height = 0;
  g_assert_null (eclut_chroma_plan_new (&p));
  p = ok;
  p.samples = ECLUT_SAMPLES_U10_LSB;
  p.in_width = G_MAXINT / 2 + 1;
  g_assert_null (eclut_chroma_plan_new (&p));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chroma/all", test_all);
  g_test_add_func ("/chroma/plan", test_plan);
  g_test_add_func ("/chroma/plan-refused", test_plan_refused);
  return g_test_run ();
}
