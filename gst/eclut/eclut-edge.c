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

/* The x2 edge-stencil kernels (see eclut-edge.h for the method). */

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
 * 256 blocks apart and miss the caches for every pair (the build took
 * 50-90 ms of every element start at x2; tiled, both stay cached). */
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

  g_free (et->mem);
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
  et->mem = g_malloc0 ((gsize) 2 * 65536 * bytes + 63);
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

#ifdef ECLUT_HAVE_AVX2

/* ---- The kernels ------------------------------------------------------ */

/* Pixels per batch of patch pointers. */
#define BATCH 64

#define LOAD(p) _mm256_loadu_si256 ((const __m256i *) (p))
#define STORE(p, v) _mm256_storeu_si256 ((__m256i *) (p), (v))

/* The patch pointers of pixels x0 .. x0 + n - 1, 8 at a time (reading up
 * to 7 pixels past the row, into its padding). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
patch_ptrs (const guint8 ** pv, const guint8 ** ph, const guint8 * tv,
    const guint8 * th, guint bytes, const guint8 * row, const guint8 * next,
    guint x0, guint n)
{
  const __m256i sz = _mm256_set1_epi32 ((gint) bytes);
  guint i;

#define LOAD8(p) _mm256_cvtepu8_epi32 (_mm_loadl_epi64 ((const __m128i *) (p)))
  for (i = 0; i < n; i += 8) {
    __m256i a = _mm256_slli_epi32 (LOAD8 (row + x0 + i), 8);
    __m256i ov = _mm256_mullo_epi32 (_mm256_or_si256 (a,
            LOAD8 (next + x0 + i)), sz);
    __m256i oh = _mm256_mullo_epi32 (_mm256_or_si256 (a,
            LOAD8 (row + x0 + i + 1)), sz);

    eclut_store_ptrs8_avx2 (pv + i, tv, ov);
    eclut_store_ptrs8_avx2 (ph + i, th, oh);
  }
#undef LOAD8
}

/* The compact layout is read in two 32-byte loads per patch and widened
 * in-lane (vpunpck*bw): the byte loads are what bounds this loop, and a
 * 16-byte widening load per row would take 4 or 5 of them. */
#define ALOAD(p) _mm256_load_si256 ((const __m256i *) (p))

/* The three rows of a horizontal patch as 4-block vectors. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
h_rows (const guint8 * h, const gboolean compact, __m256i r[3])
{
  if (compact) {
    const __m256i z = _mm256_setzero_si256 ();
    const __m256i p0 = ALOAD (h), p1 = ALOAD (h + 32);

    r[0] = _mm256_unpacklo_epi8 (p0, z);
    r[2] = _mm256_unpackhi_epi8 (p0, z);
    /* row 1 takes the high bytes of its wide cells from slot 3 */
    r[1] = _mm256_unpacklo_epi8 (p1, _mm256_srli_si256 (p1, 8));
  } else {
    r[0] = LOAD (h);
    r[1] = LOAD (h + 32);
    r[2] = LOAD (h + 64);
  }
}

/* The four rows of a vertical patch as 4-block vectors (block 3 zero). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
v_rows (const guint8 * v, const gboolean compact, __m256i r[4])
{
  const __m256i z = _mm256_setzero_si256 ();

  if (compact) {
    const __m256i p0 = ALOAD (v), p1 = ALOAD (v + 32);
    /* the high bytes of the wide cells (block 3 of slots 2 and 3) moved
     * under block 1 of slots 0 and 1, zero elsewhere */
    const __m256i hi = _mm256_permute2x128_si256 (_mm256_blend_epi32 (z,
            p1, 0xA0), z, 0x21);

    r[1] = _mm256_unpacklo_epi8 (p0, hi);
    r[2] = _mm256_unpackhi_epi8 (p0, hi);
    r[0] = _mm256_blend_epi32 (_mm256_unpacklo_epi8 (p1, z), z, 0xC0);
    r[3] = _mm256_blend_epi32 (_mm256_unpackhi_epi8 (p1, z), z, 0xC0);
  } else {
    /* row 3 is made of the spare blocks of rows 0 .. 2 */
    const __m256i v0 = LOAD (v), v1 = LOAD (v + 32), v2 = LOAD (v + 64);

    r[3] = _mm256_permute2x128_si256 (_mm256_unpackhi_epi64 (v0, v1),
        _mm256_unpackhi_epi64 (v2, z), 0x31);
    r[0] = _mm256_blend_epi32 (v0, z, 0xC0);
    r[1] = _mm256_blend_epi32 (v1, z, 0xC0);
    r[2] = _mm256_blend_epi32 (v2, z, 0xC0);
  }
}

