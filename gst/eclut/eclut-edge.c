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

/* The edge paths (eclut-edge.h, eclut-edge3.h): the x2 tables, and the
 * rows of x2 and x3 around their AVX2 kernels (eclut-edge-avx2.c,
 * eclut-edge3-avx2.c). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-edge.h"
#include "eclut-luma-private.h"

/* ---- The tables ------------------------------------------------------- */

/* The patches of the edge (a, b), unpacked: vertical v[row][column][cell],
 * horizontal h[row][column][cell].  Rotation 0 of the pair (a, b) anchored
 * at the top pixel and rotation 2 of (b, a) one row below it, channel (dy,
 * dx) at block (1 + dy, 1 + dx) of its anchor; likewise rotations 3 (a, b)
 * and 1 (b, a) one column apart.  The rotation tables are stored biased by
 * ECLUT_LUT_ENTRY_BIAS. */
static void
edge_patches (const EclutLut * lut, guint a, guint b, gint16 v[4][3][4],
    gint16 h[3][4][4])
{
  const guint bs = lut->block_stride;
  const guint8 *r0 = lut->rot[0] + ECLUT_LUT_BLOCK_INDEX (2, a, b) * bs;
  const guint8 *r2 = lut->rot[2] + ECLUT_LUT_BLOCK_INDEX (2, b, a) * bs;
  const guint8 *r3 = lut->rot[3] + ECLUT_LUT_BLOCK_INDEX (2, a, b) * bs;
  const guint8 *r1 = lut->rot[1] + ECLUT_LUT_BLOCK_INDEX (2, b, a) * bs;
  const gint bias = ECLUT_LUT_ENTRY_BIAS;
  guint k, q;

  /* each cell written once (no clearing and adding: this runs twice for
   * each of the 65536 pairs at every start) */
#define CH(t, c) ((t) + ECLUT_LUT_SLOT (2, c) * 4)
  for (k = 0; k < 3; k++)
    for (q = 0; q < 4; q++) {
      /* vertical: column k = 1 + dx; rotation 0 in rows 0-2 (1 + dy),
       * rotation 2 in rows 1-3 */
      v[0][k][q] = CH (r0, k)[q] - bias;
      v[1][k][q] = CH (r0, 3 + k)[q] + CH (r2, k)[q] - 2 * bias;
      v[2][k][q] = CH (r0, 6 + k)[q] + CH (r2, 3 + k)[q] - 2 * bias;
      v[3][k][q] = CH (r2, 6 + k)[q] - bias;
      /* horizontal: row k = 1 + dy; rotation 3 in columns 0-2 (1 + dx),
       * rotation 1 in columns 1-3 */
      h[k][0][q] = CH (r3, 3 * k)[q] - bias;
      h[k][1][q] = CH (r3, 3 * k + 1)[q] + CH (r1, 3 * k)[q] - 2 * bias;
      h[k][2][q] = CH (r3, 3 * k + 2)[q] + CH (r1, 3 * k + 1)[q] - 2 * bias;
      h[k][3][q] = CH (r1, 3 * k + 2)[q] - bias;
    }
#undef CH
}

/* The blocks whose range is wider than a byte (eclut-edge.h). */
static gboolean
wide_v (guint row, guint col)
{
  return col == 1 && (row == 1 || row == 2);
}

static gboolean
wide_h (guint row, guint col)
{
  return row == 1 && (col == 1 || col == 2);
}

/* cell (int16 layout) of vertical patch cell (row, col, q): row 3 in the
 * spare blocks of rows 0 .. 2 */
static guint
v_place (guint row, guint col, guint q)
{
  return row < 3 ? row * 16 + col * 4 + q : col * 16 + 12 + q;
}

/* The compact layout's row slots (eclut-edge.h): the byte of block @k,
 * cell @q, of slot @slot (0 .. 3: bytes 0-7 | 16-23, 8-15 | 24-31,
 * 32-39 | 48-55, 40-47 | 56-63). */
static guint
slot_byte (guint slot, guint k, guint q)
{
  return (slot / 2) * 32 + (slot % 2) * 8 + (k / 2) * 16 + (k % 2) * 4 + q;
}

