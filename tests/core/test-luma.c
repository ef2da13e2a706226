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

/* The luma core against a literal transcription of docs/lut-format.md,
 * "Inference": np.rot90 done literally, nine HR planes, refl() per read,
 * rot90 back, sum, rescale, clamp.  Nothing is shared with the core. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib.h>

#include "eclut-edge.h"
#include "eclut-edge3.h"
#include "eclut-lut.h"
#include "eclut-lut-private.h"
#include "eclut-luma.h"
#include "eclut-simd.h"
#include "eclut-test-util.h"

typedef struct
{
  gint h, w;
  gint *v;
} Plane;

static Plane
plane_new (gint h, gint w)
{
  Plane p = { h, w, g_new0 (gint, (gsize) h * w) };
  return p;
}

#define AT(p, y, x) ((p).v[(gsize) (y) * (p).w + (x)])

/* np.rot90 (m, 1): out[y][x] = m[x][w-1-y], out is w x h */
static Plane
rot90_once (Plane m)
{
  Plane o = plane_new (m.w, m.h);
  gint y, x;

  for (y = 0; y < o.h; y++)
    for (x = 0; x < o.w; x++)
      AT (o, y, x) = AT (m, x, m.w - 1 - y);
  return o;
}

/* np.rot90 (m, k) for any k (negative too) */
static Plane
rot90 (Plane m, gint k)
{
  Plane cur = plane_new (m.h, m.w);
  gint n = ((k % 4) + 4) % 4;

  memcpy (cur.v, m.v, sizeof (gint) * m.h * m.w);
  while (n--) {
    Plane nx = rot90_once (cur);
    g_free (cur.v);
    cur = nx;
  }
  return cur;
}

static gint
floor_shift (gint v, guint s)
{
  /* floor (v / 2^s) without relying on >> of negatives */
  gint d = 1 << s;
  gint q = v / d;

  if (v % d != 0 && v < 0)
    q--;
  return q;
}

/* The spec's sum S (before the rescale), rH x rW. */
static Plane
reference_sum (const EclutLut * lut, const guint8 * img, gint H, gint W)
{
  gint r = eclut_lut_get_scale (lut), st = eclut_lut_get_expand_step (lut);
  Plane I = plane_new (H, W), S = plane_new (r * H, r * W);
  gint k, c, y, x, i, j, Y, X;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++)
      AT (I, y, x) = img[y * W + x];

  for (k = 0; k < 4; k++) {
    Plane J = rot90 (I, k), C[9], O, R;
    gint h = J.h, w = J.w, rh = r * h, rw = r * w;

    for (c = 0; c < 9; c++)
      C[c] = plane_new (rh, rw);
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++) {
        gint a = AT (J, y, x), bb = AT (J, MIN (y + 1, h - 1), x);
        for (c = 0; c < 9; c++)
          for (i = 0; i < r; i++)
            for (j = 0; j < r; j++)
              AT (C[c], y * r + i, x * r + j) =
                  eclut_lut_get_entry (lut, a, bb, c * r * r + i * r + j);
      }
    O = plane_new (rh, rw);
    for (Y = 0; Y < rh; Y++)
      for (X = 0; X < rw; X++) {
        gint sum = 0;
        for (c = 0; c < 9; c++) {
          gint dy = c / 3 - 1, dx = c % 3 - 1;
          sum += AT (C[c], test_refl (Y - dy * st, rh),
              test_refl (X - dx * st, rw));
        }
        AT (O, Y, X) = sum;
      }
    R = rot90 (O, -k);
    g_assert_cmpint (R.h, ==, r * H);
    g_assert_cmpint (R.w, ==, r * W);
    for (Y = 0; Y < r * H; Y++)
      for (X = 0; X < r * W; X++)
        AT (S, Y, X) += AT (R, Y, X);
    for (c = 0; c < 9; c++)
      g_free (C[c].v);
    g_free (O.v);
    g_free (R.v);
    g_free (J.v);
  }
  g_free (I.v);
  return S;
}