#undef ALOAD

/* The patches of one pixel of LR row t (and one of row t + 1 below it, if
 * @two) into the rows at cell @o (block j - 1) of @acc (block rows t - 1
 * .. t + 2, or t + 3).  Rows that two patches (or two pixels) share are
 * summed in registers first, so that each row takes one read-modify-write:
 * 5 for two pixels instead of 8. */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add_pixel (gint16 * const acc[5], gsize o, const guint8 * const p[4],
    const gboolean compact, const gboolean two)
{
  __m256i s[4], u[4], hr[3];

  /* written out, not as loops: GCC kept those and their arrays in
   * memory */
  v_rows (p[0], compact, s);
  h_rows (p[1], compact, hr);
  s[0] = _mm256_add_epi16 (s[0], hr[0]);
  s[1] = _mm256_add_epi16 (s[1], hr[1]);
  s[2] = _mm256_add_epi16 (s[2], hr[2]);
  STORE (acc[0] + o, _mm256_add_epi16 (LOAD (acc[0] + o), s[0]));
  if (two) {
    v_rows (p[2], compact, u);
    h_rows (p[3], compact, hr);
    s[1] = _mm256_add_epi16 (s[1], _mm256_add_epi16 (u[0], hr[0]));
    s[2] = _mm256_add_epi16 (s[2], _mm256_add_epi16 (u[1], hr[1]));
    s[3] = _mm256_add_epi16 (s[3], _mm256_add_epi16 (u[2], hr[2]));
    STORE (acc[4] + o, _mm256_add_epi16 (LOAD (acc[4] + o), u[3]));
  }
  STORE (acc[1] + o, _mm256_add_epi16 (LOAD (acc[1] + o), s[1]));
  STORE (acc[2] + o, _mm256_add_epi16 (LOAD (acc[2] + o), s[2]));
  STORE (acc[3] + o, _mm256_add_epi16 (LOAD (acc[3] + o), s[3]));
}

/* The patch pointers of a batch: vertical and horizontal of row t, then
 * of row t + 1, each for the batch's pixels. */
typedef struct
{
  const guint8 *p[4][BATCH];
} Ptrs;

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
prefetch_pixel (const Ptrs * pp, guint j, const gboolean compact,
    const gboolean two)
{
  /* compact patches are one cache line; 96-byte ones two (64-byte
   * aligned or not, the lines of their first and last bytes) */
#define PF(k) do { ECLUT_PREFETCH (pp->p[k][j]); \
    if (!compact) ECLUT_PREFETCH (pp->p[k][j] + 95); } while (0)
  PF (0);
  PF (1);
  if (two) {
    PF (2);
    PF (3);
  }
#undef PF
}

