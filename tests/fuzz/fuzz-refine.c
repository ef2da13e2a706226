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

/* Fuzz target: the refine stage (eclut-refine.h) on small planes of every
 * sample layout, with fuzzed expand step, rescale shift and bias, mode,
 * strides and row splits, on a random table.  Checked:
 * - no access outside the source plane, the destination plane or the
 *   scratch (each allocated to its exact size, so ASan sees one byte past);
 * - the bytes between a row's end and the stride are never written;
 * - plain C equals a direct transcription of docs/lut-format.md (per
 *   pixel, the 36 reads with refl() and the clamped neighbours), every
 *   SIMD level the CPU has equals plain C, and any split of the output
 *   rows gives the same bytes as one call.
 *
 * Input: step, shift, bias, mode (with the pair and the phases), layout,
 * width, height, source and destination stride padding, number of splits
 * and 4 split positions, then samples (repeated cyclically; none: a flat
 * plane). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "eclut-refine-private.h"
#include "eclut-luma-private.h"   /* eclut_refl () */

#define MAX_W 70
#define MAX_H 7

static gint8 *table;

static void
make_table (void)
{
  guint32 s = 0x9e3779b9u;
  guint i;

  /* room for the most phases; fewer read the start of it */
  table = g_malloc ((gsize) 65536 * ECLUT_REFINE_ENTRIES
      * ECLUT_REFINE_MAX_PHASES * ECLUT_REFINE_MAX_PHASES);
  for (i = 0; i < 65536 * ECLUT_REFINE_ENTRIES * ECLUT_REFINE_MAX_PHASES
      * ECLUT_REFINE_MAX_PHASES; i++) {
    s = s * 1664525u + 1013904223u;
    /* a quarter of the entries at the int8 extremes */
    table[i] = (s >> 30) == 0 ? ((s >> 29) & 1 ? 127 : -128) : (gint8) (s >>
        20);
  }
}

static guint
read_v (const guint8 * p, EclutSamples samples)
{
  guint v;

  if (samples == ECLUT_SAMPLES_U8)
    return p[0];
  v = p[0] | (guint) p[1] << 8;
  return samples == ECLUT_SAMPLES_U10_MSB ? v >> 6 : v & 1023;
}

/* The quad pair's level of a difference @d: 7 + sign (d) m, m the number
 * of the steps 1, 3, 6, 10, 16, 26, 46 that |d| reaches. */
static guint
quad_level (gint d)
{
  static const gint steps[] = { 1, 3, 6, 10, 16, 26, 46 };
  guint i, m = 0;

  for (i = 0; i < G_N_ELEMENTS (steps); i++)
    m += ABS (d) >= steps[i];
  return d < 0 ? 7 - m : 7 + m;
}

/* The spec at pixel (y, x): rotation k pairs a pixel with its neighbour
 * below, left, above or right (clamped), or with @pair 1 below-right,
 * below-left, above-left or above-right, or with @pair 2 the rounded mean
 * of that first neighbour and the one a quarter turn on (right, below,
 * left, above), or with @pair 3 the quad index of the pixel, those two
 * neighbours and the diagonal one; channel c = (dy, dx) reads the
 * pair at the displacement (-dy, -dx) st of the rotated frame, which is
 * this frame's (oy, ox) below, reflected; with @P phases, the entries of
 * that pixel's position (i mod P) P + (j mod P), (i, j) its coordinates in
 * the rotated frame. */
