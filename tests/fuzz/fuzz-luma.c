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

/* Fuzz target: the luma core with random sizes, strides, expand steps,
 * rescale parameters and row splits, on random tables.  Checked:
 * - no access outside the source plane, the destination plane or the
 *   scratch (each allocated to its exact size, so ASan sees one byte past);
 * - the bytes between a row's end and the stride are never written;
 * - the result equals a literal transcription of docs/lut-format.md
 *   (rot90, pairs, pixel shuffle, expand with refl(), rescale), and any
 *   split of the output rows gives the same bytes as one call.
 *
 * The tables (two per scale: a random payload with many extreme entries,
 * and one close to nearest neighbour but for two channels, whose x2 edge
 * patches take the compact layout of the AVX2 edge path) are loaded once with
 * eclut_lut_load_data(), with expand step r; the expand step, rescale
 * shift and bias are fuzzed on a copy of the in-memory table.  Sizes are small
 * (at most 12 x 6 input pixels) so one execution stays well under a
 * millisecond.
 *
 * 10-bit planes (docs/lut-format.md, "Inference at 10 bits") likewise,
 * through a plan for U10_LSB or U10_MSB samples, with the bits outside
 * the value fuzzed too (they must be ignored, and written as zero).
 *
 * Input: scale (and table: byte / 3 odd for the near one; the samples,
 * byte / 6 % 3: 8-bit, 10-bit LSB, 10-bit MSB), step, shift,
 * bias, width, height, source and destination
 * stride padding, number of splits and 4 split positions, then pixels
 * (repeated cyclically; none: a flat grey plane). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "eclut-edge.h"
#include "eclut-edge3.h"
#include "eclut-luma.h"
#include "eclut-lut-private.h"
#include "eclut-simd.h"
#include "../core/eclut-test-util.h"

#define MAX_W 12
#define MAX_H 6

static EclutLut *tables[6];     /* random x2-x4, then near x2-x4 */

static void
fill_random (gint8 * payload, gsize n, guint r, gpointer data)
{
  guint32 s = 0x9e3779b9u * r;
  gsize i;

  (void) data;
  for (i = 0; i < n; i++) {
    s = s * 1664525u + 1013904223u;
    /* a quarter of the entries at the int8 extremes */
    switch (s >> 30) {
      case 0:
        payload[i] = (s >> 29) & 1 ? 127 : -128;
        break;
      default:
        payload[i] = (gint8) (s >> 20);
        break;
    }
  }
}

/* Close to nearest neighbour with a little noise, but for full-range
 * random channels 4 and 7 (the centre and below): at x2 its edge patches
 * fit the compact layout of the AVX2 edge path, with two-byte cells that
 * span more than a byte (eclut-edge.h), where the random table's take the
 * int16 layout. */
static void
fill_near (gint8 * payload, gsize n, guint r, gpointer data)
{
  const gsize e = 9 * r * r;
  guint32 s = 0x7f4a7c15u * r;
  gsize i;

  (void) data;
  for (i = 0; i < n; i++) {
    guint c = (guint) (i % e / (r * r));

    s = s * 1664525u + 1013904223u;
    payload[i] = (gint8) (c == 4 || c == 7 ? (gint) (s >> 24) - 128 :
        ((gint) (i / e / 256) * 4 + 18) / 36 + (gint) (s >> 29) - 3);
  }
}

/* Loaded with expand step r, and the edge paths' tables (x2, x3) built
 * here, once: the fuzzed copies (step 1 or r) share them. */
static EclutLut *
get_table (guint r, gboolean near)
{
  EclutLut **t = near ? &tables[r - 2 + 3] : &tables[r - 2];

  if (*t == NULL) {
    gsize size;
    guint8 *img = test_make_table (r, r, 2, 2, near ? fill_near :
        fill_random, NULL, &size);
    GError *err = NULL;

    *t = eclut_lut_load_data (img, size, "fuzz-luma", r, &err);
    g_assert_no_error (err);
    /* else the compact layout would go unfuzzed */
    if (near && r == 2 && eclut_simd_level () >= ECLUT_SIMD_AVX2)
      g_assert (eclut_edge_tables (*t)->bytes == ECLUT_EDGE_COMPACT_BYTES);
    if (r == 2)
      (void) eclut_edge_tables (*t);
    else if (r == 3)
      (void) eclut_edge3_tables (*t);
    g_free (img);
  }
  return *t;
}

