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

/* The refine stage in the original orientation.  Rotation k of the spec
 * pairs every pixel with its neighbour below, left, above or right
 * (k = 0..3, replicate padding), and its expand channel c = (dy, dx) reads,
 * for output pixel (i, j), the pair at the source displacement
 * (-dy st, -dx st) of the rotated frame turned back into this one:
 *
 *   k = 0: (-dy, -dx) st    k = 1: (-dx,  dy) st
 *   k = 2: ( dy,  dx) st    k = 3: ( dx, -dy) st
 *
 * with reflect padding on each axis (reflection commutes with the quarter
 * turns, so the rotated frame's padding is this frame's).  Per output row,
 * the pair indices of the three source rows each rotation reads are built
 * once, padded by st columns of reflected pairs, and the 36 channel reads
 * per pixel are plain offsets into them. */

#include <string.h>

#include "eclut-refine.h"
#include "eclut-luma-private.h"   /* eclut_refl () */

#define N_ROT 4
#define N_ROW_OFFSETS 3         /* -st, 0, +st */

struct _EclutRefine
{
  guint step;
  guint shift;
  gint bias;
  gboolean residual;
  gint8 table[65536 * ECLUT_REFINE_ENTRIES];
};

EclutRefine *
eclut_refine_new (const gint8 * table, guint expand_step, guint rescale_shift,
    gint rescale_bias, gboolean residual)
{
  EclutRefine *stage;

  if (table == NULL || expand_step < 1 || expand_step > ECLUT_REFINE_MAX_STEP
      || rescale_shift > 8 || rescale_bias < 0
      || (rescale_bias >= (1 << rescale_shift) && rescale_bias != 0))
    return NULL;

  stage = g_new (EclutRefine, 1);
  stage->step = expand_step;
  stage->shift = rescale_shift;
  stage->bias = rescale_bias;
  stage->residual = residual;
  memcpy (stage->table, table, sizeof (stage->table));
  return stage;
}

void
eclut_refine_free (EclutRefine * stage)
{
  g_free (stage);
}

static gsize
refine_pair_row_len (guint width)
{
  return (gsize) width + 2 * ECLUT_REFINE_MAX_STEP;
}

gsize
eclut_refine_scratch_size (guint width)
{
  gsize rows = (gsize) N_ROT * N_ROW_OFFSETS * refine_pair_row_len (width);

  /* pair indices (uint16), then the int32 sums, 16-byte aligned */
  return ((rows * sizeof (guint16) + 15) & ~(gsize) 15)
      + (gsize) width * sizeof (gint32);
}

/* Pair indices a * 256 + b of rotation @k for source row @y, at columns
 * -st .. width - 1 + st (reflected), into @out (which points at column 0). */
static void
refine_pair_row (const guint8 * src, gint src_stride, guint width,
    guint height, guint y, guint k, guint st, guint16 * out)
{
  const guint8 *row = src + (gsize) y * src_stride;
  const guint8 *nb_row = row;
  gint dx = 0;
  gint64 x;

  switch (k) {
    case 0:                    /* below */
      nb_row = src + (gsize) MIN (y + 1, height - 1) * src_stride;
      break;
    case 1:                    /* left */
      dx = -1;
      break;
    case 2:                    /* above */
      nb_row = src + (gsize) (y > 0 ? y - 1 : 0) * src_stride;
      break;
    default:                   /* right */
      dx = 1;
      break;
  }

  /* the inner columns need neither reflection nor clamping */
  for (x = 1; x + 1 < (gint64) width; x++)
    out[x] = (guint16) (row[x] << 8 | nb_row[x + dx]);
  /* the first and last columns and the st reflected ones beyond them */
  for (x = -(gint64) st; x < (gint64) width + st; x++) {
    guint c;
    gint64 n;

    if (x == 1 && width > 2)
      x = width - 1;
    c = eclut_refl (x, width);
    n = CLAMP ((gint64) c + dx, 0, (gint64) width - 1);
    out[x] = (guint16) (row[c] << 8 | nb_row[n]);
  }
}

void
eclut_refine_rows (const EclutRefine * stage, const guint8 * src,
    gint src_stride, guint width, guint height, guint8 * dst, gint dst_stride,
    guint y0, guint y1, gpointer scratch)
{
  /* source displacement per rotation of the rotated frame's (ddy, ddx) */
  static const gint rot_y[N_ROT][2] = { {1, 0}, {0, 1}, {-1, 0}, {0, -1} };
  static const gint rot_x[N_ROT][2] =
      { {0, 1}, {-1, 0}, {0, -1}, {1, 0} };
  const gsize row_len = refine_pair_row_len (width);
  const gint st = (gint) stage->step;
  guint16 *pairs = scratch;
  gint32 *sum = (gint32 *) ((guint8 *) scratch +
      (((gsize) N_ROT * N_ROW_OFFSETS * row_len * sizeof (guint16) + 15)
          & ~(gsize) 15));
  guint y;

  g_return_if_fail (width > 0 && height > 0 && y1 <= height);

  for (y = y0; y < y1; y++) {
    const guint8 *in = src + (gsize) y * src_stride;
    guint8 *out = dst + (gsize) y * dst_stride;
    guint k, m, x;
    gint c;

    /* pair rows of each rotation at source rows y - st, y, y + st */
    for (k = 0; k < N_ROT; k++) {
      for (m = 0; m < N_ROW_OFFSETS; m++) {
        guint sy = eclut_refl ((gint64) y + ((gint) m - 1) * st, height);

        refine_pair_row (src, src_stride, width, height, sy, k, st,
            pairs + (k * N_ROW_OFFSETS + m) * row_len
            + ECLUT_REFINE_MAX_STEP);
      }
    }

    memset (sum, 0, (gsize) width * sizeof (gint32));
    for (k = 0; k < N_ROT; k++) {
      for (c = 0; c < ECLUT_REFINE_ENTRIES; c++) {
        /* the channel's direction in the rotated frame, its source
         * displacement there, and that displacement here */
        gint ddy = -(c / 3 - 1), ddx = -(c % 3 - 1);
        gint oy = rot_y[k][0] * ddy + rot_y[k][1] * ddx;
        gint ox = rot_x[k][0] * ddy + rot_x[k][1] * ddx;
        const guint16 *p = pairs + (k * N_ROW_OFFSETS + (guint) (oy + 1))
            * row_len + ECLUT_REFINE_MAX_STEP + ox * st;
        const gint8 *t = stage->table + c;

        for (x = 0; x < width; x++)
          sum[x] += t[(gsize) p[x] * ECLUT_REFINE_ENTRIES];
      }
    }

    for (x = 0; x < width; x++) {
      /* arithmetic shift of a negative sum floors, as the spec's >> */
      gint v = (sum[x] + stage->bias) >> stage->shift;

      if (stage->residual)
        v += in[x];
      out[x] = (guint8) CLAMP (v, 0, 255);
    }
  }
}
