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

/* Fuzz target: the chroma core with random scales, subsampling, siting,
 * planar or interleaved planes, 8 or 10-bit samples (low or high bits of
 * 16), sizes, strides and row splits.  Checked as
 * for the luma target: exact-size buffers (ASan), the stride padding is
 * never written, the result equals the spec's formula (docs/lut-format.md,
 * "Chroma") and does not depend on the row split.  Output sizes are those
 * the element computes for a luma size (W, H), or with a flag any size up
 * to twice that, which the core must also handle.
 *
 * Input: scale, flags, luma width, luma height, output size overrides,
 * stride paddings, number of splits and 4 split positions, then samples. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"
#include "eclut-chroma.h"

#define MAX_W 40
#define MAX_H 20

/* the spec's sample position on one axis: source index and weight */
static void
ref_pos (guint r, guint f, gboolean centred, guint i, gint64 * x0, guint * w)
{
  gint64 q = (f == 2 && centred) ? 1 : 0;
  gint64 D = 2 * (gint64) r * f;
  gint64 P = 2 * (gint64) f * i + (1 + q) * (1 - (gint64) r);
  gint64 fl = P >= 0 ? P / D : -((-P + D - 1) / D);
  gint64 k = P - fl * D;

  *x0 = fl;
  *w = (guint) ((256 * k + D / 2) / D);
}

static guint
ref_clamp (gint64 v, guint n)
{
  return (guint) CLAMP (v, 0, (gint64) n - 1);
}

/* sample @i of @row as a code value */
static guint
ref_value (const EclutChromaParams * p, const guint8 * row, guint i)
{
  guint word;

  if (p->samples == ECLUT_SAMPLES_U8)
    return row[i];
  word = row[2 * i] | row[2 * i + 1] << 8;
  return (p->samples == ECLUT_SAMPLES_U10_MSB ? word >> 6 : word) & 1023;
}

/* the spec's output word (or byte) */
static guint
ref_sample (const EclutChromaParams * p, const guint8 * src, gint stride,
    guint Y, guint X, guint c)
{
  const guint nc = p->n_components;
  gint64 y0, x0;
  guint wy, wx, r0, r1, c0, c1, v0, v1;

  ref_pos (p->scale, p->sub_y, p->centred_y, Y, &y0, &wy);
  ref_pos (p->scale, p->sub_x, p->centred_x, X, &x0, &wx);
  r0 = ref_clamp (y0, p->in_height);
  r1 = ref_clamp (y0 + 1, p->in_height);
  c0 = ref_clamp (x0, p->in_width);
  c1 = ref_clamp (x0 + 1, p->in_width);
  /* vertical first, each pass rounded to the samples' bits */
#define V(col) ((ref_value (p, src + (gsize) r0 * stride, (col) * nc + c) * \
      (256 - wy) + ref_value (p, src + (gsize) r1 * stride, (col) * nc + c) \
      * wy + 128) >> 8)
  v0 = V (c0);
  v1 = V (c1);