/* vertical rows 0 .. 3 and horizontal rows 0 .. 2 in the slots */
static const guint8 v_slot[4] = { 2, 0, 1, 3 };
static const guint8 h_slot[3] = { 0, 2, 1 };

static void
write_compact (guint8 * pv, guint8 * ph, gint16 v[4][3][4],
    gint16 h[3][4][4], gint16 vmin[4][3][4], gint16 hmin[3][4][4])
{
  guint row, col, q;

  memset (pv, 0, ECLUT_EDGE_COMPACT_BYTES);
  memset (ph, 0, ECLUT_EDGE_COMPACT_BYTES);
  for (row = 0; row < 4; row++)
    for (col = 0; col < 3; col++)
      for (q = 0; q < 4; q++) {
        guint u = (guint) (v[row][col][q] - vmin[row][col][q]);

        pv[slot_byte (v_slot[row], col, q)] = (guint8) u;
        /* the high bytes of the wide cells: in block 3 of the slots of
         * rows 0 (row 1's) and 3 (row 2's) */
        if (wide_v (row, col))
          pv[slot_byte (v_slot[row == 1 ? 0 : 3], 3, q)] = (guint8) (u >> 8);
      }
  for (row = 0; row < 3; row++)
    for (col = 0; col < 4; col++)
      for (q = 0; q < 4; q++) {
        guint u = (guint) (h[row][col][q] - hmin[row][col][q]);

        ph[slot_byte (h_slot[row], col, q)] = (guint8) u;
        /* the high bytes of the wide cells: same blocks of the unused
         * slot 3 */
        if (wide_h (row, col))
          ph[slot_byte (3, col, q)] = (guint8) (u >> 8);
      }
}

static void
write_int16 (guint8 * pv, guint8 * ph, gint16 v[4][3][4], gint16 h[3][4][4])
{
  gint16 cells[48];
  guint row, col, q;

  memset (cells, 0, sizeof (cells));
  for (row = 0; row < 4; row++)
    for (col = 0; col < 3; col++)
      for (q = 0; q < 4; q++)
        cells[v_place (row, col, q)] = v[row][col][q];
  memcpy (pv, cells, sizeof (cells));
  memcpy (ph, h, sizeof (cells));
}

/* The @t-th pair in an order of 16 x 16 tiles of (a, b): a patch reads
 * the blocks of (a, b) and of (b, a), which in plain a * 256 + b order are
 * 256 blocks apart and miss the caches for every pair; tiled, both stay
 * cached (the build is part of every element start at x2). */
static inline guint
tiled_pair (guint t)
{
  guint a = ((t >> 8) & 0xF0) | ((t >> 4) & 0x0F);
  guint b = ((t >> 4) & 0xF0) | (t & 0x0F);

  return a << 8 | b;
}

static void
edge_tables_free (gpointer data)
{
  EclutEdgeTables *et = data;

  eclut_table_free (et->mem);
  g_free (et);
}