/* Pixels x0 .. x0 + n - 1 with the pointers @pp.  Neighbouring pixels'
 * patches overlap by 3 blocks, so adding them in row order would make
 * every read-modify-write wait for the previous pixel's stores (a partial
 * overlap cannot be forwarded); the pixels are taken 4 apart instead (all
 * x = 0 mod 4, then 1, 2, 3), whose patches are disjoint.  With @prefetch
 * the next pixel's patches (one pass later: about 16 pixels ahead in time)
 * are prefetched; with @pf_next, in the last pass, those of the next batch
 * (@np, @nn pixels). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add_batch (gint16 * const acc[5], guint x0, guint n, const Ptrs * pp,
    const Ptrs * np, guint nn, const gboolean compact, const gboolean two,
    const gboolean prefetch, gboolean pf_next)
{
  /* in registers: the stores could alias the caller's array */
  gint16 *const a[5] = { acc[0] + x0 * 4, acc[1] + x0 * 4, acc[2] + x0 * 4,
    acc[3] + x0 * 4, two ? acc[4] + x0 * 4 : NULL
  };
  guint p, j;

#define PIXEL(j) do { \
    const guint8 *const q[4] = { pp->p[0][j], pp->p[1][j], \
      two ? pp->p[2][j] : NULL, two ? pp->p[3][j] : NULL \
    }; \
    add_pixel (a, (gsize) ((j) + 1) * 4, q, compact, two); \
  } while (0)
  /* the last pass apart, so that no test of @pf_next is left in the
   * loops that do not prefetch (the loop is bound by its instructions) */
  for (p = 0; p < 3; p++)
    for (j = p; j < n; j += 4) {
      if (prefetch && j + 1 < n)
        prefetch_pixel (pp, j + 1, compact, two);
      PIXEL (j);
    }
  if (pf_next) {
    for (j = 3; j < n; j += 4) {
      if (j - 3 < nn)
        prefetch_pixel (np, j - 3, compact, two);
      PIXEL (j);
    }
  } else {
    for (j = 3; j < n; j += 4)
      PIXEL (j);
  }
#undef PIXEL
}

/* Prefetching a pixel's patches costs instructions and only pays where
 * they miss the caches: where neighbouring pixels differ a lot (fine
 * detail, noise; a photo's smooth areas read the few patches near the
 * diagonal a = b, which stay cached).  So a batch is prefetched only if
 * the mean over its pixels of |right - x| + |below - x| exceeds this many
 * grey levels.  Measured on the x2 benchmark pipeline (1080p photos
 * panned, one thread): 0 / 8 / 32 / never: 73 / 75 / 70 / 70 fps; in the
 * luma core alone, whose frame stays cached, 32 was best. */
#ifndef EDGE_PREFETCH_MEAN_DIFF
#define EDGE_PREFETCH_MEAN_DIFF 8
#endif

/* The patch pointers of pixels x0 .. x0 + n - 1 of rows t (and t + 1)
 * into @pp, and whether they are worth prefetching (the mean difference
 * over both rows). */
static ECLUT_AVX2 ECLUT_ALWAYS_INLINE gboolean
batch_ptrs (const EclutEdgeTables * et, const guint8 * const src[3],
    guint x0, guint n, Ptrs * pp, const gboolean two)
{
  const guint bytes = et->bytes;
  guint diff;

  patch_ptrs (pp->p[0], pp->p[1], et->v, et->h, bytes, src[0],
      src[1], x0, n);
  diff = eclut_busy_sum_avx2 (src[0] + x0, src[1] + x0, n);
  if (two) {
    patch_ptrs (pp->p[2], pp->p[3], et->v, et->h, bytes, src[1],
        src[2], x0, n);
    diff += eclut_busy_sum_avx2 (src[1] + x0, src[2] + x0, n);
  }
  return diff > EDGE_PREFETCH_MEAN_DIFF * n * (two ? 2 : 1);
}