static guint8 *
reference (const EclutLut * lut, const guint8 * img, gint H, gint W)
{
  gint r = eclut_lut_get_scale (lut);
  gint s = eclut_lut_get_rescale_shift (lut);
  gint b = eclut_lut_get_rescale_bias (lut);
  Plane S = reference_sum (lut, img, H, W);
  guint8 *out = g_malloc ((gsize) r * H * r * W);
  gint Y, X;

  for (Y = 0; Y < r * H; Y++)
    for (X = 0; X < r * W; X++)
      out[Y * r * W + X] = CLAMP (floor_shift (AT (S, Y, X) + b, s), 0, 255);
  g_free (S.v);
  return out;
}

/* docs/lut-format.md, "Inference at 10 bits": S of the top 8 bits, then
 * floor ((8 (S + b) - 3 * 2^s) / 2^(s + 1)) + (V & 3), clamped. */
static guint16 *
reference10 (const EclutLut * lut, const guint16 * V, gint H, gint W)
{
  gint r = eclut_lut_get_scale (lut);
  gint s = eclut_lut_get_rescale_shift (lut);
  gint b = eclut_lut_get_rescale_bias (lut);
  guint8 *hi = g_malloc ((gsize) H * W);
  guint16 *out = g_new (guint16, (gsize) r * H * r * W);
  Plane S;
  gint Y, X;

  for (Y = 0; Y < H * W; Y++)
    hi[Y] = (guint8) (V[Y] >> 2);
  S = reference_sum (lut, hi, H, W);
  for (Y = 0; Y < r * H; Y++)
    for (X = 0; X < r * W; X++) {
      gint v = floor_shift (8 * (AT (S, Y, X) + b) - 3 * (1 << s), s + 1) +
          (V[(Y / r) * W + X / r] & 3);

      out[Y * r * W + X] = (guint16) CLAMP (v, 0, 1023);
    }
  g_free (S.v);
  g_free (hi);
  return out;
}

/* Tables: fully random (exercises the clamp and every entry), close to
 * nearest neighbour with noise (outputs mostly inside 0..255), or random
 * with full-range centre and below channels (4 and 7) and narrow others:
 * at x2, step 2, the edge path's compact layout, with the two-byte cells
 * (the sums of channels 4 and 7 of both ends of an edge) spanning more than
 * a byte (eclut-edge.h). */
static void
fill_random (gint8 * p, gsize n, guint r, gpointer data)
{
  GRand *rnd = data;
  gsize i;

  (void) r;
  for (i = 0; i < n; i++)
    p[i] = (gint8) (g_rand_int (rnd) & 0xFF);
}

static void
fill_near (gint8 * p, gsize n, guint r, gpointer data)
{
  GRand *rnd = data;
  gsize i, e = 9 * r * r;

  for (i = 0; i < n; i++) {
    gint a = (gint) (i / e / 256);
    p[i] = (gint8) ((4 * a + 18) / 36 + g_rand_int_range (rnd, -6, 7));
  }
}

static void
fill_wide (gint8 * p, gsize n, guint r, gpointer data)
{
  GRand *rnd = data;
  gsize i, rr = r * r;

  for (i = 0; i < n; i++) {
    guint c = (guint) (i % (9 * rr) / rr);

    p[i] = (gint8) (c == 4 || c == 7 ? (gint) (g_rand_int (rnd) & 0xFF) - 128
        : g_rand_int_range (rnd, -60, 61));
  }
}

enum
{ TABLE_RANDOM, TABLE_NEAR, TABLE_WIDE };

static EclutLut *
make_lut (GRand * rnd, guint r, guint step, guint shift, gint bias, guint kind)
{
  gsize size;
  guint8 *img = test_make_table (r, step, shift, bias,
      kind == TABLE_NEAR ? fill_near : kind == TABLE_WIDE ? fill_wide :
      fill_random, rnd, &size);
  GError *err = NULL;
  EclutLut *lut = eclut_lut_load_data (img, size, "test", r, &err);

  g_assert_no_error (err);
  g_free (img);
  return lut;
}