static gpointer
edge_tables_build (const EclutLut * lut)
{
  EclutEdgeTables *et = g_new0 (EclutEdgeTables, 1);
  gint16 v[4][3][4], h[3][4][4];
  gint16 vmin[4][3][4], vmax[4][3][4], hmin[3][4][4], hmax[3][4][4];
  gboolean compact = TRUE;
  guint t, pair, row, col, q, bytes, i;
  guint8 *base;


  /* the range of every cell over all pairs: does the compact layout fit? */
  G_STATIC_ASSERT (sizeof (v) == 48 * sizeof (gint16));
  G_STATIC_ASSERT (sizeof (h) == 48 * sizeof (gint16));
  for (i = 0; i < 48; i++) {
    (&vmin[0][0][0])[i] = (&hmin[0][0][0])[i] = G_MAXINT16;
    (&vmax[0][0][0])[i] = (&hmax[0][0][0])[i] = G_MININT16;
  }
  for (t = 0; t < 65536; t++) {
    pair = tiled_pair (t);
    edge_patches (lut, pair >> 8, pair & 255, v, h);
    /* flat loops over the 48 cells of each, which GCC vectorises */
    for (i = 0; i < 48; i++) {
      (&vmin[0][0][0])[i] = MIN ((&vmin[0][0][0])[i], (&v[0][0][0])[i]);
      (&vmax[0][0][0])[i] = MAX ((&vmax[0][0][0])[i], (&v[0][0][0])[i]);
      (&hmin[0][0][0])[i] = MIN ((&hmin[0][0][0])[i], (&h[0][0][0])[i]);
      (&hmax[0][0][0])[i] = MAX ((&hmax[0][0][0])[i], (&h[0][0][0])[i]);
    }
  }
  memset (et->bias, 0, sizeof (et->bias));
  for (row = 0; row < 4; row++)
    for (col = 0; col < 4; col++)
      for (q = 0; q < 4; q++) {
        /* the wide cells take two bytes: any int16 range fits */
        if (col < 3) {
          compact &= wide_v (row, col)
              || vmax[row][col][q] - vmin[row][col][q] <= 255;
          et->bias[q] += vmin[row][col][q];
        }
        if (row < 3) {
          compact &= wide_h (row, col)
              || hmax[row][col][q] - hmin[row][col][q] <= 255;
          et->bias[q] += hmin[row][col][q];
        }
      }
  if (!compact)
    memset (et->bias, 0, sizeof (et->bias));

  bytes = compact ? ECLUT_EDGE_COMPACT_BYTES : ECLUT_EDGE_INT16_BYTES;
  et->bytes = bytes;
  et->mem = eclut_table_alloc ((gsize) 2 * 65536 * bytes + 63);
  memset (et->mem, 0, (gsize) 2 * 65536 * bytes + 63);
  base = (guint8 *) (((guintptr) et->mem + 63) & ~(guintptr) 63);
  et->v = base;
  et->h = base + (gsize) 65536 *bytes;

  for (t = 0; t < 65536; t++) {
    guint8 *pv, *ph;

    pair = tiled_pair (t);
    pv = base + ECLUT_EDGE_INDEX (pair >> 8, pair & 255) * bytes;
    ph = pv + (gsize) 65536 * bytes;
    edge_patches (lut, pair >> 8, pair & 255, v, h);
    if (compact)
      write_compact (pv, ph, v, h, vmin, hmin);
    else
      write_int16 (pv, ph, v, h);
  }
  return et;
}

const EclutEdgeTables *
eclut_edge_tables (const EclutLut * lut)
{
  g_return_val_if_fail (lut->scale == 2 && lut->expand_step == 2, NULL);
  return eclut_lut_get_derived (lut, ECLUT_LUT_DERIVED_EDGE,
      edge_tables_build, edge_tables_free);
}


/* ---- The path (x2 and x3) ----------------------------------------------
 *
 * The edge patches give every HR block exactly where no reflect padding is
 * involved: block rows 1 .. h - 2 and columns 1 .. w - 2.  The border rows
 * take another path (the block path at x2, the general one at x3), the
 * border columns border_blocks (). */

/* Accumulator rows in the ring (a power of two: rows t - 1 .. t + 3 are in
 * use at once). */
#define EDGE_RING 8

static gsize
edge_acc_cells (guint r, guint in_width)
{
  return r == 2 ? ECLUT_EDGE_ACC_CELLS (in_width) :
      ECLUT_EDGE3_ACC_CELLS (in_width);
}

gsize
eclut_edge_scratch_size (guint r, guint in_width)
{
  return (EDGE_RING * edge_acc_cells (r, in_width)) * sizeof (gint16) +
      3 * eclut_padded_row_size (in_width);
}

#ifdef ECLUT_HAVE_AVX2
/* The kernels of each scale, as the plan calls them. */
void
eclut_edge2_add_rows (gconstpointer tables, const guint8 * const src[3],
    guint n_rows, guint w, gint16 * const acc[5], const guint8 * ahead)
{
  eclut_edge_add_rows_avx2 (tables, src, n_rows, w, acc, ahead);
}