static ECLUT_AVX2 ECLUT_ALWAYS_INLINE void
add_rows (const EclutEdgeTables * et, const guint8 * const src[3], guint w,
    gint16 * const acc[5], const guint8 * ahead, const gboolean compact,
    const gboolean two)
{
  const guint bytes = et->bytes;
  Ptrs pp[2];
  guint x0, cur = 0, r, k;
  gboolean busy;

  /* the horizontal edges between the left padding and pixel 0 (block -2) */
  for (r = 0; r < (two ? 2u : 1u); r++) {
    __m256i hr[3];

    h_rows (et->h + ECLUT_EDGE_INDEX (src[r][-1], src[r][0]) * bytes,
        compact, hr);
    for (k = 0; k < 3; k++)
      STORE (acc[r + k], _mm256_add_epi16 (LOAD (acc[r + k]), hr[k]));
  }

  busy = batch_ptrs (et, src, 0, MIN (BATCH, w), &pp[0], two);
  for (x0 = 0; x0 < w; x0 += BATCH, cur ^= 1) {
    const guint n = MIN (BATCH, w - x0);
    const guint nn = w - x0 > BATCH ? MIN (BATCH, w - x0 - BATCH) : 0;
    gboolean busy_next = FALSE;

    /* one line per batch: a row of up to 64 batches */
    if (ahead != NULL)
      ECLUT_PREFETCH (ahead + x0);
    if (nn > 0)
      busy_next = batch_ptrs (et, src, x0 + BATCH, nn, &pp[cur ^ 1], two);
    if (busy)
      add_batch (acc, x0, n, &pp[cur], &pp[cur ^ 1], nn, compact, two, TRUE,
          busy_next);
    else
      add_batch (acc, x0, n, &pp[cur], &pp[cur ^ 1], nn, compact, two, FALSE,
          busy_next);
    busy = busy_next;
  }
}

ECLUT_AVX2 void
eclut_edge_add_rows_avx2 (const EclutEdgeTables * et,
    const guint8 * const src[3], guint n_rows, guint w, gint16 * const acc[5],
    const guint8 * ahead)
{
  const gboolean compact = et->bytes == ECLUT_EDGE_COMPACT_BYTES;

  if (n_rows == 2 && compact)
    add_rows (et, src, w, acc, ahead, TRUE, TRUE);
  else if (n_rows == 2)
    add_rows (et, src, w, acc, ahead, FALSE, TRUE);
  else if (compact)
    add_rows (et, src, w, acc, ahead, TRUE, FALSE);
  else
    add_rows (et, src, w, acc, ahead, FALSE, FALSE);
}

ECLUT_AVX2 void
eclut_edge_finish_row_avx2 (const EclutLut * lut, const EclutEdgeTables * et,
    gint16 * acc, guint w, guint8 * out0, guint8 * out1)
{
  const gint b = lut->rescale_bias;
  const gint16 *eb = et->bias;
  const guint shift = lut->rescale_shift;
  /* the rescale bias and the compact layout's, per sub-pixel */
  const __m256i vbias = _mm256_setr_epi16 (b + eb[0], b + eb[1], b + eb[2],
      b + eb[3], b + eb[0], b + eb[1], b + eb[2], b + eb[3], b + eb[0],
      b + eb[1], b + eb[2], b + eb[3], b + eb[0], b + eb[1], b + eb[2],
      b + eb[3]);
  const __m128i vshift = _mm_cvtsi32_si128 ((int) shift);
  const __m256i z = _mm256_setzero_si256 ();
  gint16 *blk = acc + 2 * 4;    /* block 0 */
  guint X, k;

  /* the sums with the biases added back fit int16 (|S| <= 36 * 128), so
   * the wrapping adds are exact: modulo 2^16 the biased cells and their
   * partial sums give the same result */
  for (X = 0; X + 8 <= w; X += 8) {
    __m256i a0 = _mm256_sra_epi16 (_mm256_add_epi16 (LOAD (blk + 4 * X),
            vbias), vshift);
    __m256i a1 = _mm256_sra_epi16 (_mm256_add_epi16 (LOAD (blk + 4 * X + 16),
            vbias), vshift);
    __m256i p = eclut_blocks2_to_rows_avx2 (a0, a1);

    /* cleared while in the cache: the ring slot is reused three rows on */
    STORE (blk + 4 * X, z);
    STORE (blk + 4 * X + 16, z);
    if (out0)
      _mm_storeu_si128 ((__m128i *) (out0 + 2 * X), _mm256_castsi256_si128 (p));
    if (out1)
      _mm_storeu_si128 ((__m128i *) (out1 + 2 * X),
          _mm256_extracti128_si256 (p, 1));
  }
  for (; X < w; X++)
    for (k = 0; k < 4; k++) {
      /* int16 wrap, as the vectors (the true sum fits) */
      gint v = (gint16) (blk[4 * X + k] + b + eb[k]) >> shift;
      guint8 *out = k < 2 ? out0 : out1;

      if (out)
        out[2 * X + k % 2] = (guint8) CLAMP (v, 0, 255);
      blk[4 * X + k] = 0;
    }
  /* and the margins: blocks -2, -1, w, w + 1 */
  memset (acc, 0, 8 * sizeof (gint16));
  memset (blk + 4 * w, 0, 8 * sizeof (gint16));
}

