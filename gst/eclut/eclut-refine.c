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
 * (k = 0..3, replicate padding; with the diagonal pair below-right,
 * below-left, above-left or above-right, with the corner pair the mean of
 * two neighbours, and with the quad pair its 2x2 block: only the
 * pair rows differ, see refine_pairs_below_right (), refine_pairs_corner ()
 * and refine_pairs_quad ()), and its expand
 * channel c = (dy, dx) reads, for output pixel (i, j), the pair at the
 * source displacement (-dy st, -dx st) of the rotated frame turned back
 * into this one:
 *
 *   k = 0: (-dy, -dx) st    k = 1: (-dx,  dy) st
 *   k = 2: ( dy,  dx) st    k = 3: ( dx, -dy) st
 *
 * with reflect padding on each axis (reflection commutes with the quarter
 * turns, so the rotated frame's padding is this frame's).  With phases P
 * a pixel reads its pair's entry for its position in the rotated frame
 * (refine_phase_row (), refine_phase_col ()): the pair's offset times P^2
 * plus the position's.
 *
 * So the pairs of one source row reach the output rows st above, at and
 * st below it (reflected), each through three of the nine channels per
 * rotation, added at the column offsets -st, 0 and +st; and what a source
 * row adds to an output row depends only on that row offset (its role
 * m), not on which output row it is (near the top and bottom edges one
 * source row can take two roles for one output row).
 * So each source row is worked once: its pair rows, the 9 channels of
 * every pair (one 16-byte entry of the re-laid table: one load, then a
 * transpose into 9 channel rows), and per role m the int16 row C_m of its
 * 12 channels added at their column offsets (|S| <= 36 * 128).  An output
 * row is then C_0 + C_1 + C_2 of its three source rows, rescaled.  The
 * C_m rows of the last 2 st + 1 source rows are kept in a ring: the rows
 * one output row reads, y - st .. y + st reflected, lie within 2 st + 1
 * consecutive ones, so row % (2 st + 1) never puts two of them in one
 * slot. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-refine-private.h"
#include "eclut-luma-private.h"   /* eclut_refl () */

#define N_ROT 4
#define N_ROW_OFFSETS 3         /* -st, 0, +st */
#define MAX_RING (2 * ECLUT_REFINE_MAX_STEP + 1)
#define BLOCK ECLUT_REFINE_BLOCK

G_STATIC_ASSERT (ECLUT_REFINE_MAX_STEP < BLOCK);

/* ---- The plain C kernels ---------------------------------------------- */

static void
refine_entries_c (const guint8 * table, const guint32 * offs, guint n,
    gint8 * const planes[9])
{
  gint8 *restrict p0 = planes[0], *restrict p1 = planes[1];
  gint8 *restrict p2 = planes[2], *restrict p3 = planes[3];
  gint8 *restrict p4 = planes[4], *restrict p5 = planes[5];
  gint8 *restrict p6 = planes[6], *restrict p7 = planes[7];
  gint8 *restrict p8 = planes[8];
  guint i;

  for (i = 0; i < n; i++) {
    const guint8 *e = table + offs[i];

    p0[i] = (gint8) e[0];
    p1[i] = (gint8) e[1];
    p2[i] = (gint8) e[2];
    p3[i] = (gint8) e[3];
    p4[i] = (gint8) e[4];
    p5[i] = (gint8) e[5];
    p6[i] = (gint8) e[6];
    p7[i] = (gint8) e[7];
    p8[i] = (gint8) e[8];
  }
}

static void
refine_phases_c (guint32 * out, const guint32 * col, guint32 row_off,
    guint n, guint n_pos)
{
  guint i;

  for (i = 0; i < n; i++)
    out[i] = out[i] * n_pos + row_off + col[i];
}

static void
refine_pairs_c (const guint8 * a, const guint8 * b, guint n, guint32 * out)
{
  guint i;

  for (i = 0; i < n; i++)
    out[i] = (guint32) (a[i] << 8 | b[i]) * ECLUT_REFINE_ENTRY_BYTES;
}

static void
refine_add3_c (gint16 * restrict sum, const gint8 * restrict a,
    const gint8 * restrict b, const gint8 * restrict c, guint n,
    gboolean first)
{
  guint i, j;

  /* blocks of a constant length, which GCC's -O2 vectoriser takes */
  for (i = 0; i < n; i += BLOCK, sum += BLOCK, a += BLOCK, b += BLOCK,
      c += BLOCK)
    for (j = 0; j < BLOCK; j++)
      sum[j] = (gint16) ((first ? 0 : sum[j]) + a[j] + b[j] + c[j]);
}