static guint
spec_pixel (const guint8 * src, gint stride, guint w, guint h,
    EclutSamples samples, guint st, guint shift, gint bias,
    gboolean residual, EclutRefinePair pair, guint P, guint y, guint x)
{
  static const gint nb[2][4][2] = {
    {{1, 0}, {0, -1}, {-1, 0}, {0, 1}},
    {{1, 1}, {1, -1}, {-1, -1}, {-1, 1}}
  };
  const guint bps = eclut_samples_bytes (samples);
  const guint extra = samples == ECLUT_SAMPLES_U8 ? 0 : 2;
  gint S = 0, v, max = samples == ECLUT_SAMPLES_U8 ? 255 : 1023;
  guint k, c;

#define H(yy, xx) (read_v (src + (gsize) (yy) * stride + (gsize) (xx) * bps, \
        samples) >> extra)
  for (k = 0; k < 4; k++)
    for (c = 0; c < 9; c++) {
      gint dy = (gint) c / 3 - 1, dx = (gint) c % 3 - 1, oy, ox;
      guint sy, sx, ny, nx, i, j, a, b;

      switch (k) {
        case 0:
          oy = -dy, ox = -dx;
          break;
        case 1:
          oy = -dx, ox = dy;
          break;
        case 2:
          oy = dy, ox = dx;
          break;
        default:
          oy = dx, ox = -dy;
          break;
      }
      sy = eclut_refl ((gint64) y + oy * (gint) st, h);
      sx = eclut_refl ((gint64) x + ox * (gint) st, w);
      ny = (guint) CLAMP ((gint) sy + nb[pair == 1][k][0], 0, (gint) h - 1);
      nx = (guint) CLAMP ((gint) sx + nb[pair == 1][k][1], 0, (gint) w - 1);
      /* numpy's rot90 (X, k): where (sy, sx) is in the rotated frame */
      i = k == 0 ? sy : k == 1 ? w - 1 - sx : k == 2 ? h - 1 - sy : sx;
      j = k == 0 ? sx : k == 1 ? sy : k == 2 ? w - 1 - sx : h - 1 - sy;
      b = H (ny, nx);
      a = H (sy, sx);
      if (pair == ECLUT_REFINE_PAIR_CORNER || pair == ECLUT_REFINE_PAIR_QUAD) {
        const guint ry = (guint) CLAMP ((gint) sy + nb[0][(k + 3) % 4][0], 0,
            (gint) h - 1);
        const guint rx = (guint) CLAMP ((gint) sx + nb[0][(k + 3) % 4][1], 0,
            (gint) w - 1);

        if (pair == ECLUT_REFINE_PAIR_CORNER)
          b = (b + H (ry, rx) + 1) >> 1;
        else {
          /* the quad index (below, right, below-right): a * 256 + b */
          const guint gy = (guint) CLAMP ((gint) sy + nb[1][k][0], 0,
              (gint) h - 1);
          const guint gx = (guint) CLAMP ((gint) sx + nb[1][k][1], 0,
              (gint) w - 1);
          const guint idx = (a >> 4) << 12
              | quad_level ((gint) b - (gint) a) << 8
              | quad_level ((gint) H (ry, rx) - (gint) a) << 4
              | quad_level ((gint) H (gy, gx) - (gint) a);

          a = idx >> 8;
          b = idx & 255;
        }
      }
      S += table[((gsize) (a * 256 + b) * P * P
              + i % P * P + j % P) * 9 + c];
    }