/* kind 0: uniform noise; 1: a steep ramp with noise; 2: a gentle ramp on
 * the left half and noise on the right, so that the AVX2 gather's batches
 * of 64 pixels take both its quiet-area and its busy-area branches
 * (prefetch, and at x4 four tables or two turned ones), and switch
 * between them along a row. */
static guint8 *
make_image (GRand * rnd, gint H, gint W, gint kind)
{
  guint8 *img = g_malloc ((gsize) H * W);
  gint y, x;

  for (y = 0; y < H; y++)
    for (x = 0; x < W; x++) {
      guint8 v;

      if (kind == 1)
        v = (guint8) ((x * 7 + y * 5 + g_rand_int_range (rnd, 0, 9)) & 0xFF);
      else if (kind == 2 && x < W / 2)
        v = (guint8) ((x + y) / 4 + g_rand_int_range (rnd, 0, 2));
      else
        v = (guint8) g_rand_int_range (rnd, 0, 256);
      img[y * W + x] = v;
    }
  return img;
}

/* eclut_luma_plan_stream_rows (): what each call of the consumer sees */
typedef struct
{
  const guint8 *want;           /* the plan's whole output */
  gint want_stride;
  const guint8 *ring;
  gint ring_stride;
  guint ring_rows, row_bytes, r, y0, y1, n_done;
} StreamCheck;

static void
stream_rows_done (gpointer data, guint n)
{
  StreamCheck *c = data;
  guint y;

  /* more rows each time, at most a block row more */
  g_assert_cmpuint (n, >, c->n_done);
  g_assert_cmpuint (n, <=, c->y1);
  g_assert_cmpuint (n - c->n_done, <=, c->r);
  /* the ring holds the rows it promises */
  for (y = MAX (c->y0, n > c->ring_rows ? n - c->ring_rows : 0); y < n; y++)
    if (memcmp (c->ring + (gsize) (y % c->ring_rows) * c->ring_stride,
            c->want + (gsize) y * c->want_stride, c->row_bytes) != 0)
      g_error ("stream rows [%u, %u) ring of %u: row %u differs when told "
          "%u are done", c->y0, c->y1, c->ring_rows, y, n);
  c->n_done = n;
}

/* The plan's streamed rows against its plain ones: whole and random row
 * ranges, rings of one row up to more than the plane (every path: edge,
 * block and general, 8 and 10 bits). */
static void
check_stream (EclutLut * lut, EclutSamples samples, const guint8 * src,
    gint sstride, gint H, gint W, GRand * rnd)
{
  const guint r = eclut_lut_get_scale (lut), bytes = eclut_samples_bytes
      (samples);
  g_autoptr (EclutLumaPlan) plan =
      eclut_luma_plan_new_for_samples (lut, W, H, samples);
  const guint ring_sizes[] = { 1, r, r + 1, 9, r * H + 3 };
  const gint stride = r * W * bytes + 5;
  gsize ss = eclut_luma_plan_scratch_size (plan);
  guint8 *scratch_mem, *want, *ring;
  gpointer scratch;
  guint i, k;

  scratch_mem = g_malloc (ss + 16);
  scratch = scratch_mem + ((16 - GPOINTER_TO_SIZE (scratch_mem)) & 15);
  want = g_malloc ((gsize) stride * r * H);
  ring = g_malloc ((gsize) stride * (r * H + 3));
  eclut_luma_plan_upscale_rows (plan, src, sstride, want, stride, 0, r * H,
      scratch);

  for (k = 0; k < 4; k++)
    for (i = 0; i < G_N_ELEMENTS (ring_sizes); i++) {
      StreamCheck c = { want, stride, ring, stride, ring_sizes[i],
        r * W * bytes, r, 0, r * H, 0
      };

      if (k > 0) {
        c.y0 = g_rand_int_range (rnd, 0, r * H);
        c.y1 = g_rand_int_range (rnd, c.y0 + 1, r * H + 1);
      }
      c.n_done = c.y0;
      memset (ring, 0x33, (gsize) stride * (r * H + 3));
      memset (scratch, k * 11 + i, ss);
      eclut_luma_plan_stream_rows (plan, src, sstride, ring, stride,
          c.ring_rows, c.y0, c.y1, scratch, stream_rows_done, &c);
      g_assert_cmpuint (c.n_done, ==, c.y1);
      /* nothing beyond the ring's rows */
      if (c.ring_rows < r * H + 3) {
        const guint8 *beyond = ring + (gsize) stride * c.ring_rows;
        gint x;

        for (x = 0; x < stride; x++)
          g_assert_cmpuint (beyond[x], ==, 0x33);
      }
    }
  g_free (ring);
  g_free (want);
  g_free (scratch_mem);
}