static void
refine_add_c (gint16 * const sum[3], const gint8 * const p[9], guint n,
    gboolean first)
{
  guint m;

  for (m = 0; m < 3; m++)
    refine_add3_c (sum[m], p[3 * m], p[3 * m + 1], p[3 * m + 2], n, first);
}

void
eclut_refine_finish_c (const EclutRefine * stage, const gint16 * const s[3],
    const guint8 * in, guint8 * out, guint w)
{
  const gint bias = stage->bias, shift = (gint) stage->shift;
  guint x;

  for (x = 0; x < w; x++) {
    /* arithmetic shift of a negative sum floors, as the spec's >> */
    gint v = (s[0][x] + s[1][x] + s[2][x] + bias) >> shift;

    if (stage->residual)
      v += in[x];
    out[x] = (guint8) CLAMP (v, 0, 255);
  }
}

/* ---- The stage -------------------------------------------------------- */

/* The pair indices a * 256 + b of rotation @k for a source row @row (8
 * bits, with the rows @below and @above it, replicated at the plane's
 * edges), at columns 0 .. @w - 1, into @out.  The vertical pair
 * (ECLUT_REFINE_PAIR_BELOW): rotation k pairs each pixel with its
 * neighbour below, left, above or right (k = 0..3). */
static void
refine_pairs_below (const EclutRefine * stage, const guint8 * row,
    const guint8 * below, const guint8 * above, guint w, guint k,
    guint32 * out)
{
  switch (k) {
    case 0:
      stage->pairs (row, below, w, out);
      break;
    case 1:
      out[0] = (guint32) (row[0] << 8 | row[0]) * ECLUT_REFINE_ENTRY_BYTES;
      stage->pairs (row + 1, row, w - 1, out + 1);
      break;
    case 2:
      stage->pairs (row, above, w, out);
      break;
    default:
      stage->pairs (row, row + 1, w - 1, out);
      out[w - 1] = (guint32) (row[w - 1] << 8 | row[w - 1])
          * ECLUT_REFINE_ENTRY_BYTES;
      break;
  }
}

/* The same for the diagonal pair (ECLUT_REFINE_PAIR_BELOW_RIGHT):
 * rotation k pairs each pixel with its neighbour below-right, below-left,
 * above-left or above-right (k = 0..3: the rotated frame's pixel below
 * and to the right, turned back), each axis replicated at the edges. */
static void
refine_pairs_below_right (const EclutRefine * stage, const guint8 * row,
    const guint8 * below, const guint8 * above, guint w, guint k,
    guint32 * out)
{
  const guint8 *next = k < 2 ? below : above;

  if (k == 0 || k == 3) {
    /* the neighbour to the right; the last column (the right edge
     * replicated) pairs with the pixel straight below or above it */
    stage->pairs (row, next + 1, w - 1, out);
    out[w - 1] = (guint32) (row[w - 1] << 8 | next[w - 1])
        * ECLUT_REFINE_ENTRY_BYTES;
  } else {
    /* the neighbour to the left; the first column (the left edge
     * replicated) pairs with the pixel straight below or above it */
    out[0] = (guint32) (row[0] << 8 | next[0]) * ECLUT_REFINE_ENTRY_BYTES;
    stage->pairs (row + 1, next, w - 1, out + 1);
  }
}

/* The rounded means (u + v + 1) >> 1 of @u[i] and @v[i], i < @n. */
static void
refine_means (const guint8 * restrict u, const guint8 * restrict v, guint n,
    guint8 * restrict out)
{
  guint i;

  /* blocks of a constant length, which GCC's -O2 vectoriser takes (byte
   * averages), then the rest */
  for (; n >= BLOCK; n -= BLOCK, u += BLOCK, v += BLOCK, out += BLOCK)
    for (i = 0; i < BLOCK; i++)
      out[i] = (guint8) ((u[i] + v[i] + 1) >> 1);
  for (i = 0; i < n; i++)
    out[i] = (guint8) ((u[i] + v[i] + 1) >> 1);
}

