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

/* Chroma planes: separable bilinear, vertical pass first, each pass rounded
 * to 8 bits (docs/lut-format.md, "Chroma").  The vertical pass blends two
 * whole source rows with one weight (ORC); the horizontal pass uses per
 * output sample index/weight tables built at the start of each call (C). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-chroma.h"
#include "gsteclutorc.h"

/* Source position of output sample @i on one axis: sample index @x0 (not
 * yet clamped) and weight @w of sample x0+1, 0 <= w < 256. */
static void
axis_pos (guint r, guint f, gboolean centred, guint64 i, gint64 * x0, guint * w)
{
  const gint64 q = (f == 2 && centred) ? 1 : 0;
  const gint64 d = 2 * (gint64) r * f;
  const gint64 p = 2 * (gint64) f * (gint64) i + (1 + q) * (1 - (gint64) r);
  gint64 fl, k;

  /* floor division: p may be negative near the start */
  fl = p / d;
  if (p % d != 0 && p < 0)
    fl--;
  k = p - fl * d;
  *x0 = fl;
  *w = (guint) ((256 * k + d / 2) / d);
}

static guint
clampi (gint64 v, guint n)
{
  if (v < 0)
    return 0;
  if (v >= (gint64) n)
    return n - 1;
  return (guint) v;
}

static gboolean
params_ok (const EclutChromaParams * p)
{
  return p->scale >= 2 && p->scale <= 4 &&
      (p->sub_x == 1 || p->sub_x == 2) && (p->sub_y == 1 || p->sub_y == 2) &&
      (p->n_components == 1 || p->n_components == 2) &&
      (guint64) p->in_width * p->n_components <= G_MAXINT &&
      (guint64) p->out_width * p->n_components <= G_MAXINT;
}

/* scratch layout: vertical row (in_width * nc bytes, rounded to 16), then
 * out_width guint32 indices, then out_width guint16 weights */
static gsize
row_bytes (const EclutChromaParams * p)
{
  return ((gsize) p->in_width * p->n_components + 15) & ~(gsize) 15;
}

gsize
eclut_chroma_scratch_size (const EclutChromaParams * p)
{
  g_return_val_if_fail (p != NULL, 0);
  if (!params_ok (p))
    return G_MAXSIZE;
  return row_bytes (p) + (gsize) p->out_width * (sizeof (guint32) +
      sizeof (guint16));
}

void
eclut_chroma_upscale_rows (const EclutChromaParams * p,
    const guint8 * src, gint src_stride, guint8 * dst, gint dst_stride,
    guint out_y0, guint out_y1, gpointer scratch)
{
  const guint nc = p ? p->n_components : 1;
  guint8 *vrow;
  guint32 *idx;
  guint16 *wt;
  guint x, y, c;

  g_return_if_fail (p != NULL);
  g_return_if_fail (params_ok (p));
  g_return_if_fail (out_y0 <= out_y1 && out_y1 <= p->out_height);
  if (out_y0 == out_y1 || p->out_width == 0)
    return;
  g_return_if_fail (p->in_width > 0 && p->in_height > 0);
  g_return_if_fail (src != NULL && dst != NULL && scratch != NULL);

  vrow = scratch;
  idx = (guint32 *) (vrow + row_bytes (p));
  wt = (guint16 *) (idx + p->out_width);

  for (x = 0; x < p->out_width; x++) {
    gint64 x0;
    guint w;

    axis_pos (p->scale, p->sub_x, p->centred_x, x, &x0, &w);
    idx[x] = clampi (x0, p->in_width);
    /* the right neighbour is idx + 1 unless clamped: encode as weight 0
     * against a duplicate, which gives the same value (p0 == p1) */
    if (clampi (x0 + 1, p->in_width) == idx[x])
      w = 0;
    wt[x] = (guint16) w;
  }

  for (y = out_y0; y < out_y1; y++) {
    gint64 y0;
    guint w, r0, r1;
    const guint8 *s0, *s1;
    guint8 *out = dst + (gssize) y * dst_stride;

    axis_pos (p->scale, p->sub_y, p->centred_y, y, &y0, &w);
    r0 = clampi (y0, p->in_height);
    r1 = clampi (y0 + 1, p->in_height);
    s0 = src + (gssize) r0 *src_stride;
    s1 = src + (gssize) r1 *src_stride;
    if (w == 0 || r0 == r1)
      memcpy (vrow, s0, (gsize) p->in_width * nc);
    else
      eclut_orc_blend_u8 (vrow, s0, s1, 256 - (int) w, (int) w,
          (int) (p->in_width * nc));

    if (nc == 1) {
      for (x = 0; x < p->out_width; x++) {
        const guint8 *v = vrow + idx[x];
        guint w1 = wt[x];
        guint v1 = w1 ? v[1] : 0;

        out[x] = (guint8) ((v[0] * (256 - w1) + v1 * w1 + 128) >> 8);
      }
    } else {
      for (x = 0; x < p->out_width; x++) {
        const guint8 *v = vrow + 2 * (gsize) idx[x];
        guint w1 = wt[x];

        for (c = 0; c < 2; c++) {
          guint v1 = w1 ? v[2 + c] : 0;

          out[2 * x + c] = (guint8) ((v[c] * (256 - w1) + v1 * w1 + 128) >> 8);
        }
      }
    }
  }
}