/* Runs the core on @img with padded strides and the given row split, checks
 * against @ref and that nothing outside the rows/width was written. */
static void
run_core (const EclutLut * lut, const guint8 * img, gint H, gint W,
    const guint8 * ref, const guint * cuts, guint n_cuts, GRand * rnd)
{
  guint r = eclut_lut_get_scale (lut);
  gint sstride = W + g_rand_int_range (rnd, 0, 9);
  gint dstride = r * W + g_rand_int_range (rnd, 0, 9);
  guint8 *src = g_malloc ((gsize) sstride * H);
  guint8 *dst = g_malloc ((gsize) dstride * r * H);
  gsize ss = eclut_luma_scratch_size (lut, W);
  guint8 *scratch_mem = g_malloc (ss + 16);
  gpointer scratch = scratch_mem + ((16 - GPOINTER_TO_SIZE (scratch_mem)) & 15);
  guint i, Y, X;

  memset (src, 0xA5, (gsize) sstride * H);
  for (Y = 0; Y < (guint) H; Y++)
    memcpy (src + Y * sstride, img + Y * W, W);
  memset (dst, 0x5A, (gsize) dstride * r * H);

  for (i = 0; i + 1 < n_cuts; i++) {
    /* stale scratch from the previous stripe must not matter */
    memset (scratch, i * 37 + 1, ss);
    eclut_luma_upscale_rows (lut, src, sstride, W, H, dst, dstride,
        cuts[i], cuts[i + 1], scratch);
  }
  for (Y = 0; Y < r * H; Y++) {
    for (X = 0; X < r * W; X++)
      if (dst[Y * dstride + X] != ref[Y * r * W + X])
        g_error ("r=%u st=%u %dx%d: out[%u][%u] = %u, spec says %u", r,
            eclut_lut_get_expand_step (lut), W, H, Y, X,
            dst[Y * dstride + X], ref[Y * r * W + X]);
    for (; X < (guint) dstride; X++)
      g_assert_cmpuint (dst[Y * dstride + X], ==, 0x5A);
  }
  if (n_cuts == 2)
    check_stream ((EclutLut *) lut, ECLUT_SAMPLES_U8, src, sstride, H, W,
        rnd);
  g_free (scratch_mem);
  g_free (src);
  g_free (dst);
}

/* The 10-bit plan for @samples on @V (with the unused bits set), padded
 * strides, the given row split; checked against @ref and that nothing
 * outside the rows was written. */