/* The pair indices (as refine_pairs_below ()) for the corner pair
 * (ECLUT_REFINE_PAIR_CORNER): rotation k pairs each pixel with the
 * rounded mean of two of its neighbours, the rotated frame's pixel below
 * and the one to its right, turned back: below and right, left and below,
 * above and left, right and above (k = 0..3), each replicated at the
 * edges.  The means are made in pieces on the stack (each an 8-bit row,
 * as the pair kernels read). */
static void
refine_pairs_corner (const EclutRefine * stage, const guint8 * row,
    const guint8 * below, const guint8 * above, guint w, guint k,
    guint32 * out)
{
  const guint8 *vert = k == 0 || k == 1 ? below : above;
  guint8 mean[256];
  guint x0;

  for (x0 = 0; x0 < w; x0 += sizeof (mean)) {
    const guint n = MIN ((guint) sizeof (mean), w - x0);

    if (k == 0 || k == 3) {
      /* the neighbour to the right; the last column's is itself */
      const guint m = x0 + n == w ? n - 1 : n;

      refine_means (vert + x0, row + x0 + 1, m, mean);
      refine_means (vert + x0 + m, row + x0 + m, n - m, mean + m);
    } else {
      /* the neighbour to the left; the first column's is itself */
      const guint m = x0 == 0 ? 1 : 0;

      refine_means (vert + x0, row + x0, m, mean);
      refine_means (vert + x0 + m, row + x0 + m - 1, n - m, mean + m);
    }
    stage->pairs (row + x0, mean, n, out + x0);
  }
}

/* The quad pair's level of a difference @d = neighbour - pixel: 7 +
 * sign (d) m, m the number of the steps 1, 3, 6, 10, 16, 26, 46 that |d|
 * reaches (0..14). */
static guint8
refine_quad_level (gint d)
{
  const gint u = ABS (d);
  const gint m = (u >= 1) + (u >= 3) + (u >= 6) + (u >= 10) + (u >= 16)
      + (u >= 26) + (u >= 46);

  return (guint8) (d < 0 ? 7 - m : 7 + m);
}

void
eclut_refine_quad_c (const guint8 * a, const guint8 * u, const guint8 * v,
    const guint8 * g, guint n, guint8 * hi, guint8 * lo)
{
  guint i;

  for (i = 0; i < n; i++) {
    hi[i] = (guint8) ((a[i] & 0xf0)
        | refine_quad_level ((gint) u[i] - a[i]));
    lo[i] = (guint8) (refine_quad_level ((gint) v[i] - a[i]) << 4
        | refine_quad_level ((gint) g[i] - a[i]));
  }
}

/* The pair indices (as refine_pairs_below ()) for the quad pair
 * (ECLUT_REFINE_PAIR_QUAD): rotation k reads the 2x2 block of each pixel
 * in the rotated frame, its pixel below, to the right and below and to
 * the right, which turned back are (below, right, below-right), (left,
 * below, below-left), (above, left, above-left) and (right, above,
 * above-right) for k = 0..3, each axis replicated at the edges.  The
 * index's two bytes are made in pieces on the stack, then read as a pair
 * by the pair kernel. */
static void
refine_pairs_quad (const EclutRefine * stage, const guint8 * row,
    const guint8 * below, const guint8 * above, guint w, guint k,
    guint32 * out)
{
  /* the rotated frame's row below, and the side of its column right */
  const guint8 *vert = k < 2 ? below : above;
  const gint side = k == 0 || k == 3 ? 1 : -1;
  guint8 hi[256], lo[256];
  guint x0;

  for (x0 = 0; x0 < w; x0 += sizeof (hi)) {
    const guint n = MIN ((guint) sizeof (hi), w - x0);
    /* the column whose neighbour at the side is itself (replicated), if
     * it is in this piece, at @edge; the others at @first .. + @m */
    const guint edge = side > 0 ? w - 1 - x0 : 0;
    const gboolean has_edge = side > 0 ? x0 + n == w : x0 == 0;
    const guint first = side < 0 && has_edge ? 1 : 0;
    const guint m = n - (has_edge ? 1 : 0);
    const guint8 *a = row + x0 + first, *vv = vert + x0 + first;
    const guint8 *h = a + side, *d = vv + side;

    /* in the rotated frame, below and right are vv and h (k even) or h
     * and vv (k odd) */
    stage->quad (a, k & 1 ? h : vv, k & 1 ? vv : h, d, m, hi + first,
        lo + first);
    if (has_edge) {
      const guint8 *ea = row + x0 + edge, *ev = vert + x0 + edge;

      stage->quad (ea, k & 1 ? ea : ev, k & 1 ? ev : ea, ev, 1, hi + edge,
          lo + edge);
    }
    stage->pairs (hi, lo, n, out + x0);
  }
}

