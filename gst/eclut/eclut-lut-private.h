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

/* The in-memory table shared by eclut-lut.c (which builds it) and the
 * luma core (eclut-luma.c, eclut-block.c, eclut-edge.c), which reads it.
 * Not installed, not for the element. */

#ifndef __ECLUT_LUT_PRIVATE_H__
#define __ECLUT_LUT_PRIVATE_H__

#include "eclut-lut.h"

G_BEGIN_DECLS
/* Per-rotation blocks are stored as uint8 with a bias: cell = entry + 128.
 * Half the bytes of int16 (the table is the luma core's working set and
 * cache misses dominate), and unsigned bytes widen with a single unpack.
 * The sum of four cells carries 4 * 128, one HR pixel's nine channels
 * 36 * 128; the luma core removes that with its rescale bias. */
#define ECLUT_LUT_ENTRY_BIAS 128
#define ECLUT_LUT_SUM_BIAS (36 * ECLUT_LUT_ENTRY_BIAS)
/* Cells per (c, i) row chunk of a block: r, except 4 for r = 3 so that
 * every chunk is one aligned 64-bit lane once widened (the luma core stores
 * chunks with 64-bit stores; the 4th cell is overwritten by the next pixel). */
#define ECLUT_LUT_CHUNK(r) ((r) == 3 ? 4 : (r))
/* Bytes per block: the 9 r chunks rounded up to a whole 16-byte vector
 * (48, 112, 144; padding to whole cache lines was no faster,
 * docs/performance.md). */
#define ECLUT_LUT_BLOCK_STRIDE(r) \
    ((9 * (r) * ECLUT_LUT_CHUNK (r) + 15) / 16 * 16)
/* Which expand channel c an x2 block stores in its slot s (and, the
 * mapping being its own inverse, in which slot channel c is): channels 0-3
 * in slots 0-3, then 8, 7, 6, 5, then the centre 4.  A half turn maps
 * channel c to 8 - c, so in this order it swaps slots s and s + 4 (s < 4)
 * and keeps slot 8: the rotation-2 block of a pair is the rotation-0 block
 * with slots 0-3 and 4-7 exchanged and the cells of every slot reversed
 * (likewise rotations 3 and 1), which the AVX2 gather at x2 uses to read
 * two tables instead of four.  x3 and x4 blocks keep the channels in
 * order (slot s = channel s): their gathers do not turn blocks, and a
 * mapping there cost time where the loops are not unrolled. */
#define ECLUT_LUT_SLOT(r, c) ((r) != 2 || (c) < 4 ? (c) : \
    (c) == 4 ? 8u : 12u - (c))
/* Where the block of the pair (a, n) (pixel a, neighbour n) is in rot[k].
 * At x4 the blocks are ordered by the difference n - a, then by a:
 * neighbouring pixels of a photo mostly differ little and change slowly
 * along a row, so the blocks they read are neighbours in memory and share
 * cache lines and pages (in a * 256 + n order they are 256 blocks apart).
 * At x2 and x3 the same order was no faster on photos and slower on noisy
 * pictures (docs/performance.md), so they keep a * 256 + n. */
#define ECLUT_LUT_BLOCK_INDEX(r, a, n) ((r) == 4 ? \
    (gsize) ((((guint) (n) - (guint) (a)) & 255) << 8 | (guint) (a)) : \
    (gsize) ((guint) (a) << 8 | (guint) (n)))
/* The derived layouts (see EclutLut) */
typedef enum
{
  ECLUT_LUT_DERIVED_EDGE,       /* EclutEdgeTables, eclut-edge.h */
  ECLUT_LUT_DERIVED_EDGE3,      /* EclutEdge3Tables, eclut-edge3.h */
  ECLUT_LUT_N_DERIVED
} EclutLutDerived;

struct _EclutLut
{
  gint ref_count;               /* atomic */
  /* the shared-table cache key (eclut_lut_load_file_shared), or NULL */
  gchar *cache_key;

  guint scale;                  /* r */
  guint expand_step;            /* st: 1 or r */
  guint rescale_shift;          /* s */
  gint rescale_bias;            /* b */
  guint n_entries;              /* 9 r^2 */
  guint chunk;                  /* ECLUT_LUT_CHUNK (r) */
  guint block_stride;           /* ECLUT_LUT_BLOCK_STRIDE (r) */

  /* rot[k][ECLUT_LUT_BLOCK_INDEX (r, a, n) * block_stride + q * chunk + j]:
   * the contribution of rotation k of the LR pixel with value a whose
   * rotation-k neighbour (k = 0/1/2/3: below/left/above/right) has value n,
   * already rotated back to the original orientation.  q = s * r + i where
   * slot s holds the expand direction c = ECLUT_LUT_SLOT (r, s), c = (dy+1)*3
   * + (dx+1), and (i, j) is the sub-pixel, both in the original orientation
   * (j < r; cells j >= r of a chunk and the block's tail hold the bias,
   * i.e. 0).
   * So the luma core needs no rotation at all at run time. */
  guint8 *rot[4];
  gpointer rot_mem[4];          /* their allocations */

  /* the refine stages of a v2 file, in the order they run.  Their records
   * are checked when the file loads but a stage is built (its table
   * re-laid, up to 16 MB) only when a plan first asks for it
   * (eclut_lut_get_refine ()), so that quality=fast never pays for it;
   * the records are kept until every stage is built. */
  guint n_refine;
  EclutRefine *refine[ECLUT_LUT_MAX_REFINE];    /* NULL until built */
  guint8 *refine_records;       /* the file's records, or NULL */
  gsize refine_offset[ECLUT_LUT_MAX_REFINE];    /* stage k's record in them */

  /* Layouts that a path of the luma core derives from the table (the x2
   * edge patches, eclut-edge.h), built by that path's code when a plan
   * first needs them (eclut_lut_get_derived ()) and freed with the table */
  GMutex derived_lock;
  gpointer derived[ECLUT_LUT_N_DERIVED];
  GDestroyNotify derived_free[ECLUT_LUT_N_DERIVED];
};

/* Memory for a table, a derived layout or the file's image while it loads
 * (megabytes, written once at start): 2 MB aligned and, where the system
 * has them, in transparent huge pages, so that filling it takes a few page
 * faults instead of thousands (a large part of the start-up,
 * docs/performance.md).  Free with eclut_table_free (), which takes NULL. */
gpointer eclut_table_alloc (gsize size);
void eclut_table_free (gpointer mem);

/* Returns the layout @id of @lut, which @build makes from it (and @free
 * frees with the table) the first time it is asked for; NULL if @build
 * returns NULL.  The table stays immutable for its readers: a layout is
 * built once, under a lock, and never changes.  Thread-safe. */
gconstpointer eclut_lut_get_derived (const EclutLut * lut,
    EclutLutDerived id, gpointer (*build) (const EclutLut * lut),
    GDestroyNotify free);

/* Whether refine stage @k of @lut has been built (for tests). */
gboolean eclut_lut_refine_is_built (const EclutLut * lut, guint k);

G_END_DECLS
#endif /* __ECLUT_LUT_PRIVATE_H__ */
