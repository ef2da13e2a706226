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
 * turns, so the rotated frame's padding is this frame's).
 *
 * So for one rotation and one source row offset (-st, 0, +st) three
 * channels read the same pair, and add it at the column offsets -st, 0
 * and +st.  The table is re-laid once (eclut_refine_new) so that these
 * three channels are consecutive bytes of the pair's entry, for each of
 * the twelve (rotation, row offset) cases: one read per pair and case
 * instead of three.  Per output row, a gather kernel reads the entries
 * of one case's pair row into three byte rows (one per channel), and an
 * add kernel adds them at their column offsets into the int16 sum
 * (|S| <= 36 * 128).  The pair rows of a source row (4 rotations, padded
 * with st reflected columns) are built once into a ring of 5 rows: the
 * rows one output row reads, y - st .. y + st reflected, lie within 5
 * consecutive ones, so row % 5 never puts two of them in one slot. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-refine-private.h"
#include "eclut-luma-private.h"   /* eclut_refl () */

#define N_ROT 4
#define N_ROW_OFFSETS 3         /* -st, 0, +st */
#define RING 5                  /* 2 * ECLUT_REFINE_MAX_STEP + 1 */
#define BLOCK ECLUT_REFINE_BLOCK

G_STATIC_ASSERT (RING == 2 * ECLUT_REFINE_MAX_STEP + 1);
G_STATIC_ASSERT (ECLUT_REFINE_MAX_STEP < BLOCK);

/* The channel order of a re-laid entry: every row {3i, 3i + 1, 3i + 2}
 * and every column {i, i + 3, i + 6} of the 3 x 3 channels is a run of
 * three bytes (the border of the square walked round, then the middle
 * row and column across the centre). */
static const guint8 entry_order[14] =
    { 8, 7, 6, 3, 0, 1, 2, 5, 8, 3, 5, 4, 1, 7 };

/* ---- The plain C kernels ---------------------------------------------- */

static void
refine_gather_c (const guint8 * table, const guint16 * pairs, guint n,
    gint8 * p0, gint8 * p1, gint8 * p2)
{
  guint i;

  for (i = 0; i < n; i++) {
    const guint8 *e = table + (gsize) pairs[i] * ECLUT_REFINE_ENTRY_BYTES;

    p0[i] = (gint8) e[0];
    p1[i] = (gint8) e[1];
    p2[i] = (gint8) e[2];
  }
}

static void
refine_add_c (gint16 * sum, const gint8 * a, const gint8 * b,
    const gint8 * c, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    sum[i] = (gint16) (sum[i] + a[i] + b[i] + c[i]);
}

void
eclut_refine_finish_c (const EclutRefine * stage, const gint16 * sum,
    const guint8 * in, guint8 * out, guint w)
{
  const gint bias = stage->bias, shift = (gint) stage->shift;
  guint x;

  for (x = 0; x < w; x++) {
    /* arithmetic shift of a negative sum floors, as the spec's >> */
    gint v = (sum[x] + bias) >> shift;

    if (stage->residual)
      v += in[x];
    out[x] = (guint8) CLAMP (v, 0, 255);
  }
}

/* ---- The stage -------------------------------------------------------- */