static void
run_core10 (EclutLut * lut, EclutSamples samples, const guint16 * V, gint H,
    gint W, const guint16 * ref, const guint * cuts, guint n_cuts,
    GRand * rnd)
{
  const guint r = eclut_lut_get_scale (lut);
  const gboolean msb = samples == ECLUT_SAMPLES_U10_MSB;
  gint sstride = 2 * W + 2 * g_rand_int_range (rnd, 0, 5);
  gint dstride = 2 * r * W + 2 * g_rand_int_range (rnd, 0, 5);
  guint8 *src = g_malloc ((gsize) sstride * H);
  guint8 *dst = g_malloc ((gsize) dstride * r * H);
  g_autoptr (EclutLumaPlan) plan =
      eclut_luma_plan_new_for_samples (lut, W, H, samples);
  gsize ss = eclut_luma_plan_scratch_size (plan);
  guint8 *scratch_mem = g_malloc (ss + 16);
  gpointer scratch = scratch_mem + ((16 - GPOINTER_TO_SIZE (scratch_mem)) & 15);
  guint i, Y, X;

  memset (src, 0xA5, (gsize) sstride * H);
  for (Y = 0; Y < (guint) H; Y++)
    for (X = 0; X < (guint) W; X++) {
      /* the unused bits set: they must be ignored */
      guint junk = g_rand_int_range (rnd, 0, 64);
      guint raw = msb ? (guint) V[Y * W + X] << 6 | junk :
          V[Y * W + X] | junk << 10;

      src[Y * sstride + 2 * X] = (guint8) raw;
      src[Y * sstride + 2 * X + 1] = (guint8) (raw >> 8);
    }
  memset (dst, 0x5A, (gsize) dstride * r * H);
  g_assert (strstr (eclut_luma_plan_describe (plan), "10-bit") != NULL);

  for (i = 0; i + 1 < n_cuts; i++) {
    memset (scratch, i * 37 + 1, ss);
    eclut_luma_plan_upscale_rows (plan, src, sstride, dst, dstride,
        cuts[i], cuts[i + 1], scratch);
  }
  for (Y = 0; Y < r * H; Y++) {
    for (X = 0; X < r * W; X++) {
      guint got = dst[Y * dstride + 2 * X] |
          (guint) dst[Y * dstride + 2 * X + 1] << 8;
      guint want = (guint) ref[Y * r * W + X] << (msb ? 6 : 0);

      if (got != want)
        g_error ("10-bit %s (%s) r=%u st=%u %dx%d: out[%u][%u] = %u, spec "
            "says %u", msb ? "MSB" : "LSB", eclut_luma_plan_describe (plan),
            r, eclut_lut_get_expand_step (lut), W, H, Y, X, got, want);
    }
    for (X = 2 * r * W; X < (guint) dstride; X++)
      g_assert_cmpuint (dst[Y * dstride + X], ==, 0x5A);
  }
  if (n_cuts == 2)
    check_stream (lut, samples, src, sstride, H, W, rnd);
  g_free (scratch_mem);
  g_free (src);
  g_free (dst);
}

/* Small and odd sizes for the borders; at x2 the edge path (AVX2) runs
 * from 3 x 3 up, takes LR rows two at a time (odd and even counts of
 * rows between a stripe's first and last), and pixels in batches of 64
 * (one, two, three and a partial batch). */
static const gint sizes[][2] = {        /* W x H */
  {1, 1}, {1, 7}, {7, 1}, {3, 5}, {5, 3}, {2, 2}, {3, 3}, {4, 4}, {17, 13},
  {31, 6}, {64, 48}, {150, 4}, {131, 9},
};

/* 10-bit planes: the image's 8-bit content with random low bits, both
 * layouts, one call and random stripes. */
static void
check_lut10 (EclutLut * lut, const guint8 * img, gint H, gint W,
    GRand * rnd)
{
  const guint r = eclut_lut_get_scale (lut);
  guint16 *V = g_new (guint16, (gsize) H * W);
  guint16 *ref;
  guint whole[2] = { 0, r * H };
  guint cap = 2 * r * H + 4, n, y, smp;
  guint *cuts = g_new (guint, cap);

  for (y = 0; y < (guint) (H * W); y++)
    V[y] = (guint16) (4 * img[y] + g_rand_int_range (rnd, 0, 4));
  ref = reference10 (lut, V, H, W);
  n = 0;
  cuts[n++] = 0;
  for (y = 0; y < r * H && n < cap - 1;
      y += g_rand_int_range (rnd, 0, 2 * r + 2))
    cuts[n++] = y;
  cuts[n++] = r * H;
  for (smp = ECLUT_SAMPLES_U10_LSB; smp <= ECLUT_SAMPLES_U10_MSB; smp++) {
    run_core10 (lut, smp, V, H, W, ref, whole, 2, rnd);
    run_core10 (lut, smp, V, H, W, ref, cuts, n, rnd);
  }
  g_free (cuts);
  g_free (ref);
  g_free (V);
}