EclutRefine *
eclut_refine_new_simd (const gint8 * table, guint expand_step,
    guint rescale_shift, gint rescale_bias, gboolean residual,
    EclutRefinePair pair, guint phases, EclutSimdLevel level)
{
  /* source displacement per rotation of the rotated frame's (ddy, ddx) */
  static const gint rot_y[N_ROT][2] = { {1, 0}, {0, 1}, {-1, 0}, {0, -1} };
  static const gint rot_x[N_ROT][2] =
      { {0, 1}, {-1, 0}, {0, -1}, {1, 0} };
  EclutRefine *stage;
  guint k, c;
  gsize i, n_entries;

  if (table == NULL || expand_step < 1 || expand_step > ECLUT_REFINE_MAX_STEP
      || rescale_shift > 8 || rescale_bias < 0
      || (rescale_bias >= (1 << rescale_shift) && rescale_bias != 0)
      || (pair != ECLUT_REFINE_PAIR_BELOW
          && pair != ECLUT_REFINE_PAIR_BELOW_RIGHT
          && pair != ECLUT_REFINE_PAIR_CORNER
          && pair != ECLUT_REFINE_PAIR_QUAD)
      || phases < 1 || phases > ECLUT_REFINE_MAX_PHASES)
    return NULL;

  stage = g_new0 (EclutRefine, 1);
  stage->step = expand_step;
  stage->shift = rescale_shift;
  stage->bias = rescale_bias;
  stage->residual = residual;
  stage->phases = phases;
  stage->simd = MIN (level, eclut_simd_level ());

  for (k = 0; k < N_ROT; k++)
    for (c = 0; c < ECLUT_REFINE_ENTRIES; c++) {
      /* the channel's direction in the rotated frame, its source
       * displacement there, and that displacement here */
      gint ddy = -((gint) c / 3 - 1), ddx = -((gint) c % 3 - 1);
      gint oy = rot_y[k][0] * ddy + rot_y[k][1] * ddx;
      gint ox = rot_x[k][0] * ddy + rot_x[k][1] * ddx;

      stage->chan[k][oy + 1][ox + 1] = (guint8) c;
    }

  /* the file's order, each entry padded to 16 bytes: a pair's positions
   * side by side, so that neighbouring pixels (different positions, often
   * the same pair) share cache lines */
  n_entries = (gsize) 65536 * phases * phases;
  stage->table = eclut_table_alloc (n_entries * ECLUT_REFINE_ENTRY_BYTES);
  for (i = 0; i < n_entries; i++) {
    guint8 *entry = stage->table + i * ECLUT_REFINE_ENTRY_BYTES;

    memcpy (entry, table + i * ECLUT_REFINE_ENTRIES, ECLUT_REFINE_ENTRIES);
    /* the padding too: the SIMD loads read whole entries */
    memset (entry + ECLUT_REFINE_ENTRIES, 0,
        ECLUT_REFINE_ENTRY_BYTES - ECLUT_REFINE_ENTRIES);
  }

  if (pair == ECLUT_REFINE_PAIR_BELOW_RIGHT)
    stage->pair_row = refine_pairs_below_right;
  else if (pair == ECLUT_REFINE_PAIR_CORNER)
    stage->pair_row = refine_pairs_corner;
  else if (pair == ECLUT_REFINE_PAIR_QUAD)
    stage->pair_row = refine_pairs_quad;
  else
    stage->pair_row = refine_pairs_below;
  stage->pairs = refine_pairs_c;
  stage->quad = eclut_refine_quad_c;
  stage->phase_offsets = refine_phases_c;
  stage->entries = refine_entries_c;
  stage->add = refine_add_c;
  stage->finish = eclut_refine_finish_c;
  stage->top8 = eclut_refine_top8_c;
  stage->finish10 = eclut_refine_finish10_c;
#ifdef ECLUT_HAVE_SSE2
  if (stage->simd >= ECLUT_SIMD_SSE2) {
    stage->pairs = eclut_refine_pairs_sse2;
    stage->quad = eclut_refine_quad_sse2;
    stage->phase_offsets = eclut_refine_phases_sse2;
    stage->entries = eclut_refine_entries_sse2;
    stage->add = eclut_refine_add_sse2;
    stage->finish = eclut_refine_finish_sse2;
    stage->top8 = eclut_refine_top8_sse2;
    stage->finish10 = eclut_refine_finish10_sse2;
  }
#endif
#ifdef ECLUT_HAVE_AVX2
  if (stage->simd >= ECLUT_SIMD_AVX2) {
    stage->phase_offsets = eclut_refine_phases_avx2;
    stage->entries = eclut_refine_entries_avx2;
    stage->add = eclut_refine_add_avx2;
    stage->finish = eclut_refine_finish_avx2;
  }
#endif
  return stage;
}