void
eclut_edge2_finish_row (const EclutLut * lut, gconstpointer tables,
    gint16 * acc, guint w, guint8 * const out[4])
{
  eclut_edge_finish_row_avx2 (lut, tables, acc, w, out[0], out[1]);
}

void
eclut_edge3_add_rows (gconstpointer tables, const guint8 * const src[3],
    guint n_rows, guint w, gint16 * const acc[5],
    G_GNUC_UNUSED const guint8 * ahead)
{
  eclut_edge3_add_rows_avx2 (tables, src, n_rows, w, acc);
}

void
eclut_edge3_finish_row (const EclutLut * lut,
    G_GNUC_UNUSED gconstpointer tables, gint16 * acc, guint w,
    guint8 * const out[4])
{
  eclut_edge3_finish_row_avx2 (lut, acc, w, out);
}

/* The border columns.  HR block (Y, X) of an interior block row is
 *   sum over c = (dy, dx) of cell (i, xs % r) of channel c of the rotation
 *   sum of LR pixel (Y - dy, xs / r), xs = refl (r X + j - r dx)
 * (the definition, with the reflect padding of the HR border), and for X =
 * 0 or w - 1 every xs / r is one of the two outer columns.  So the
 * rotation sums of the pixels of columns 0, 1, w - 2 and w - 1 are kept
 * for three LR rows, and each cell of a border block is the sum of nine of
 * their cells, whose places ("taps") depend only on the side. */
#define BORDER_CELLS ECLUT_LUT_BLOCK_STRIDE (3)     /* the larger */

typedef struct
{
  guint bs;                     /* cells per pixel: the block stride */
  gint row[3];                  /* LR row held by each slot, -1: none */
  /* slot, column (0, 1, w - 2, w - 1), cell */
  gint16 sum[3][4 * BORDER_CELLS];
  /* side (X = 0, w - 1), cell i * r + j, channel: the row (Y - 1 + ny)
   * and the cell in that row's sum[] */
  guint8 tap_row[2][9][9];
  guint16 tap_cell[2][9][9];
} BorderSums;

static void
border_init (const EclutLumaCtx * ctx, BorderSums * bs)
{
  const guint r = ctx->r, cw = ECLUT_LUT_CHUNK (r);
  const gint rw = (gint) (r * ctx->w);
  guint side, i, j, c;

  bs->bs = ECLUT_LUT_BLOCK_STRIDE (r);
  bs->row[0] = bs->row[1] = bs->row[2] = -1;
  for (side = 0; side < 2; side++)
    for (i = 0; i < r; i++)
      for (j = 0; j < r; j++)
        for (c = 0; c < 9; c++) {
          gint dy = (gint) (c / 3) - 1, dx = (gint) (c % 3) - 1;
          gint tx = (side ? rw - (gint) r : 0) + (gint) j - (gint) r * dx;
          /* refl () within r of the border (the image is wider) */
          gint xs = tx < 0 ? -tx : tx >= rw ? 2 * (rw - 1) - tx : tx;
          /* the column's place among 0, 1, w - 2, w - 1 */
          guint col = side ? 2 + (guint) (xs / (gint) r - ((gint) ctx->w -
                  2)) : (guint) (xs / (gint) r);

          bs->tap_row[side][i * r + j][c] = (guint8) (1 - dy);
          bs->tap_cell[side][i * r + j][c] = (guint16) (col * bs->bs +
              (ECLUT_LUT_SLOT (r, c) * r + i) * cw + (guint) xs % r);
        }
}