#undef V
  return ((v0 * (256 - wx) + v1 * wx + 128) >> 8) <<
      (p->samples == ECLUT_SAMPLES_U10_MSB ? 6 : 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  FuzzIn in = { data, size };
  EclutChromaParams p;
  guint flags, W, H, ow, oh, src_pad, dst_pad, n_split, split[6], i, x, y, c;
  guint row_bytes, out_row_bytes, bps;
  gint src_stride, dst_stride;
  guint8 *src, *dst1, *dst2;
  gsize src_size, dst_size, scratch_size;
  void *scratch = NULL;

  fuzz_setup ();

  memset (&p, 0, sizeof (p));
  p.scale = 2 + fuzz_u8 (&in) % 3;
  flags = fuzz_u8 (&in);
  p.sub_x = (flags & 1) ? 2 : 1;
  p.sub_y = (flags & 2) ? 2 : 1;
  p.centred_x = (flags & 4) != 0;
  p.centred_y = (flags & 8) != 0;
  p.n_components = (flags & 16) ? 2 : 1;
  p.samples = (flags & 128) ? ECLUT_SAMPLES_U10_MSB : (flags & 64) ?
      ECLUT_SAMPLES_U10_LSB : ECLUT_SAMPLES_U8;
  W = 1 + fuzz_u8 (&in) % MAX_W;
  H = 1 + fuzz_u8 (&in) % MAX_H;
  ow = fuzz_u8 (&in);
  oh = fuzz_u8 (&in);
  p.in_width = (W + p.sub_x - 1) / p.sub_x;
  p.in_height = (H + p.sub_y - 1) / p.sub_y;
  p.out_width = (p.scale * W + p.sub_x - 1) / p.sub_x;
  p.out_height = (p.scale * H + p.sub_y - 1) / p.sub_y;
  if (flags & 32) {
    /* any size: the core clamps its source positions */
    p.out_width = 1 + ow % (2 * p.out_width);
    p.out_height = 1 + oh % (2 * p.out_height);
  }
  src_pad = fuzz_u8 (&in) % 40;
  dst_pad = fuzz_u8 (&in) % 40;
  n_split = fuzz_u8 (&in) % 5;
  split[0] = 0;
  for (i = 1; i <= 4; i++)
    split[i] = fuzz_u8 (&in) % (p.out_height + 1);
  for (i = 1; i <= n_split; i++) {
    guint j;

    for (j = i + 1; j <= n_split; j++)
      if (split[j] < split[i]) {
        guint t = split[i];

        split[i] = split[j];
        split[j] = t;
      }
  }
  split[n_split + 1] = p.out_height;

  bps = p.samples == ECLUT_SAMPLES_U8 ? 1 : 2;
  row_bytes = p.in_width * p.n_components * bps;
  out_row_bytes = p.out_width * p.n_components * bps;
  src_stride = row_bytes + src_pad;
  dst_stride = out_row_bytes + dst_pad;
  src_size = (gsize) (p.in_height - 1) * src_stride + row_bytes;
  dst_size = (gsize) (p.out_height - 1) * dst_stride + out_row_bytes;
  src = g_malloc (src_size);
  for (i = 0; i < src_size; i++)
    src[i] = in.n ? in.p[i % in.n] : 77;
  dst1 = g_malloc (dst_size);
  dst2 = g_malloc (dst_size);
  memset (dst1, 0xA5, dst_size);
  memset (dst2, 0x5A, dst_size);
  scratch_size = eclut_chroma_scratch_size (&p);
  g_assert (scratch_size != G_MAXSIZE);
  g_assert (posix_memalign (&scratch, 16, scratch_size) == 0);

  eclut_chroma_upscale_rows (&p, src, src_stride, dst1, dst_stride, 0,
      p.out_height, scratch);
  for (i = 0; i <= n_split; i++)
    eclut_chroma_upscale_rows (&p, src, src_stride, dst2, dst_stride,
        split[i], split[i + 1], scratch);

  for (y = 0; y < p.out_height; y++) {
    const guint8 *row1 = dst1 + (gsize) y * dst_stride;
    const guint8 *row2 = dst2 + (gsize) y * dst_stride;

    for (x = 0; x < p.out_width; x++)
      for (c = 0; c < p.n_components; c++) {
        guint want = ref_sample (&p, src, src_stride, y, x, c);
        guint i = x * p.n_components + c;
        guint got = bps == 1 ? row1[i] : row1[2 * i] | row1[2 * i + 1] << 8;

        if (got != want) {
          g_printerr ("samples %d r=%u f=%u,%u q=%d,%d nc=%u in %ux%u out "
              "%ux%u: (%u,%u,%u) is %u, the spec says %u\n", p.samples,
              p.scale, p.sub_x, p.sub_y, p.centred_x, p.centred_y,
              p.n_components, p.in_width, p.in_height, p.out_width,
              p.out_height, x, y, c, got, want);
          abort ();
        }
      }
    if (memcmp (row1, row2, out_row_bytes) != 0) {
      g_printerr ("row %u differs with a row split\n", y);
      abort ();
    }
    if (y + 1 < p.out_height)
      for (x = out_row_bytes; x < (guint) dst_stride; x++)
        g_assert (row1[x] == 0xA5 && row2[x] == 0x5A);
  }

  free (scratch);
  g_free (src);
  g_free (dst1);
  g_free (dst2);
  return 0;
}