EclutRefine *
eclut_refine_new_simd (const gint8 * table, guint expand_step,
    guint rescale_shift, gint rescale_bias, gboolean residual,
    EclutSimdLevel level)
{
  /* source displacement per rotation of the rotated frame's (ddy, ddx) */
  static const gint rot_y[N_ROT][2] = { {1, 0}, {0, 1}, {-1, 0}, {0, -1} };
  static const gint rot_x[N_ROT][2] =
      { {0, 1}, {-1, 0}, {0, -1}, {1, 0} };
  EclutRefine *stage;
  gint chan[N_ROT][3][3];       /* the channel of (k, oy + 1, ox + 1) */
  guint k, m, j, c, p;

  if (table == NULL || expand_step < 1 || expand_step > ECLUT_REFINE_MAX_STEP
      || rescale_shift > 8 || rescale_bias < 0
      || (rescale_bias >= (1 << rescale_shift) && rescale_bias != 0))
    return NULL;

  stage = g_new0 (EclutRefine, 1);
  stage->step = expand_step;
  stage->shift = rescale_shift;
  stage->bias = rescale_bias;
  stage->residual = residual;
  stage->simd = MIN (level, eclut_simd_level ());

  for (k = 0; k < N_ROT; k++)
    for (c = 0; c < ECLUT_REFINE_ENTRIES; c++) {
      /* the channel's direction in the rotated frame, its source
       * displacement there, and that displacement here */
      gint ddy = -((gint) c / 3 - 1), ddx = -((gint) c % 3 - 1);
      gint oy = rot_y[k][0] * ddy + rot_y[k][1] * ddx;
      gint ox = rot_x[k][0] * ddy + rot_x[k][1] * ddx;

      chan[k][oy + 1][ox + 1] = (gint) c;
    }
  for (k = 0; k < N_ROT; k++)
    for (m = 0; m < N_ROW_OFFSETS; m++) {
      guint off;

      /* the run of entry_order holding this case's three channels */
      for (off = 0; off + 3 <= G_N_ELEMENTS (entry_order); off++) {
        guint found = 0;

        for (j = 0; j < 3; j++)
          for (c = 0; c < 3; c++)
            found += entry_order[off + j] == chan[k][m][c];
        if (found == 3)
          break;
      }
      g_assert (off + 3 <= G_N_ELEMENTS (entry_order));
      stage->off[k][m] = (guint8) off;
      for (j = 0; j < 3; j++)
        for (c = 0; c < 3; c++)
          if (entry_order[off + j] == chan[k][m][c])
            stage->col[k][m][j] = (gint8) ((gint) c - 1);
    }

  stage->table_mem = g_malloc0 ((gsize) 65536 * ECLUT_REFINE_ENTRY_BYTES
      + 63);
  stage->table = (guint8 *) (((guintptr) stage->table_mem + 63)
      & ~(guintptr) 63);
  for (p = 0; p < 65536; p++)
    for (j = 0; j < G_N_ELEMENTS (entry_order); j++)
      stage->table[(gsize) p * ECLUT_REFINE_ENTRY_BYTES + j] =
          (guint8) table[(gsize) p * ECLUT_REFINE_ENTRIES + entry_order[j]];

  stage->gather = refine_gather_c;
  stage->add = refine_add_c;
  stage->finish = eclut_refine_finish_c;
#ifdef ECLUT_HAVE_SSE2
  if (stage->simd >= ECLUT_SIMD_SSE2) {
    stage->gather = eclut_refine_gather_sse2;
    stage->add = eclut_refine_add_sse2;
    stage->finish = eclut_refine_finish_sse2;
  }
#endif
#ifdef ECLUT_HAVE_AVX2
  if (stage->simd >= ECLUT_SIMD_AVX2) {
    stage->gather = eclut_refine_gather_avx2;
    stage->add = eclut_refine_add_avx2;
    stage->finish = eclut_refine_finish_avx2;
  }
#endif
  return stage;
}

EclutRefine *
eclut_refine_new (const gint8 * table, guint expand_step, guint rescale_shift,
    gint rescale_bias, gboolean residual)
{
  return eclut_refine_new_simd (table, expand_step, rescale_shift,
      rescale_bias, residual, eclut_simd_level ());
}

void
eclut_refine_free (EclutRefine * stage)
{
  if (stage == NULL)
    return;
  g_free (stage->table_mem);
  g_free (stage);
}

/* ---- The scratch ------------------------------------------------------ */

/* Where each part of the scratch is, for planes @width wide (byte offsets,
 * multiples of 64). */
typedef struct
{
  gsize body;                   /* pixels rounded up to BLOCK */
  gsize gathered;               /* entries a gather reads per row */
  gsize pair_len;               /* uint16 cells per pair row */
  gsize ring, planes, sum, hrows, total;
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
  l.gathered = l.body + BLOCK;
  /* a gather starts at column -st (cell MAX_STEP - st) */
  l.pair_len = ECLUT_REFINE_MAX_STEP + l.gathered;
  l.ring = 64;                  /* after the slot tags */
  l.planes = l.ring + align64 ((gsize) RING * N_ROT * l.pair_len * 2);
  l.sum = l.planes + 3 * align64 (l.gathered);
  l.hrows = l.sum + align64 (l.body * 2);
  l.total = l.hrows + 3 * align64 (width);
  return l;
}

gsize
eclut_refine_scratch_size (guint width)
{
  return refine_layout (width).total;
}

/* ---- The rows --------------------------------------------------------- */

/* The pair indices a * 256 + b of the four rotations for a source row
 * @row (8 bits, with the rows @below and @above it, replicated at the
 * plane's edges), at columns -st .. @w - 1 + st (reflected), into
 * @out[k] (which point at column 0). */