/* the spec, literally: the value of J = rot90 (I, k) at (y, x) */
static guint
ref_j (const guint8 * I, gint stride, guint H, guint W, guint k, guint y,
    guint x)
{
  switch (k) {
    case 0:
      return I[(gsize) y * stride + x];
    case 1:
      return I[(gsize) x * stride + (W - 1 - y)];
    case 2:
      return I[(gsize) (H - 1 - y) * stride + (W - 1 - x)];
    default:
      return I[(gsize) (H - 1 - x) * stride + y];
  }
}

/* the spec's sum S at (Y, X) */
static gint64
ref_sum (const EclutLut * lut, const guint8 * I, gint stride, guint H,
    guint W, guint Y, guint X)
{
  const gint r = lut->scale, st = lut->expand_step;
  const gint RH = r * H, RW = r * W;
  gint64 S = 0;
  guint k;

  for (k = 0; k < 4; k++) {
    /* J and O (the rotation's HR result) sizes, and where (Y, X) of
     * R_k = rot90 (O, -k) lies in O */
    guint hJ = (k & 1) ? W : H, wJ = (k & 1) ? H : W;
    gint rh = r * hJ, rw = r * wJ, y, x, dy, dx;

    switch (k) {
      case 0:
        y = Y;
        x = X;
        break;
      case 1:
        y = RW - 1 - X;
        x = Y;
        break;
      case 2:
        y = RH - 1 - Y;
        x = RW - 1 - X;
        break;
      default:
        y = X;
        x = RH - 1 - Y;
        break;
    }
    for (dy = -1; dy <= 1; dy++)
      for (dx = -1; dx <= 1; dx++) {
        gint yy = test_refl (y - dy * st, rh), xx = test_refl (x - dx * st, rw);
        guint ly = yy / r, lx = xx / r;
        guint a = ref_j (I, stride, H, W, k, ly, lx);
        guint b = ref_j (I, stride, H, W, k, MIN (ly + 1, hJ - 1), lx);
        guint e = ((dy + 1) * 3 + (dx + 1)) * r * r + (yy % r) * r + xx % r;

        S += eclut_lut_get_entry (lut, a, b, e);
      }
  }
  return S;
}

/* floor (v / 2^s), spelled out */
static gint64
floor_div (gint64 v, guint s)
{
  return v >= 0 ? v / ((gint64) 1 << s) :
      -((-v + ((gint64) 1 << s) - 1) / ((gint64) 1 << s));
}

static guint8
ref_pixel (const EclutLut * lut, const guint8 * I, gint stride, guint H,
    guint W, guint Y, guint X)
{
  gint64 v = ref_sum (lut, I, stride, H, W, Y, X) + lut->rescale_bias;

  v = floor_div (v, lut->rescale_shift);
  return (guint8) CLAMP (v, 0, 255);
}

/* The 10-bit sample (Y, X): floor ((8 (S + b) - 3 * 2^s) / 2^(s + 1)) +
 * (V & 3) of its LR pixel, S the sum on the top 8 bits @I, @V the
 * 10-bit values (both @W wide, packed). */
static guint
ref_pixel10 (const EclutLut * lut, const guint8 * I, const guint16 * V,
    guint H, guint W, guint Y, guint X)
{
  const guint r = lut->scale, s = lut->rescale_shift;
  gint64 S = ref_sum (lut, I, (gint) W, H, W, Y, X);
  gint64 v = floor_div (8 * (S + lut->rescale_bias) - 3 * ((gint64) 1 << s),
      s + 1) + (V[(gsize) (Y / r) * W + X / r] & 3);

  return (guint) CLAMP (v, 0, 1023);
}