#endif /* ECLUT_HAVE_AVX2 */

/* ---- The path ---------------------------------------------------------- */

/* Accumulator rows in the ring (a power of two: rows t - 1 .. t + 3 are in
 * use at once). */
#define EDGE_RING 8

gsize
eclut_edge_scratch_size (guint in_width)
{
  return (EDGE_RING * ECLUT_EDGE_ACC_CELLS (in_width)) * sizeof (gint16) +
      3 * eclut_padded_row_size (in_width);
}

#ifdef ECLUT_HAVE_AVX2
/* ---- The edge path: x2, expand step 2, AVX2 (eclut-edge.h) -------------
 *
 * The edge patches give every HR block exactly where no reflect padding is
 * involved: block rows 1 .. h - 2 and columns 1 .. w - 2.  The border rows
 * take the block path, the border columns border_blocks(). */

/* The border columns.  HR block (Y, X) of an interior block row is
 *   sum over c = (dy, dx) of cell (i, xs % 2) of channel c of the rotation
 *   sum of LR pixel (Y - dy, xs / 2), xs = refl (2 X + j - 2 dx)
 * (the definition, with the reflect padding of the HR border), and for X =
 * 0 or w - 1 every xs / 2 is one of the two outer columns.  So the
 * rotation sums of the pixels of columns 0, 1, w - 2 and w - 1 are kept
 * for three LR rows, and each cell of a border block is the sum of nine of
 * their cells, whose places ("taps") depend only on the side. */
#define BORDER_CELLS ECLUT_LUT_BLOCK_STRIDE (2)

typedef struct
{
  gint row[3];                  /* LR row held by each slot, -1: none */
  /* slot, column (0, 1, w - 2, w - 1), cell */
  gint16 sum[3][4 * BORDER_CELLS];
  /* side (X = 0, w - 1), cell i * 2 + j, channel: the row (Y - 1 + ny)
   * and the cell in that row's sum[] */
  guint8 tap_row[2][4][9];
  guint8 tap_cell[2][4][9];
} BorderSums;

static void
border_init (const EclutLumaCtx * ctx, BorderSums * bs)
{
  const gint rw = 2 * (gint) ctx->w;
  guint side, i, j, c;

  bs->row[0] = bs->row[1] = bs->row[2] = -1;
  for (side = 0; side < 2; side++)
    for (i = 0; i < 2; i++)
      for (j = 0; j < 2; j++)
        for (c = 0; c < 9; c++) {
          gint dy = (gint) (c / 3) - 1, dx = (gint) (c % 3) - 1;
          gint tx = (side ? rw - 2 : 0) + (gint) j - 2 * dx;
          /* eclut_refl () within 2 of the border (the image is wider) */
          gint xs = tx < 0 ? -tx : tx >= rw ? 2 * (rw - 1) - tx : tx;
          /* the column's place among 0, 1, w - 2, w - 1 */
          guint col = side ? 2 + (guint) (xs / 2 - (rw / 2 - 2)) :
              (guint) (xs / 2);

          bs->tap_row[side][i * 2 + j][c] = (guint8) (1 - dy);
          bs->tap_cell[side][i * 2 + j][c] = (guint8) (col * BORDER_CELLS +
              (ECLUT_LUT_SLOT (2, c) * 2 + i) * 2 + (guint) xs % 2);
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

    eclut_pixel_blocks (ctx, row, below, above, cols[k], 2, ring, FALSE);
    eclut_sum4 (bs->sum[slot] + k * BORDER_CELLS, b[0], b[1], b[2], b[3],
        BORDER_CELLS);
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
      eclut_pixel_blocks (ctx, row, below, above, cols[k], 2, ring, TRUE);
  }
  return bs->sum[slot];
}

