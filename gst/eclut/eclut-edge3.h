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

/* The x3 edge path (not installed, not for the element): the x2 edge
 * path's idea (eclut-edge.h) at x3 with expand step 3.  The patch of an
 * edge is the same arrangement of output blocks (vertical: 4 rows of 3
 * blocks, horizontal: 3 rows of 4), a block being the 3 x 3 cells i * 3 +
 * j.  Two layouts, at ECLUT_EDGE_INDEX (a, b):
 *
 * - compact (192 bytes each, three cache lines; used when the table
 *   allows it): the rows whose cells are all narrow (vertical rows 0 and
 *   3, horizontal rows 0 and 2, and the last block of horizontal row 1)
 *   as bytes, each cell minus a per-position bias (its minimum over all
 *   pairs), laid out for the in-lane widening of 32-byte loads
 *   (vpunpck[lh]bw with zero): cell c of a byte row is at
 *   ECLUT_EDGE3_BYTE (c), cells 0-15 in the low 8 bytes of each lane and
 *   16-31 in the high ones.  Vertical: row 0 at bytes 0-31, row 3 at 32-63,
 *   rows 1 and 2 (whose middle block holds the centre channels of both
 *   pixels, wider than a byte) as int16 cells 0-31 at bytes 64 and 128.
 *   Horizontal: row 0 cells 0-31 at bytes 0-31, row 2 at 32-63, cells
 *   32-47 of row 0 and row 2 in the low and the high halves of bytes
 *   64-95, those of row 1 as 16 plain bytes at 96 (vpmovzxbw), row 1 cells
 *   0-31 as int16 at bytes 128.  The biases add up to one constant per
 *   sub-pixel (every position of every patch lands once on every output
 *   cell), which is added to the int16 cells of vertical row 1, block 1:
 *   the accumulator wraps modulo 2^16 on the way, but its final sums are
 *   exact, so nothing is added back at the rescale.  The byte cells must
 *   span at most 255.
 * - int16 (256 and 288 bytes): the cells themselves, each patch row
 *   zero-padded to whole vectors (vertical rows 27 cells in 32, horizontal
 *   36 in 48), so that a row is added to the accumulator with two or three
 *   unaligned 32-byte adds (the zeros land on the neighbouring blocks). */

#ifndef __ECLUT_EDGE3_H__
#define __ECLUT_EDGE3_H__

#include <glib.h>

#include "eclut-lut.h"
#include "eclut-simd.h"

G_BEGIN_DECLS
/* int16 cells per patch row, and per patch */
#define ECLUT_EDGE3_V_ROW 32
#define ECLUT_EDGE3_H_ROW 48
#define ECLUT_EDGE3_V_CELLS (4 * ECLUT_EDGE3_V_ROW)
#define ECLUT_EDGE3_H_CELLS (3 * ECLUT_EDGE3_H_ROW)
/* Output block X of an accumulator row is at cells (X + 2) * 9: blocks -2
 * .. w + 1, and the padding of the last horizontal patch (to w + 5). */
#define ECLUT_EDGE3_ACC_CELLS(w) ((((gsize) (w) + 6) * 9 + 15) & ~(gsize) 15)

/* bytes per patch of the compact layout (both orientations) */
#define ECLUT_EDGE3_COMPACT_BYTES 192
/* the byte of cell c (0 .. 31) of a compact byte row */
#define ECLUT_EDGE3_BYTE(c) (((c) & 8) << 1 | ((c) & 16) >> 1 | ((c) & 7))

typedef struct
{
  /* patch ECLUT_EDGE_INDEX (a, b) at v + that * v_bytes (h, h_bytes):
   * ECLUT_EDGE3_COMPACT_BYTES, or the int16 layout's
   * ECLUT_EDGE3_V_CELLS and _H_CELLS cells */
  const guint8 *v;
  const guint8 *h;
  guint v_bytes, h_bytes;
  gboolean compact;
  gpointer mem;
} EclutEdge3Tables;

/* The x3 edge tables of @lut (x3, expand step 3), built the first time a
 * plan asks for them and kept with the table (24 MB compact, 36 MB
 * int16). */
const EclutEdge3Tables *eclut_edge3_tables (const EclutLut * lut);

#ifdef ECLUT_HAVE_AVX2
/* As eclut_edge_add_rows_avx2 () and eclut_edge_finish_row_avx2 () at x2:
 * adds the patches of the edges of LR row src[0] (and src[1] if @n_rows
 * is 2) to the accumulator rows acc[0 .. 2 + n_rows]; finishes a row into
 * the HR rows out[0 .. 2] (NULL: not written) and clears it. */
void eclut_edge3_add_rows_avx2 (const EclutEdge3Tables * et,
    const guint8 * const src[3], guint n_rows, guint w,
    gint16 * const acc[5]);
void eclut_edge3_finish_row_avx2 (const EclutLut * lut, gint16 * acc,
    guint w, guint8 * const out[3]);
#endif

G_END_DECLS
#endif /* __ECLUT_EDGE3_H__ */
