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

/* The cells of horizontal rows 0 and 2 that sum two table entries (blocks
 * 1 and 2, as edge3_patches () computes them), into @d: row 0's 18, then
 * row 2's. */
static void
double_cells (const EclutLut * lut, guint a, guint b, gint16 d[36])
{
  const guint bs = ECLUT_LUT_BLOCK_STRIDE (3);
  const guint8 *r3 = lut->rot[3] + ECLUT_LUT_BLOCK_INDEX (3, a, b) * bs;
  const guint8 *r1 = lut->rot[1] + ECLUT_LUT_BLOCK_INDEX (3, b, a) * bs;
  const gint bias = ECLUT_LUT_ENTRY_BIAS;
  guint k, i, j;

#define CH(t, c) ((t) + ((c) * 3 + i) * ECLUT_LUT_CHUNK (3) + j)
  for (k = 0; k < 2; k++)
    for (i = 0; i < 3; i++)
      for (j = 0; j < 3; j++) {
        d[k * 18 + i * 3 + j] = *CH (r3, 6 * k + 1) + *CH (r1, 6 * k) -
            2 * bias;
        d[k * 18 + 9 + i * 3 + j] = *CH (r3, 6 * k + 2) + *CH (r1, 6 * k + 1) -
            2 * bias;
      }
#undef CH
}

/* 16 cells minus their minimums, as bytes in order */
static inline void
cells_to_bytes (guint8 * d, const gint16 * v, const gint16 * vmin)
{
  guint c;

  for (c = 0; c < 16; c++)
    d[c] = (guint8) (v[c] - vmin[c]);
}

/* Two vectors of 16 byte cells into the unpack layout (eclut-edge3.h):
 * @lo in the low 8 bytes of each lane, @hi in the high ones. */
static inline void
put_pair (guint8 * p, const guint8 lo[16], const guint8 hi[16])
{
  memcpy (p, lo, 8);
  memcpy (p + 8, hi, 8);
  memcpy (p + 16, lo + 8, 8);
  memcpy (p + 24, hi + 8, 8);
}

/* A patch in the compact layout (eclut-edge3.h) from its int16 cells @v
 * (@h), the per-position minimums and the byte cells' biases. */
static void
compact_v (guint8 * p, const gint16 * v, const gint16 * vmin,
    const gint16 bias[9])
{
  gint16 w[2][32];
  guint8 b[2][16];
  guint c, k;

  for (k = 0; k < 2; k++) {
    const guint i = (k ? 3 : 0) * ECLUT_EDGE3_V_ROW;

    cells_to_bytes (b[0], v + i, vmin + i);
    cells_to_bytes (b[1], v + i + 16, vmin + i + 16);
    put_pair (p + 32 * k, b[0], b[1]);
  }
  /* rows 1 and 2 as int16, the biases of the byte cells in row 1's
   * middle block (modulo 2^16: the sums are exact in the end) */
  memcpy (w, v + ECLUT_EDGE3_V_ROW, sizeof (w));
  for (c = 0; c < 9; c++)
    w[0][9 + c] = (gint16) (guint16) ((guint) (guint16) w[0][9 + c] +
        (guint) (guint16) bias[c]);
  memcpy (p + 64, w, sizeof (w));
}

static void
compact_h (guint8 * p, const gint16 * h, const gint16 * hmin)
{
  const guint r2 = 2 * ECLUT_EDGE3_H_ROW, r1 = ECLUT_EDGE3_H_ROW;
  guint8 b[2][16];

  cells_to_bytes (b[0], h, hmin);
  cells_to_bytes (b[1], h + 16, hmin + 16);
  put_pair (p, b[0], b[1]);
  cells_to_bytes (b[0], h + r2, hmin + r2);
  cells_to_bytes (b[1], h + r2 + 16, hmin + r2 + 16);
  put_pair (p + 32, b[0], b[1]);
  /* cells 32-47 of rows 0 and 2 */
  cells_to_bytes (b[0], h + 32, hmin + 32);
  cells_to_bytes (b[1], h + r2 + 32, hmin + r2 + 32);
  put_pair (p + 64, b[0], b[1]);
  /* and of row 1, in order */
  cells_to_bytes (p + 96, h + r1 + 32, hmin + r1 + 32);
  memset (p + 112, 0, 16);
  memcpy (p + 128, h + r1, 32 * sizeof (gint16));
}

/* Whether cell @i of the int16 layout is stored as a byte in the compact
 * layout. */
static gboolean
v_byte_cell (guint i)
{
  const guint row = i / ECLUT_EDGE3_V_ROW;

  return row == 0 || row == 3;
}