#undef H
  v = ((S + bias) * (1 << extra)) >> shift;
  if (residual)
    v += (gint) read_v (src + (gsize) y * stride + (gsize) x * bps, samples);
  v = CLAMP (v, 0, max);
  return samples == ECLUT_SAMPLES_U10_MSB ? (guint) v << 6 : (guint) v;
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzIn in = { data, size };
  EclutSamples samples;
  guint st, shift, residual, w, h, bps, src_pad, dst_pad, n_split, split[6];
  guint phases;
  EclutRefinePair pair;
  guint i, x, y, level, row_bytes;
  gint bias, src_stride, dst_stride;
  guint8 *src, *want, *got;
  gsize src_size, dst_size;
  void *scratch = NULL;
  EclutRefine *plain;

  fuzz_setup ();
  if (table == NULL)
    make_table ();

  st = 1 + fuzz_u8 (&in) % ECLUT_REFINE_MAX_STEP;
  shift = fuzz_u8 (&in) % 9;
  bias = (gint) (fuzz_u8 (&in) % (1u << shift));
  /* one byte for both, so that older inputs keep their other fields */
  residual = fuzz_u8 (&in);
  pair = residual & 32 ? ECLUT_REFINE_PAIR_QUAD : residual & 16 ?
      ECLUT_REFINE_PAIR_CORNER : (EclutRefinePair) ((residual >> 1) & 1);
  phases = 1 + (residual >> 2) % ECLUT_REFINE_MAX_PHASES;
  residual &= 1;
  samples = (EclutSamples) (fuzz_u8 (&in) % 3);
  w = 1 + fuzz_u8 (&in) % MAX_W;
  h = 1 + fuzz_u8 (&in) % MAX_H;
  src_pad = fuzz_u8 (&in) % 40;
  dst_pad = fuzz_u8 (&in) % 40;
  n_split = fuzz_u8 (&in) % 5;
  split[0] = 0;
  for (i = 1; i <= 4; i++)
    split[i] = fuzz_u8 (&in) % (h + 1);
  for (i = 1; i <= n_split; i++) {
    guint j;

    for (j = i + 1; j <= n_split; j++)
      if (split[j] < split[i]) {
        guint t = split[i];

        split[i] = split[j];
        split[j] = t;
      }
  }
  split[n_split + 1] = h;

  bps = eclut_samples_bytes (samples);
  row_bytes = w * bps;
  src_stride = (gint) (row_bytes + src_pad);
  dst_stride = (gint) (row_bytes + dst_pad);
  src_size = (gsize) (h - 1) * src_stride + row_bytes;
  dst_size = (gsize) (h - 1) * dst_stride + row_bytes;
  src = g_malloc (src_size);
  for (i = 0; i < src_size; i++)
    src[i] = in.n ? in.p[i % in.n] : 77;
  want = g_malloc (dst_size);
  got = g_malloc (dst_size);
  g_assert (posix_memalign (&scratch, 16, eclut_refine_scratch_size (w))
      == 0);

  /* plain C, one call, against the spec */
  plain = eclut_refine_new_simd (table, st, shift, bias, residual, pair,
      phases, ECLUT_SIMD_C);
  g_assert (plain != NULL);
  memset (want, 0xA5, dst_size);
  eclut_refine_rows_samples (plain, samples, src, src_stride, w, h, want,
      dst_stride, 0, h, scratch);
  eclut_refine_free (plain);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++) {
      const guint8 *p = want + (gsize) y * dst_stride + (gsize) x * bps;
      guint got_v = bps == 1 ? p[0] : (guint) (p[0] | p[1] << 8);
      guint spec = spec_pixel (src, src_stride, w, h, samples, st, shift,
          bias, residual, pair, phases, y, x);

      if (got_v != spec) {
        g_printerr ("layout %d %ux%u st %u shift %u bias %d residual %u "
            "pair %d: (%u, %u) is %u, the spec says %u\n", samples, w, h, st,
            shift, bias, residual, pair, x, y, got_v, spec);
        abort ();
      }
    }

  /* every level, split, against plain C */
  for (level = ECLUT_SIMD_C; level <= eclut_simd_level (); level++) {
    EclutRefine *stage = eclut_refine_new_simd (table, st, shift, bias,
        residual, pair, phases, (EclutSimdLevel) level);

    memset (got, 0x5A, dst_size);
    for (i = 0; i <= n_split; i++)
      eclut_refine_rows_samples (stage, samples, src, src_stride, w, h, got,
          dst_stride, split[i], split[i + 1], scratch);
    eclut_refine_free (stage);
    for (y = 0; y < h; y++) {
      const guint8 *a = want + (gsize) y * dst_stride;
      const guint8 *b = got + (gsize) y * dst_stride;

      if (memcmp (a, b, row_bytes) != 0) {
        g_printerr ("%s, %u splits: row %u differs from plain C\n",
            eclut_simd_name (level), n_split, y);
        abort ();
      }
      if (y + 1 < h)
        for (x = row_bytes; x < (guint) dst_stride; x++)
          g_assert (a[x] == 0xA5 && b[x] == 0x5A);
    }
  }

  free (scratch);
  g_free (got);
  g_free (want);
  g_free (src);
  return 0;
}