EclutRefine *
eclut_refine_new (const gint8 * table, guint expand_step, guint rescale_shift,
    gint rescale_bias, gboolean residual, EclutRefinePair pair, guint phases)
{
  return eclut_refine_new_simd (table, expand_step, rescale_shift,
      rescale_bias, residual, pair, phases, eclut_simd_level ());
}

void
eclut_refine_free (EclutRefine * stage)
{
  if (stage == NULL)
    return;
  eclut_table_free (stage->table);
  g_free (stage);
}

/* ---- The scratch ------------------------------------------------------ */

/* Where each part of the scratch is, for planes @width wide (byte offsets,
 * multiples of 64). */
typedef struct
{
  gsize body;                   /* pixels rounded up to BLOCK */
  gsize entries;                /* entries read per pair row */
  gsize pair_len;               /* cells per pair row (entry offsets) */
  gsize pairs, planes, plane_len, roles, hrows, phase, total;
} RefineLayout;

static gsize
align64 (gsize n)
{
  return (n + 63) & ~(gsize) 63;
}

static RefineLayout
refine_layout (guint width)
{
  RefineLayout l;

  l.body = ((gsize) width + BLOCK - 1) / BLOCK * BLOCK;
  /* columns -st .. body - 1 + st, whole blocks */
  l.entries = l.body + BLOCK;
  /* the entries start at column -st (cell MAX_STEP - st) */
  l.pair_len = ECLUT_REFINE_MAX_STEP + l.entries;
  l.pairs = 64;                 /* after the ring's tags */
  l.planes = l.pairs + align64 (l.pair_len * 4);
  l.plane_len = align64 (l.entries);
  l.roles = l.planes + ECLUT_REFINE_ENTRIES * l.plane_len;
  l.hrows = l.roles + (gsize) MAX_RING * N_ROW_OFFSETS * align64 (l.body * 2);
  /* per rotation, the column part of each pixel's position offset */
  l.phase = l.hrows + 3 * align64 (width);
  l.total = l.phase + N_ROT * align64 (l.body * 4);
  return l;
}

gsize
eclut_refine_scratch_size (guint width)
{
  return refine_layout (width).total;
}

/* ---- The rows --------------------------------------------------------- */

/* The position p = (i mod P) P + (j mod P) of pixel (@y, @x) of an
 * @height x @width plane in the frame of rotation @k, (i, j) its
 * coordinates there (numpy's rot90 (X, k), as in refine_pairs_below ()):
 *
 *   k = 0: (y, x)                  k = 1: (width - 1 - x, y)
 *   k = 2: (height - 1 - y, width - 1 - x)   k = 3: (x, height - 1 - y)
 *
 * as the sum of a part that depends only on the row and one that depends
 * only on the column, each in bytes (the position's entry within its
 * pair's P^2 entries).  Each part is the coordinate @v along its axis of
 * @n pixels, counted from the end where the turn reverses the axis (@rev),
 * mod P, times P where it is the rotated frame's row i (@is_i). */
static guint32
refine_phase_part (const EclutRefine * stage, guint v, guint n, gboolean rev,
    gboolean is_i)
{
  const guint P = stage->phases;

  return (rev ? n - 1 - v : v) % P * (is_i ? P : 1)
      * ECLUT_REFINE_ENTRY_BYTES;
}

static guint32
refine_phase_row (const EclutRefine * stage, guint k, guint y, guint height)
{
  return refine_phase_part (stage, y, height, k >= 2, k % 2 == 0);
}

