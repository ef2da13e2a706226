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


/* The x3 edge path's tables (eclut-edge3.h). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-edge.h"
#include "eclut-edge3.h"
#include "eclut-lut-private.h"

/* The patches of the edge (a, b) into @v and @h (rotation 0 of (a, b) and
 * rotation 2 of (b, a) one row below it, rotation 3 of (a, b) and 1 of
 * (b, a) one column on, channel (dy, dx) at block (1 + dy, 1 + dx) of its
 * anchor, as at x2), without the tables' bias. */
static void
edge3_patches (const EclutLut * lut, guint a, guint b, gint16 * v,
    gint16 * h)
{
  const guint bs = ECLUT_LUT_BLOCK_STRIDE (3);
  const guint8 *r0 = lut->rot[0] + ECLUT_LUT_BLOCK_INDEX (3, a, b) * bs;
  const guint8 *r2 = lut->rot[2] + ECLUT_LUT_BLOCK_INDEX (3, b, a) * bs;
  const guint8 *r3 = lut->rot[3] + ECLUT_LUT_BLOCK_INDEX (3, a, b) * bs;
  const guint8 *r1 = lut->rot[1] + ECLUT_LUT_BLOCK_INDEX (3, b, a) * bs;
  const gint bias = ECLUT_LUT_ENTRY_BIAS;
  guint k, i, j;

  /* each cell written once (this runs for 65536 pairs at every start):
   * x3 blocks keep the channels in order, in rows of 4 cells */
#define CH(t, c) ((t) + (c) * 3 * ECLUT_LUT_CHUNK (3) + i * ECLUT_LUT_CHUNK (3) \
      + j)
#define V(row, col) v[(row) * ECLUT_EDGE3_V_ROW + (col) * 9 + i * 3 + j]
#define H(row, col) h[(row) * ECLUT_EDGE3_H_ROW + (col) * 9 + i * 3 + j]
  for (k = 0; k < 3; k++)
    for (i = 0; i < 3; i++)
      for (j = 0; j < 3; j++) {
        /* vertical: column k = 1 + dx; rotation 0 in rows 0-2 (1 + dy),
         * rotation 2 in rows 1-3 */
        V (0, k) = *CH (r0, k) - bias;
        V (1, k) = *CH (r0, 3 + k) + *CH (r2, k) - 2 * bias;
        V (2, k) = *CH (r0, 6 + k) + *CH (r2, 3 + k) - 2 * bias;
        V (3, k) = *CH (r2, 6 + k) - bias;
        /* horizontal: row k = 1 + dy; rotation 3 in columns 0-2 (1 + dx),
         * rotation 1 in columns 1-3 */
        H (k, 0) = *CH (r3, 3 * k) - bias;
        H (k, 1) = *CH (r3, 3 * k + 1) + *CH (r1, 3 * k) - 2 * bias;
        H (k, 2) = *CH (r3, 3 * k + 2) + *CH (r1, 3 * k + 1) - 2 * bias;
        H (k, 3) = *CH (r1, 3 * k + 2) - bias;
      }
#undef CH
#undef V
#undef H
  /* the rows' padding */
  for (k = 0; k < 4; k++)
    memset (v + k * ECLUT_EDGE3_V_ROW + 27, 0,
        (ECLUT_EDGE3_V_ROW - 27) * sizeof (gint16));
  for (k = 0; k < 3; k++)
    memset (h + k * ECLUT_EDGE3_H_ROW + 36, 0,
        (ECLUT_EDGE3_H_ROW - 36) * sizeof (gint16));
}

static void
edge3_tables_free (gpointer data)
{
  EclutEdge3Tables *et = data;

  eclut_table_free (et->mem);
  g_free (et);
}

static gpointer
edge3_tables_build (const EclutLut * lut)
{
  EclutEdge3Tables *et = g_new0 (EclutEdge3Tables, 1);
  const gsize nv = (gsize) 65536 * ECLUT_EDGE3_V_CELLS;
  const gsize nh = (gsize) 65536 * ECLUT_EDGE3_H_CELLS;
  gint16 *base, *v, *h;
  guint t;

  et->mem = eclut_table_alloc ((nv + nh) * sizeof (gint16) + 63);
  base = (gint16 *) (((guintptr) et->mem + 63) & ~(guintptr) 63);
  v = base;
  h = base + nv;
  et->v = v;
  et->h = h;
  /* in 16 x 16 tiles of pairs, so that the blocks of (b, a) stay cached
   * (as at x2, eclut-edge.c) */
  for (t = 0; t < 65536; t++) {
    const guint a = ((t >> 8) & 0xF0) | ((t >> 4) & 0x0F);
    const guint b = ((t >> 4) & 0xF0) | (t & 0x0F);
    const gsize k = ECLUT_EDGE_INDEX (a, b);

    edge3_patches (lut, a, b, v + k * ECLUT_EDGE3_V_CELLS,
        h + k * ECLUT_EDGE3_H_CELLS);
  }
  return et;
}

const EclutEdge3Tables *
eclut_edge3_tables (const EclutLut * lut)
{
  g_return_val_if_fail (lut->scale == 3 && lut->expand_step == 3, NULL);
  return eclut_lut_get_derived (lut, ECLUT_LUT_DERIVED_EDGE3,
      edge3_tables_build, edge3_tables_free);
}