/* HR blocks (Y, 0) and (Y, w - 1), 1 <= Y <= h - 2, into the HR rows 2Y + i
 * whose @out[i] is not NULL. */
static void
border_blocks (const EclutLumaCtx * ctx, BorderSums * bs, guint Y,
    guint8 * const out[2])
{
  const gint bias = ctx->lut->rescale_bias;
  const guint shift = ctx->lut->rescale_shift;
  const gint16 *rows[3];
  guint side, q, c, k;

  for (k = 0; k < 3; k++)
    rows[k] = border_row (ctx, bs, Y - 1 + k);
  for (side = 0; side < 2; side++)
    for (q = 0; q < 4; q++) {
      const guint8 *tr = bs->tap_row[side][q], *tc = bs->tap_cell[side][q];
      guint8 *o = out[q / 2];
      gint v = 0;

      if (o == NULL)
        continue;
      for (c = 0; c < 9; c++)
        v += rows[tr[c]][tc[c]];
      o[(side ? 2 * (ctx->w - 1) : 0) + q % 2] = eclut_rescale1 (v, bias,
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

/* HR rows [out_y0, out_y1) with the edge patches, w and h >= 3. */
void
eclut_edge_upscale_rows (EclutLumaCtx * ctx, gint16 * scratch, guint8 * dst,
    gint dst_stride, guint out_y0, guint out_y1)
{
  const guint w = ctx->w, h = ctx->h, rh = 2 * h;
  const guint lo = MAX (out_y0, 2), hi = MIN (out_y1, rh - 2);
  const gsize as = ECLUT_EDGE_ACC_CELLS (w);
  gint16 *acc[EDGE_RING];
  guint8 *padded[3];
  gint key[3] = { -1, -1, -1 };
  BorderSums bsum;
  gint t, Ys, Ye, k, n;

  if (out_y0 < 2)
    eclut_block_upscale_rows (ctx, scratch, dst, dst_stride, out_y0,
        MIN (out_y1, 2));
  if (out_y1 > rh - 2)
    eclut_block_upscale_rows (ctx, scratch, dst, dst_stride, MAX (out_y0,
            rh - 2), out_y1);
  if (lo >= hi)
    return;

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
  Ys = (gint) lo / 2;
  Ye = (gint) (hi - 1) / 2;
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
    eclut_edge_add_rows_avx2 (ctx->plan->edge, src, (guint) n, w, rows,
        t + n + 1 < (gint) h ? ctx->src + (gssize) (t + n + 1) *
        ctx->src_stride : NULL);

    for (k = 0; k < n; k++) {
      const gint Y = t - 1 + k;
      guint8 *out[2];
      guint i;

      if (Y < Ys)
        continue;
      for (i = 0; i < 2; i++)
        out[i] = (guint) Y *2 + i >= lo && (guint) Y *2 + i < hi ?
          dst + (gssize) (Y * 2 + (gint) i) * dst_stride : NULL;
      eclut_edge_finish_row_avx2 (ctx->lut, ctx->plan->edge, rows[k], w,
          out[0], out[1]);
      border_blocks (ctx, &bsum, (guint) Y, out);
    }
  }
}
#endif