static void
refine_pair_rows (const guint8 * row, const guint8 * below,
    const guint8 * above, guint w, guint st, guint16 * const out[N_ROT])
{
  guint x, j, k;

  for (x = 0; x < w; x++) {
    guint a = (guint) row[x] << 8;

    out[0][x] = (guint16) (a | below[x]);
    out[2][x] = (guint16) (a | above[x]);
    out[1][x] = (guint16) (a | row[x > 0 ? x - 1 : 0]);
    out[3][x] = (guint16) (a | row[x + 1 < w ? x + 1 : w - 1]);
  }
  for (k = 0; k < N_ROT; k++)
    for (j = 1; j <= st; j++) {
      out[k][-(gint) j] = out[k][eclut_refl (-(gint64) j, w)];
      out[k][w - 1 + j] = out[k][eclut_refl ((gint64) w - 1 + j, w)];
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

/* The 8 bits H = V >> 2 of the 10-bit row @row, into @h. */
static void
refine_top8 (const guint8 * row, guint w, EclutSamples samples, guint8 * h)
{
  guint x;

  for (x = 0; x < w; x++)
    h[x] = (guint8) (refine_read10 (row, x, samples) >> 2);
}

/* The 10-bit output row: the stage's correction keeps two more bits. */
static void
refine_finish10 (const EclutRefine * stage, const gint16 * sum,
    const guint8 * in, guint8 * out, guint w, EclutSamples samples)
{
  const gint bias = stage->bias, shift = (gint) stage->shift;
  guint x;

  for (x = 0; x < w; x++) {
    /* 4 (S + b) fits int: |S| <= 36 * 128, b < 256 */
    gint v = (4 * (sum[x] + bias)) >> shift;

    if (stage->residual)
      v += (gint) refine_read10 (in, x, samples);
    v = CLAMP (v, 0, 1023);
    if (samples == ECLUT_SAMPLES_U10_MSB)
      v <<= 6;
    out[2 * (gsize) x] = (guint8) (v & 0xff);
    out[2 * (gsize) x + 1] = (guint8) (v >> 8);
  }
}

void
eclut_refine_rows_samples (const EclutRefine * stage, EclutSamples samples,
    const guint8 * src, gint src_stride, guint width, guint height,
    guint8 * dst, gint dst_stride, guint y0, guint y1, gpointer scratch)
{
  const RefineLayout l = refine_layout (width);
  const guint st = stage ? stage->step : 1;
  guint8 *base = scratch;
  gint32 *tags = scratch;
  guint16 *ring = (guint16 *) (base + l.ring);
  gint8 *planes[3];
  gint16 *sum = (gint16 *) (base + l.sum);
  guint8 *hrows[3];
  guint y, i;

  g_return_if_fail (stage != NULL && src != NULL && dst != NULL
      && scratch != NULL);
  g_return_if_fail (samples <= ECLUT_SAMPLES_U10_MSB);
  g_return_if_fail (width > 0 && height > 0 && y0 <= y1 && y1 <= height);

  for (i = 0; i < 3; i++) {
    planes[i] = (gint8 *) (base + l.planes + i * align64 (l.gathered));
    hrows[i] = base + l.hrows + i * align64 (width);
  }
  for (i = 0; i < RING; i++)
    tags[i] = -1;
  /* the cells past a pair row's reflected columns, which the kernels read
   * in whole blocks, index entry 0 */
  memset (ring, 0, (gsize) RING * N_ROT * l.pair_len * 2);

  for (y = y0; y < y1; y++) {
    const guint16 *rows[N_ROW_OFFSETS][N_ROT];
    guint k, m;

    for (m = 0; m < N_ROW_OFFSETS; m++) {
      guint sy = eclut_refl ((gint64) y + ((gint) m - 1) * (gint) st, height);
      guint slot = sy % RING;
      guint16 *slot_rows = ring + (gsize) slot * N_ROT * l.pair_len;

      if (tags[slot] != (gint32) sy) {
        const guint8 *r[3];     /* the row, below it, above it */
        guint16 *out[N_ROT];

        r[0] = src + (gsize) sy * src_stride;
        r[1] = src + (gsize) MIN (sy + 1, height - 1) * src_stride;
        r[2] = src + (gsize) (sy > 0 ? sy - 1 : 0) * src_stride;
        if (samples != ECLUT_SAMPLES_U8) {
          for (i = 0; i < 3; i++) {
            refine_top8 (r[i], width, samples, hrows[i]);
            r[i] = hrows[i];
          }
        }
        for (k = 0; k < N_ROT; k++)
          out[k] = slot_rows + k * l.pair_len + ECLUT_REFINE_MAX_STEP;
        refine_pair_rows (r[0], r[1], r[2], width, st, out);
        tags[slot] = (gint32) sy;
      }
      for (k = 0; k < N_ROT; k++)
        rows[m][k] = slot_rows + k * l.pair_len + ECLUT_REFINE_MAX_STEP;
    }

    memset (sum, 0, l.body * sizeof (gint16));
    for (k = 0; k < N_ROT; k++) {
      for (m = 0; m < N_ROW_OFFSETS; m++) {
        const gint8 *col[3];

        /* plane cell i holds column i - st */
        stage->gather (stage->table + stage->off[k][m], rows[m][k] - st,
            (guint) l.gathered, planes[0], planes[1], planes[2]);
        for (i = 0; i < 3; i++)
          col[i] = planes[i] + st + stage->col[k][m][i] * (gint) st;
        stage->add (sum, col[0], col[1], col[2], (guint) l.body);
      }
    }

    if (samples == ECLUT_SAMPLES_U8)
      stage->finish (stage, sum, src + (gsize) y * src_stride,
          dst + (gsize) y * dst_stride, width);
    else
      refine_finish10 (stage, sum, src + (gsize) y * src_stride,
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