static guint32
refine_phase_col (const EclutRefine * stage, guint k, guint x, guint width)
{
  return refine_phase_part (stage, x, width, k == 1 || k == 2, k % 2 == 1);
}

/* The column parts of rotation @k for a plane @width wide, into @col
 * (@body cells: those past the width are 0). */
static void
refine_phase_cols (const EclutRefine * stage, guint k, guint width,
    guint body, guint32 * col)
{
  guint x;

  for (x = 0; x < body; x++)
    col[x] = x < width ? refine_phase_col (stage, k, x, width) : 0;
}

/* The pairs' offsets @out[i] (i < @body, whole blocks) made the offsets of
 * their entries at the pixels' positions, @out[i] P^2 + @row_off +
 * @col[i]; then the cells from @w on put back to entry 0 (the block's
 * tail past the row). */
static void
refine_add_phases (const EclutRefine * stage, guint32 * out,
    const guint32 * col, guint32 row_off, guint w, guint body)
{
  guint i;

  stage->phase_offsets (out, col, row_off, body,
      stage->phases * stage->phases);
  for (i = w; i < body; i++)
    out[i] = 0;
}

/* The pair indices of rotation @k for source row @row (see
 * refine_pairs_below ()) at columns -st .. @w - 1 + st (reflected), into
 * @out (which points at column 0); with phases, each plus its position's
 * table (@col, the column parts of the rotation, and @row_off). */
static void
refine_pair_row (const EclutRefine * stage, const guint8 * row,
    const guint8 * below, const guint8 * above, guint w, guint body, guint k,
    const guint32 * col, guint32 row_off, guint32 * out)
{
  guint j;

  stage->pair_row (stage, row, below, above, w, k, out);
  if (stage->phases > 1)
    refine_add_phases (stage, out, col, row_off, w, body);
  for (j = 1; j <= stage->step; j++) {
    out[-(gint) j] = out[eclut_refl (-(gint64) j, w)];
    out[w - 1 + j] = out[eclut_refl ((gint64) w - 1 + j, w)];
  }
}

/* Sample @x of the 10-bit row @row of layout @samples, 0..1023 (the bits
 * above bit 9 of a low-bits sample are not part of it). */
static inline guint
refine_read10 (const guint8 * row, guint x, EclutSamples samples)
{
  guint v = row[2 * (gsize) x] | (guint) row[2 * (gsize) x + 1] << 8;

  return samples == ECLUT_SAMPLES_U10_MSB ? v >> 6 : v & 1023;
}

void
eclut_refine_top8_c (const guint8 * row, guint w, EclutSamples samples,
    guint8 * h)
{
  guint x;

  for (x = 0; x < w; x++)
    h[x] = (guint8) (refine_read10 (row, x, samples) >> 2);
}

/* The 10-bit output row: the stage's correction keeps two more bits. */
void
eclut_refine_finish10_c (const EclutRefine * stage,
    const gint16 * const s[3], const guint8 * in, guint8 * out, guint w,
    EclutSamples samples)
{
  const gint bias = stage->bias, shift = (gint) stage->shift;
  guint x;

  for (x = 0; x < w; x++) {
    /* 4 (S + b) fits int: |S| <= 36 * 128, b < 256 */
    gint v = (4 * (s[0][x] + s[1][x] + s[2][x] + bias)) >> shift;

    if (stage->residual)
      v += (gint) refine_read10 (in, x, samples);
    v = CLAMP (v, 0, 1023);
    if (samples == ECLUT_SAMPLES_U10_MSB)
      v <<= 6;
    out[2 * (gsize) x] = (guint8) (v & 0xff);
    out[2 * (gsize) x + 1] = (guint8) (v >> 8);
  }
}