/* The 10-bit case: the plan for @samples (LSB or MSB) on the same bytes. */
static void
check10 (EclutLut * lut, EclutSamples samples, const FuzzIn * in, guint w,
    guint h, guint src_pad, guint dst_pad, const guint * split,
    guint n_split)
{
  const guint r = lut->scale, rw = r * w, rh = r * h;
  const gboolean msb = samples == ECLUT_SAMPLES_U10_MSB;
  const gint src_stride = (gint) (2 * w + src_pad);
  const gint dst_stride = (gint) (2 * rw + dst_pad);
  const gsize src_size = (gsize) (h - 1) * src_stride + 2 * w;
  const gsize dst_size = (gsize) (rh - 1) * dst_stride + 2 * rw;
  EclutLumaPlan *plan = eclut_luma_plan_new_for_samples (lut, w, h, samples);
  guint8 *src = g_malloc (src_size), *dst1 = g_malloc (dst_size);
  guint8 *dst2 = g_malloc (dst_size), *hi = g_malloc ((gsize) w * h);
  guint16 *V = g_new (guint16, (gsize) w * h);
  void *scratch = NULL;
  guint i, x, y;

  g_assert (plan != NULL);
  g_assert (strstr (eclut_luma_plan_describe (plan), "10-bit") != NULL);
  g_assert (posix_memalign (&scratch, 16,
          eclut_luma_plan_scratch_size (plan)) == 0);
  for (i = 0; i < src_size; i++)
    src[i] = in->n ? in->p[i % in->n] : 128;
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      const guint8 *p = src + (gsize) y * src_stride + 2 * x;
      guint raw = p[0] | (guint) p[1] << 8;

      V[y * w + x] = (guint16) (msb ? raw >> 6 : raw & 1023);
      hi[y * w + x] = (guint8) (V[y * w + x] >> 2);
    }
  memset (dst1, 0xA5, dst_size);
  memset (dst2, 0x5A, dst_size);
  eclut_luma_plan_upscale_rows (plan, src, src_stride, dst1, dst_stride, 0,
      rh, scratch);
  for (i = 0; i <= n_split; i++)
    eclut_luma_plan_upscale_rows (plan, src, src_stride, dst2, dst_stride,
        split[i], split[i + 1], scratch);

  for (y = 0; y < rh; y++) {
    const guint8 *row1 = dst1 + (gsize) y * dst_stride;

    for (x = 0; x < rw; x++) {
      guint want = ref_pixel10 (lut, hi, V, h, w, y, x) << (msb ? 6 : 0);
      guint got = row1[2 * x] | (guint) row1[2 * x + 1] << 8;

      if (got != want) {
        g_printerr ("10-bit %s r=%u st=%u %ux%u: (%u, %u) = %u, spec %u\n",
            msb ? "MSB" : "LSB", r, lut->expand_step, w, h, y, x, got, want);
        abort ();
      }
    }
    if (memcmp (row1, dst2 + (gsize) y * dst_stride, 2 * rw) != 0) {
      g_printerr ("10-bit r=%u %ux%u: row %u differs with a row split\n", r,
          w, h, y);
      abort ();
    }
    if (y + 1 < rh)
      for (x = 2 * rw; x < (guint) dst_stride; x++)
        g_assert (row1[x] == 0xA5 && dst2[(gsize) y * dst_stride + x] == 0x5A);
  }
  eclut_luma_plan_free (plan);
  free (scratch);
  g_free (V);
  g_free (hi);
  g_free (src);
  g_free (dst1);
  g_free (dst2);
}