/* The sums of LR row @y's four outer pixels, computed on first use. */
static const gint16 *
border_row (const EclutLumaCtx * ctx, BorderSums * bs, guint y)
{
  const guint w = ctx->w, slot = y % 3;
  const guint cols[4] = { 0, 1, w - 2, w - 1 };
  const guint8 *row, *below, *above;
  guint k;

  if (bs->row[slot] == (gint) y)
    return bs->sum[slot];

  row = ctx->src + (gssize) y *ctx->src_stride;
  below = y + 1 < ctx->h ? row + ctx->src_stride : row;
  above = y > 0 ? row - ctx->src_stride : row;
  for (k = 0; k < 4; k++) {
    const guint8 *ring[ECLUT_PF_RING][4];
    const guint8 *const *b = ring[cols[k] % ECLUT_PF_RING];

    eclut_pixel_blocks (ctx, row, below, above, cols[k], ctx->r, ring,
        FALSE);
    if (ctx->r == 2)
      eclut_sum4 (bs->sum[slot] + k * bs->bs, b[0], b[1], b[2], b[3],
          ECLUT_LUT_BLOCK_STRIDE (2));
    else
      eclut_sum4 (bs->sum[slot] + k * bs->bs, b[0], b[1], b[2], b[3],
          ECLUT_LUT_BLOCK_STRIDE (3));
  }
  bs->row[slot] = (gint) y;

  /* The blocks of the next row, which the edge path never reads otherwise
   * (they would miss every cache), need the pixels of the row after it:
   * those were asked for with this row's (a pixel read would stall here,
   * the edge path reading far behind), those of the row after that now. */
  if (y + 3 < ctx->h) {
    const guint8 *far = row + 3 * (gssize) ctx->src_stride;

    ECLUT_PREFETCH (far);
    ECLUT_PREFETCH (far + w - 2);
  }
  if (y + 1 < ctx->h) {
    const guint8 *ring[ECLUT_PF_RING][4];

    row = below;
    below = y + 2 < ctx->h ? row + ctx->src_stride : row;
    above = row - ctx->src_stride;
    for (k = 0; k < 4; k++)
      eclut_pixel_blocks (ctx, row, below, above, cols[k], ctx->r, ring,
          TRUE);
  }
  return bs->sum[slot];
}

/* HR blocks (Y, 0) and (Y, w - 1), 1 <= Y <= h - 2, into the HR rows r Y +
 * i whose @out[i] is not NULL. */
static void
border_blocks (const EclutLumaCtx * ctx, BorderSums * bs, guint Y,
    guint8 * const out[4])
{
  const guint r = ctx->r;
  const gint bias = ctx->lut->rescale_bias;
  const guint shift = ctx->lut->rescale_shift;
  const gint16 *rows[3];
  guint side, q, c, k;

  for (k = 0; k < 3; k++)
    rows[k] = border_row (ctx, bs, Y - 1 + k);
  for (side = 0; side < 2; side++)
    for (q = 0; q < r * r; q++) {
      const guint8 *tr = bs->tap_row[side][q];
      const guint16 *tc = bs->tap_cell[side][q];
      guint8 *o = out[q / r];
      gint v = 0;

      if (o == NULL)
        continue;
      for (c = 0; c < 9; c++)
        v += rows[tr[c]][tc[c]];
      if (ctx->plan->samples != ECLUT_SAMPLES_U8)
        eclut_luma10_store1 (ctx, o, Y * r + q / r, (side ? r * (ctx->w -
                    1) : 0) + q % r, v - ECLUT_LUT_SUM_BIAS);
      else
        o[(side ? r * (ctx->w - 1) : 0) + q % r] = eclut_rescale1 (v, bias,
            shift);
    }
}

/* Padded copy of LR row @y in one of three slots (ECLUT_ROW_PAD edge pixels on
 * each side), reused while it holds that row. */
static const guint8 *
edge_padded_row (const EclutLumaCtx * ctx, guint8 * const slot[3],
    gint key[3], guint y)
{
  guint k = y % 3;

  if (key[k] != (gint) y) {
    eclut_pad_row (slot[k], ctx->src + (gssize) y * ctx->src_stride, ctx->w);
    key[k] = (gint) y;
  }
  return slot[k];
}

/* HR rows [y0, y1) by the border rows' path (which writes and tells them
 * as every path does) */
static void
edge_border_rows (EclutLumaCtx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint y0, guint y1)
{
  if (y0 < y1)
    ctx->plan->edge_border_rows (ctx, scratch, dst, dst_stride, y0, y1);
}