/* The role rows C_0, C_1, C_2 of source row @sy into @roles. */
static void
refine_source_row (const EclutRefine * stage, const RefineLayout * l,
    EclutSamples samples, const guint8 * src, gint src_stride, guint width,
    guint height, guint sy, guint8 * scratch, gint16 * const roles[3])
{
  const guint st = stage->step;
  guint32 *pairs = (guint32 *) (scratch + l->pairs) + ECLUT_REFINE_MAX_STEP;
  gint8 *planes[ECLUT_REFINE_ENTRIES];
  const gint8 *p[9];
  const guint8 *r[3];           /* the row, below it, above it */
  guint i, k, m;

  for (i = 0; i < ECLUT_REFINE_ENTRIES; i++)
    planes[i] = (gint8 *) (scratch + l->planes + i * l->plane_len);
  r[0] = src + (gsize) sy * src_stride;
  r[1] = src + (gsize) MIN (sy + 1, height - 1) * src_stride;
  r[2] = src + (gsize) (sy > 0 ? sy - 1 : 0) * src_stride;
  if (samples != ECLUT_SAMPLES_U8) {
    for (i = 0; i < 3; i++) {
      guint8 *h = scratch + l->hrows + i * align64 (width);

      stage->top8 (r[i], width, samples, h);
      r[i] = h;
    }
  }
  for (k = 0; k < N_ROT; k++) {
    refine_pair_row (stage, r[0], r[1], r[2], width, (guint) l->body, k,
        (const guint32 *) (scratch + l->phase + k * align64 (l->body * 4)),
        stage->phases > 1 ? refine_phase_row (stage, k, sy, height) : 0,
        pairs);
    /* plane cell i holds column i - st */
    stage->entries (stage->table, pairs - st, (guint) l->entries, planes);
    for (m = 0; m < N_ROW_OFFSETS; m++) {
      const guint8 *c = stage->chan[k][m];

      p[3 * m] = planes[c[0]];
      p[3 * m + 1] = planes[c[1]] + st;
      p[3 * m + 2] = planes[c[2]] + 2 * st;
    }
    stage->add (roles, p, (guint) l->body, k == 0);
  }
}

void
eclut_refine_rows_samples (const EclutRefine * stage, EclutSamples samples,
    const guint8 * src, gint src_stride, guint width, guint height,
    guint8 * dst, gint dst_stride, guint y0, guint y1, gpointer scratch)
{
  const RefineLayout l = refine_layout (width);
  guint8 *base = scratch;
  gint32 *tags = scratch;
  guint ring, y, i;

  g_return_if_fail (stage != NULL && src != NULL && dst != NULL
      && scratch != NULL);
  g_return_if_fail (samples <= ECLUT_SAMPLES_U10_MSB);
  g_return_if_fail (width > 0 && height > 0 && y0 <= y1 && y1 <= height);

  ring = 2 * stage->step + 1;
  for (i = 0; i < ring; i++)
    tags[i] = -1;
  /* the cells past a pair row's reflected columns, which the kernels read
   * in whole blocks, index entry 0 */
  memset (base + l.pairs, 0, l.pair_len * 4);
  if (stage->phases > 1)
    for (i = 0; i < N_ROT; i++)
      refine_phase_cols (stage, i, width, (guint) l.body,
          (guint32 *) (base + l.phase + i * align64 (l.body * 4)));

  for (y = y0; y < y1; y++) {
    const gint16 *s[N_ROW_OFFSETS];
    guint m;

    for (m = 0; m < N_ROW_OFFSETS; m++) {
      guint sy = eclut_refl ((gint64) y + ((gint) m - 1) * (gint) stage->step,
          height);
      guint slot = sy % ring;
      gint16 *roles[N_ROW_OFFSETS];

      for (i = 0; i < N_ROW_OFFSETS; i++)
        roles[i] = (gint16 *) (base + l.roles + (slot * N_ROW_OFFSETS + i)
            * align64 (l.body * 2));
      if (tags[slot] != (gint32) sy) {
        refine_source_row (stage, &l, samples, src, src_stride, width,
            height, sy, base, roles);
        tags[slot] = (gint32) sy;
      }
      s[m] = roles[m];
    }

    if (samples == ECLUT_SAMPLES_U8)
      stage->finish (stage, s, src + (gsize) y * src_stride,
          dst + (gsize) y * dst_stride, width);
    else
      stage->finish10 (stage, s, src + (gsize) y * src_stride,
          dst + (gsize) y * dst_stride, width, samples);
  }
}

void
eclut_refine_rows (const EclutRefine * stage, const guint8 * src,
    gint src_stride, guint width, guint height, guint8 * dst, gint dst_stride,
    guint y0, guint y1, gpointer scratch)
{
  eclut_refine_rows_samples (stage, ECLUT_SAMPLES_U8, src, src_stride, width,
      height, dst, dst_stride, y0, y1, scratch);
}
