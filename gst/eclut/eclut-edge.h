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

/* The x2 "edge stencil" path of the luma core (AVX2; not installed, not
 * for the element): its tables, built from the rotation tables at load,
 * and its kernels.
 *
 * At x2 with expand step 2 every HR block (Y, X) (the 2 x 2 HR pixels of LR
 * pixel (Y, X)) is the sum over the 9 expand directions (dy, dx) and the 4
 * rotations of the channel-(dy, dx) block of LR pixel (Y - dy, X - dx)
 * (reflect padding only at the image border).  Rotations 0 and 2 read the
 * pair of a vertical edge (pixel above, pixel below) from both ends,
 * rotations 1 and 3 a horizontal edge: so the whole contribution of one
 * edge is a fixed patch of output blocks that depends only on the edge's
 * two values.  The edge tables hold those patches pre-placed and
 * pre-summed, and the kernels add two patches per LR pixel (its edge below
 * and its edge to the right) into a ring of output block rows: no
 * per-channel stores, and the expand already done.
 *
 * Patch of the vertical edge between (t, j) (value a) and (t + 1, j)
 * (value b): 4 rows (output block rows t - 1 .. t + 2) of 3 blocks (columns
 * j - 1 .. j + 1).  Patch of the horizontal edge between (t, j) and
 * (t, j + 1): 3 rows (t - 1 .. t + 1) of 4 blocks (columns j - 1 .. j + 2).
 * A block is 4 cells (sub-pixel i * 2 + j).  Cells are sums of one or two
 * table entries.  Two layouts, at ECLUT_EDGE_INDEX (a, b):
 *
 * - compact (64 bytes, one cache line; used when the table allows it):
 *   each cell minus a per-position bias (its minimum over all pairs), as a
 *   byte, laid out for the in-lane widening of two 32-byte loads
 *   (vpunpck[lh]bw): four row slots of 16 bytes, slot s holding blocks 0-1
 *   at bytes 32 (s / 2) + 8 (s % 2) and blocks 2-3 16 bytes on (slots 0-3:
 *   bytes 0-7 | 16-23, 8-15 | 24-31, 32-39 | 48-55, 40-47 | 56-63).
 *   Vertical rows 0, 1, 2, 3 in slots 2, 0, 1, 3 (block 3 empty);
 *   horizontal rows 0, 1, 2 in slots 0, 2, 1.  The cells whose range is
 *   wider than a byte (rows 1 and 2 of the middle column of a vertical
 *   patch, the middle two blocks of row 1 of a horizontal one: the centre
 *   channels of both pixels) take a second byte, their high byte: in block
 *   3 of slots 2 and 3 (vertical rows 1, 2), in blocks 1 and 2 of slot 3
 *   (horizontal), where an in-lane shift or one lane move puts them beside
 *   the low bytes.  The other cells must span at most 255.  The biases add
 *   up to the same constant for every output cell of sub-pixel q (every
 *   position of every patch lands on it once): edge_bias[q], added back at
 *   the rescale.
 * - int16 (96 bytes): the cells themselves, in rows of 16 cells: vertical
 *   rows 0 .. 2 with row 3 in their spare block 3 (block k of row 3 in
 *   row k), horizontal rows 0 .. 2. */

#ifndef __ECLUT_EDGE_H__
#define __ECLUT_EDGE_H__

#include <glib.h>

#include "eclut-lut.h"
#include "eclut-simd.h"

G_BEGIN_DECLS
/* bytes per patch */
#define ECLUT_EDGE_COMPACT_BYTES 64
#define ECLUT_EDGE_INT16_BYTES 96
/* Where the patch of the edge (a, b) is: a the top (left) pixel. */
#define ECLUT_EDGE_INDEX(a, b) ((gsize) ((guint) (a) << 8 | (guint) (b)))
/* Output block X of an accumulator row is at cells (X + 2) * 4: blocks -2
 * .. w + 1 exist (patches of the edges at the border reach them), and the
 * 4-block reads of the last pixel need w + 5 blocks. */
#define ECLUT_EDGE_ACC_CELLS(w) ((((gsize) (w) + 5) * 4 + 15) & ~(gsize) 15)
/* The edge tables of an x2 table with expand step 2: the vertical and
 * horizontal patches, @bytes each (the compact or the int16 layout),
 * 64-byte aligned; @bias: the compact layout's biases summed per
 * sub-pixel (else 0). */
typedef struct
{
  const guint8 *v;
  const guint8 *h;
  guint bytes;
  gint16 bias[4];
  gpointer mem;                 /* the allocation of both */
} EclutEdgeTables;

/* The edge tables of @lut (which must be x2 with expand step 2), built
 * the first time a plan asks for them and kept with the table (8 MB in
 * the compact layout, 12 MB in int16). */
const EclutEdgeTables *eclut_edge_tables (const EclutLut * lut);

#ifdef ECLUT_HAVE_AVX2
/* Adds the patches of the edges of LR row t (and t + 1 if @n_rows is 2)
 * to the output block rows acc[0 .. 2 + n_rows] = t - 1 .. t + 1 +
 * n_rows: with x = src[0] (row t) and y = src[1] (the row below it), the
 * vertical edges (x[j], y[j]), the horizontal edges (x[j], x[j + 1]), j =
 * 0 .. w - 1, and the horizontal edge (x[-1], x[0]); then the same for
 * src[1] and src[2] when n_rows is 2.  The rows are padded copies:
 * x[-1] and x[w .. w + 31] must be readable (the border value).  @ahead
 * (or NULL): w bytes that will be read soon (a source row), to prefetch
 * on the way.  Two rows at once share the read-modify-writes of the three
 * output rows that both reach. */
void eclut_edge_add_rows_avx2 (const EclutEdgeTables * et,
    const guint8 * const src[3], guint n_rows, guint w,
    gint16 * const acc[5], const guint8 * ahead);

/* Output blocks 0 .. w - 1 of a finished accumulator row, rescaled
 * ((S + bias) >> shift, clamped to 0..255, S with the compact layout's
 * biases added back) into HR rows @out0 and @out1 (either may be NULL: not
 * written); the row (blocks -2 .. w + 1) is left cleared. */
void eclut_edge_finish_row_avx2 (const EclutLut * lut,
    const EclutEdgeTables * et, gint16 * acc, guint w, guint8 * out0,
    guint8 * out1);
#endif

G_END_DECLS
#endif /* __ECLUT_EDGE_H__ */