static gpointer
scratch_new (const EclutLut * lut, guint w)
{
  gsize n = eclut_luma_scratch_size (lut, w);
  void *p = NULL;

  g_assert (n != G_MAXSIZE);
  g_assert (posix_memalign (&p, 16, n) == 0);
  return p;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzIn in = { data, size };
  EclutLut lut;
  guint r, w, h, rw, rh, src_pad, dst_pad, n_split, split[6], i, x, y;
  EclutSamples samples;
  gint src_stride, dst_stride;
  guint8 *src, *dst1, *dst2, *ref;
  gsize src_size, dst_size;
  gpointer scratch;

  fuzz_setup ();

  i = fuzz_u8 (&in);
  r = 2 + i % 3;
  /* a copy: fields fuzzed, tables (and the derived ones, all built)
   * shared; its lock its own */
  lut = *get_table (r, (i / 3) & 1);
  samples = (EclutSamples) (i / 6 % 3);
  g_mutex_init (&lut.derived_lock);
  lut.expand_step = (fuzz_u8 (&in) & 1) ? r : 1;
  lut.rescale_shift = fuzz_u8 (&in) % 9;
  lut.rescale_bias = fuzz_u8 (&in) % (1 << lut.rescale_shift);
  w = 1 + fuzz_u8 (&in) % MAX_W;
  h = 1 + fuzz_u8 (&in) % MAX_H;
  src_pad = fuzz_u8 (&in) % 40;
  dst_pad = fuzz_u8 (&in) % 40;
  rw = r * w;
  rh = r * h;
  n_split = fuzz_u8 (&in) % 5;
  split[0] = 0;
  for (i = 1; i <= 4; i++)
    split[i] = fuzz_u8 (&in) % (rh + 1);
  /* sorted split points 0 <= s1 <= ... <= rh */
  for (i = 1; i <= n_split; i++) {
    guint j;

    for (j = i + 1; j <= n_split; j++)
      if (split[j] < split[i]) {
        guint t = split[i];

        split[i] = split[j];
        split[j] = t;
      }
  }
  split[n_split + 1] = rh;

  if (samples != ECLUT_SAMPLES_U8) {
    check10 (&lut, samples, &in, w, h, src_pad, dst_pad, split, n_split);
    g_mutex_clear (&lut.derived_lock);
    return 0;
  }

  /* exact-size planes: the last row has no padding after it */
  src_stride = w + src_pad;
  dst_stride = rw + dst_pad;
  src_size = (gsize) (h - 1) * src_stride + w;
  dst_size = (gsize) (rh - 1) * dst_stride + rw;
  src = g_malloc (src_size);
  for (i = 0; i < src_size; i++)
    src[i] = in.n ? in.p[i % in.n] : 128;
  dst1 = g_malloc (dst_size);
  dst2 = g_malloc (dst_size);
  memset (dst1, 0xA5, dst_size);
  memset (dst2, 0x5A, dst_size);
  scratch = scratch_new (&lut, w);

  eclut_luma_upscale_rows (&lut, src, src_stride, w, h, dst1, dst_stride,
      0, rh, scratch);
  for (i = 0; i <= n_split; i++)
    eclut_luma_upscale_rows (&lut, src, src_stride, w, h, dst2, dst_stride,
        split[i], split[i + 1], scratch);
  /* an empty range writes nothing */
  eclut_luma_upscale_rows (&lut, src, src_stride, w, h, dst2, dst_stride,
      split[1], split[1], scratch);

  ref = g_malloc (rw);
  for (y = 0; y < rh; y++) {
    const guint8 *row1 = dst1 + (gsize) y * dst_stride;

    for (x = 0; x < rw; x++)
      ref[x] = ref_pixel (&lut, src, src_stride, h, w, y, x);
    if (memcmp (row1, ref, rw) != 0) {
      g_printerr ("r=%u st=%u %ux%u: row %u differs from the spec\n",
          r, lut.expand_step, w, h, y);
      abort ();
    }
    if (memcmp (row1, dst2 + (gsize) y * dst_stride, rw) != 0) {
      g_printerr ("r=%u %ux%u: row %u differs with a row split\n", r, w, h,
          y);
      abort ();
    }
    if (y + 1 < rh)
      for (x = rw; x < (guint) dst_stride; x++)
        g_assert (row1[x] == 0xA5 && dst2[(gsize) y * dst_stride + x] == 0x5A);
  }

  g_free (ref);
  free (scratch);
  g_free (src);
  g_free (dst1);
  g_free (dst2);
  g_mutex_clear (&lut.derived_lock);
  return 0;
}