/* HR rows [out_y0, out_y1) with the edge patches, w and h >= 3. */
void
eclut_edge_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1)
{
  const EclutLumaPlan *plan = ctx->plan;
  const guint w = ctx->w, h = ctx->h, r = ctx->r, rh = r * h;
  const guint lo = MAX (out_y0, r), hi = MIN (out_y1, rh - r);
  const gsize as = plan->edge_acc_cells;
  gint16 *acc[EDGE_RING];
  guint8 *padded[3];
  gint key[3] = { -1, -1, -1 };
  BorderSums bsum;
  gint t, Ys, Ye, k, n;

  /* the border rows use the scratch in their own way, before the
   * accumulators (the top rows) or after them (the bottom ones) */
  edge_border_rows (ctx, scratch, dst, dst_stride, out_y0, MIN (out_y1, r));
  if (lo >= hi)
    goto bottom;

  g_assert (eclut_edge_scratch_size (r, w) <= plan->scratch_size);
  for (k = 0; k < EDGE_RING; k++)
    acc[k] = scratch + k * as;
  for (k = 0; k < 3; k++)
    padded[k] = (guint8 *) (scratch + EDGE_RING * as) +
        k * eclut_padded_row_size (w) + ECLUT_ROW_PAD;
  memset (scratch, 0, EDGE_RING * as * sizeof (gint16));
  border_init (ctx, &bsum);

  /* Output block row Y takes the vertical edges of LR rows Y - 2 .. Y + 1
   * (row -1: the edge between the replicated row 0 and row 0) and the
   * horizontal edges of rows Y - 1 .. Y + 1.  The edges are added two LR
   * rows t, t + 1 at a time (one at the end if the count is odd): block
   * rows t + 2 and t + 3 start there (their ring slots are cleared by
   * eclut_edge_finish_row_avx2 (), or here if they held rows above Ys,
   * which are not finished), and block rows t - 1 and t are complete after
   * them. */
  Ys = (gint) (lo / r);
  Ye = (gint) ((hi - 1) / r);
  for (t = Ys - 2; t <= Ye + 1; t += n) {
    gint16 *rows[5];
    const guint8 *src[3];

    n = t + 1 <= Ye + 1 ? 2 : 1;
    for (k = 0; k < 3 + n; k++)
      rows[k] = acc[(guint) (t - 1 + k + EDGE_RING) % EDGE_RING];
    for (k = 3; k < 3 + n; k++)
      if (t - 1 + k - EDGE_RING < Ys)
        memset (rows[k], 0, as * sizeof (gint16));
    /* rows t .. t + n, clamped (the replicated border: row -1 is row 0
     * again, in the same slot) */
    for (k = 0; k <= n; k++)
      src[k] = edge_padded_row (ctx, padded, key, (guint) CLAMP (t + k, 0,
              (gint) h - 1));
    /* the source row that the next step copies in */
    plan->edge_add_rows (plan->edge_tables, src, (guint) n, w, rows,
        t + n + 1 < (gint) h ? ctx->src + (gssize) (t + n + 1) *
        ctx->src_stride : NULL);

    for (k = 0; k < n; k++) {
      const gint Y = t - 1 + k;
      guint8 *out[4] = { NULL, NULL, NULL, NULL };
      guint i;

      if (Y < Ys)
        continue;
      for (i = 0; i < r; i++)
        out[i] = (guint) Y *r + i >= lo && (guint) Y *r + i < hi ?
          eclut_luma_out_row (ctx, dst, dst_stride, (guint) Y * r + i) : NULL;
      if (plan->samples != ECLUT_SAMPLES_U8)
        eclut_luma10_edge_finish_row (ctx, rows[k], (guint) Y, out);
      else
        plan->edge_finish_row (ctx->lut, plan->edge_tables, rows[k], w, out);
      border_blocks (ctx, &bsum, (guint) Y, out);
      eclut_luma_rows_done (ctx, MIN (((guint) Y + 1) * r, hi));
    }
  }

bottom:
  edge_border_rows (ctx, scratch, dst, dst_stride, MAX (out_y0, rh - r),
      out_y1);
}
#endif
