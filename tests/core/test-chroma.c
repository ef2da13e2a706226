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
 * layout (8 bits, 10 bits in the low or the high bits of 16). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <glib.h>
#include <string.h>

#include "eclut-chroma.h"

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chroma/all", test_all);
  return g_test_run ();
}