static void
check_lut (const EclutLut * lut, GRand * rnd)
{
  guint si, r = eclut_lut_get_scale (lut);

  for (si = 0; si < G_N_ELEMENTS (sizes); si++) {
    gint W = sizes[si][0], H = sizes[si][1], pass;

    for (pass = 0; pass < 3; pass++) {
      guint8 *img = make_image (rnd, H, W, pass);
      guint8 *ref = reference (lut, img, H, W);
      guint whole[2] = { 0, r * H };
      guint cap = 2 * r * H + 4;
      guint *cuts = g_new (guint, cap);
      guint n, y;

      run_core (lut, img, H, W, ref, whole, 2, rnd);
      /* one call per HR row */
      for (y = 0; y <= r * H; y++)
        cuts[y] = y;
      run_core (lut, img, H, W, ref, cuts, r * H + 1, rnd);
      /* random stripes, empty ones included */
      n = 0;
      cuts[n++] = 0;
      for (y = 0; y < r * H && n < cap - 1;
          y += g_rand_int_range (rnd, 0, 2 * r + 2))
        cuts[n++] = y;
      cuts[n++] = r * H;
      run_core (lut, img, H, W, ref, cuts, n, rnd);
      check_lut10 ((EclutLut *) lut, img, H, W, rnd);

      g_free (cuts);
      g_free (ref);
      g_free (img);
    }
  }
}

static void
test_scale (gconstpointer data)
{
  guint r = GPOINTER_TO_UINT (data);
  GRand *rnd = g_rand_new_with_seed (1234 + r);
  guint si, layouts = 0;
  /* (step, shift, bias, table kind) */
  const guint cfg[][4] = {
    {1, 2, 2, TABLE_NEAR}, {r, 2, 2, TABLE_NEAR}, {1, 0, 0, TABLE_RANDOM},
    {r, 8, 255, TABLE_RANDOM}, {1, 5, 17, TABLE_RANDOM}, {r, 1, 1, TABLE_NEAR},
    {r, 2, 2, TABLE_WIDE},
  };

  for (si = 0; si < G_N_ELEMENTS (cfg); si++) {
    EclutLut *lut = make_lut (rnd, r, cfg[si][0], cfg[si][1], cfg[si][2],
        cfg[si][3]);

    /* the wide table must reach the compact edge layout, or its test of
     * the two-byte cells would be vacuous */
    if (cfg[si][3] == TABLE_WIDE && r == 2
        && eclut_simd_level () >= ECLUT_SIMD_AVX2)
      g_assert_cmpuint (eclut_edge_tables (lut)->bytes, ==,
          ECLUT_EDGE_COMPACT_BYTES);
    /* at x3 the tables close to nearest neighbour take the compact edge
     * layout, the fully random ones (sums of two entries spanning more
     * than a byte) the int16 one */
    if (r == 3 && cfg[si][0] == 3 && eclut_simd_level () >= ECLUT_SIMD_AVX2)
      layouts |= eclut_edge3_tables (lut)->compact ? 1 : 2;
    check_lut (lut, rnd);
    eclut_lut_unref (lut);
  }
  /* both x3 edge layouts tested */
  if (r == 3 && eclut_simd_level () >= ECLUT_SIMD_AVX2)
    g_assert_cmpuint (layouts, ==, 3);
  g_rand_free (rnd);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/luma/x2", GUINT_TO_POINTER (2), test_scale);
  g_test_add_data_func ("/luma/x3", GUINT_TO_POINTER (3), test_scale);
  g_test_add_data_func ("/luma/x4", GUINT_TO_POINTER (4), test_scale);
  return g_test_run ();
}