static gboolean
h_byte_cell (guint i)
{
  return i / ECLUT_EDGE3_H_ROW != 1 || i % ECLUT_EDGE3_H_ROW >= 32;
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
  gint16 v[ECLUT_EDGE3_V_CELLS], h[ECLUT_EDGE3_H_CELLS];
  gint16 vmin[ECLUT_EDGE3_V_CELLS], hmin[ECLUT_EDGE3_H_CELLS];
  gint16 dmin[36], dmax[36];
  gint16 bias[9];
  gboolean compact = TRUE;
  guint8 *base;
  guint t, i;
  gint sum[9];

  /* The byte cells' minimums, and whether they span at most 255.  A cell
   * of one table entry always does (-128 .. 127); those that sum two are
   * blocks 1 and 2 of horizontal rows 0 and 2: only their range needs a
   * pass over the pairs (the padding cells are 0). */
  for (i = 0; i < ECLUT_EDGE3_V_CELLS; i++)
    vmin[i] = i % ECLUT_EDGE3_V_ROW < 27 ? -ECLUT_LUT_ENTRY_BIAS : 0;
  for (i = 0; i < ECLUT_EDGE3_H_CELLS; i++)
    hmin[i] = i % ECLUT_EDGE3_H_ROW < 36 ? -ECLUT_LUT_ENTRY_BIAS : 0;
  for (i = 0; i < 36; i++) {
    dmin[i] = G_MAXINT16;
    dmax[i] = G_MININT16;
  }
  for (t = 0; t < 65536; t++) {
    const guint a = ((t >> 8) & 0xF0) | ((t >> 4) & 0x0F);
    const guint b = ((t >> 4) & 0xF0) | (t & 0x0F);
    gint16 d[36];

    double_cells (lut, a, b, d);
    /* a flat loop, which GCC vectorises */
    for (i = 0; i < 36; i++) {
      dmin[i] = MIN (dmin[i], d[i]);
      dmax[i] = MAX (dmax[i], d[i]);
    }
  }
  for (i = 0; i < 36; i++) {
    compact &= dmax[i] - dmin[i] <= 255;
    hmin[(i / 18) * 2 * ECLUT_EDGE3_H_ROW + 9 + i % 18] = dmin[i];
  }
  /* the byte cells' biases, per sub-pixel (the padding's are 0) */
  memset (sum, 0, sizeof (sum));
  for (i = 0; i < ECLUT_EDGE3_V_CELLS; i++)
    if (v_byte_cell (i) && i % ECLUT_EDGE3_V_ROW < 27)
      sum[i % ECLUT_EDGE3_V_ROW % 9] += vmin[i];
  for (i = 0; i < ECLUT_EDGE3_H_CELLS; i++)
    if (h_byte_cell (i) && i % ECLUT_EDGE3_H_ROW < 36)
      sum[i % ECLUT_EDGE3_H_ROW % 9] += hmin[i];
  for (i = 0; i < 9; i++)
    bias[i] = (gint16) (guint16) (guint) sum[i];

  et->compact = compact;
  et->v_bytes = compact ? ECLUT_EDGE3_COMPACT_BYTES :
      ECLUT_EDGE3_V_CELLS * sizeof (gint16);
  et->h_bytes = compact ? ECLUT_EDGE3_COMPACT_BYTES :
      ECLUT_EDGE3_H_CELLS * sizeof (gint16);
  et->mem = eclut_table_alloc ((gsize) 65536 * (et->v_bytes + et->h_bytes) +
      63);
  base = (guint8 *) (((guintptr) et->mem + 63) & ~(guintptr) 63);
  et->v = base;
  et->h = base + (gsize) 65536 *et->v_bytes;

  /* in 16 x 16 tiles of pairs, so that the blocks of (b, a) stay cached
   * (as at x2, eclut-edge.c) */
  for (t = 0; t < 65536; t++) {
    const guint a = ((t >> 8) & 0xF0) | ((t >> 4) & 0x0F);
    const guint b = ((t >> 4) & 0xF0) | (t & 0x0F);
    const gsize k = ECLUT_EDGE_INDEX (a, b);
    guint8 *pv = base + k * et->v_bytes;
    guint8 *ph = base + (gsize) 65536 *et->v_bytes + k * et->h_bytes;

    if (compact) {
      edge3_patches (lut, a, b, v, h);
      compact_v (pv, v, vmin, bias);
      compact_h (ph, h, hmin);
    } else {
      edge3_patches (lut, a, b, (gint16 *) pv, (gint16 *) ph);
    }
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
