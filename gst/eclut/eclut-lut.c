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

/* Table loader: docs/lut-format.md, "File layout".  Every field is checked
 * in the order of that table and the first rule broken is reported, so a
 * user sees one precise reason.  Nothing is trusted before it is checked:
 * sizes come from validated fields only and are compared with the real file
 * size before anything big is allocated. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

#include "eclut-crc.h"
#include "eclut-lut-private.h"
#include "eclut-simd.h"

static const guint8 eclut_magic[8] =
    { 0x45, 0x43, 0x4C, 0x55, 0x54, 0x0D, 0x0A, 0x1A };

GQuark
eclut_lut_error_quark (void)
{
  return g_quark_from_static_string ("eclut-lut-error-quark");
}

/* ---- little-endian field readers (no alignment assumptions) ---- */

static guint16
rd16 (const guint8 * p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static guint32
rd32 (const guint8 * p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) |
      ((guint32) p[3] << 24);
}

static guint64
rd64 (const guint8 * p)
{
  return (guint64) rd32 (p) | ((guint64) rd32 (p + 4) << 32);
}

typedef struct
{
  guint scale, expand_step, rescale_shift;
  gint rescale_bias;
  guint64 payload_size;
  guint32 payload_crc;
  guint n_refine;               /* refine stage records after the payload (v2) */
  /* the file's smallest and largest possible sizes (the records' sizes
   * depend on their phases) */
  guint64 min_size, max_size;
} Header;

/* A v2 refine stage record: a 32-byte header, then 65536 * 9 P^2 entries,
 * P its phases (byte 26; 0 in files from before the field means 1) */
#define REFINE_RECORD_HEADER 32
#define REFINE_PAYLOAD(P) ((guint64) 65536 * ECLUT_REFINE_ENTRIES * (P) * (P))

static guint
refine_phases (const guint8 * rec)
{
  return MAX (rec[26], 1);
}

/* Checks the 64 header bytes; @name is already display-safe. */
static gboolean
parse_header (const guint8 * h, const gchar * name, Header * out,
    GError ** error)
{
  guint version, header_size, r, step, shift, etype, i;
  guint32 raw_bias, epp;
  guint64 psize;

#define FAIL(...) G_STMT_START { \
    gchar *why_ = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT, \
        "'%s': %s", name, why_); \
    g_free (why_); \
    return FALSE; \
  } G_STMT_END

  if (memcmp (h, eclut_magic, sizeof (eclut_magic)) != 0)
    FAIL ("bad magic (not an ECLUT table, or mangled by a text-mode "
        "transfer)");
  version = rd16 (h + 8);
  if (version != 1 && version != 2)
    FAIL ("unsupported format version %u (this build reads versions 1 "
        "and 2)", version);
  header_size = rd16 (h + 10);
  if (header_size != ECLUT_LUT_HEADER_SIZE)
    FAIL ("header size %u, expected %u", header_size,
        (guint) ECLUT_LUT_HEADER_SIZE);
  r = h[12];
  if (r < ECLUT_LUT_MIN_SCALE || r > ECLUT_LUT_MAX_SCALE)
    FAIL ("unsupported scale %u (must be 2, 3 or 4)", r);
  step = h[13];
  if (step != 1 && step != r)
    FAIL ("expand step %u, must be 1 or the scale (%u)", step, r);
  shift = h[14];
  if (shift > 8)
    FAIL ("rescale shift %u out of range 0..8", shift);
  etype = h[15];
  if (etype != 1)
    FAIL ("unsupported entry type %u (only 1 = int8 is defined)", etype);
  /* i32 read as u32 and range-checked before any signed conversion */
  raw_bias = rd32 (h + 16);
  if (raw_bias >= (1u << shift)) {
    if (raw_bias & 0x80000000u)
      FAIL ("rescale bias -%u out of range 0..%u",
          (guint) (~raw_bias + 1u), (1u << shift) - 1u);
    FAIL ("rescale bias %u out of range 0..%u", (guint) raw_bias,
        (1u << shift) - 1u);
  }
  epp = rd32 (h + 20);
  if (epp != 9 * r * r)
    FAIL ("entries per pair %u, expected %u for scale %u", (guint) epp,
        9 * r * r, r);
  psize = rd64 (h + 24);
  if (psize != (guint64) 65536 * 9 * r * r)
    FAIL ("payload size %" G_GUINT64_FORMAT ", expected %u for scale %u",
        psize, 65536 * 9 * r * r, r);
  /* v2: byte 36 counts the refine stages; the rest stays reserved */
  out->n_refine = version == 2 ? h[36] : 0;
  if (version == 2 && (out->n_refine < 1
          || out->n_refine > ECLUT_LUT_MAX_REFINE))
    FAIL ("%u refine stages in a version 2 file (must be 1..%u)",
        out->n_refine, (guint) ECLUT_LUT_MAX_REFINE);
  for (i = version == 2 ? 37 : 36; i < 60; i++)
    if (h[i] != 0)
      FAIL ("reserved header byte %u is not zero", i);
  if (eclut_crc32 (h, 60) != rd32 (h + 60))
    FAIL ("header CRC mismatch (file corrupt?)");
#undef FAIL

  out->scale = r;
  out->expand_step = step;
  out->rescale_shift = shift;
  out->rescale_bias = (gint) raw_bias;
  out->payload_size = psize;
  out->payload_crc = rd32 (h + 32);
  out->min_size = ECLUT_LUT_HEADER_SIZE + psize
      + out->n_refine * (REFINE_RECORD_HEADER + REFINE_PAYLOAD (1));
  out->max_size = ECLUT_LUT_HEADER_SIZE + psize
      + out->n_refine * (REFINE_RECORD_HEADER
      + REFINE_PAYLOAD (ECLUT_REFINE_MAX_PHASES));
  return TRUE;
}

/* The size a file with header @h must have, its refine records' sizes read
 * from @data (@size bytes) as far as it holds them: a record header cut
 * short ends the walk, and @exact is then FALSE (the file is shorter than
 * the size returned, which is a lower bound).  FALSE (and @error) if a
 * record's phases are out of range, which leaves its size unknown. */
static gboolean
file_size (const Header * h, const guint8 * data, gsize size,
    const gchar * name, guint64 * out, gboolean * exact, GError ** error)
{
  guint64 off = ECLUT_LUT_HEADER_SIZE + h->payload_size;
  guint k;

  *exact = TRUE;
  for (k = 0; k < h->n_refine; k++) {
    guint P;

    if (off + REFINE_RECORD_HEADER > size) {
      /* at least the rest of the records */
      off += (guint64) (h->n_refine - k) * (REFINE_RECORD_HEADER
          + REFINE_PAYLOAD (1));
      *exact = FALSE;
      break;
    }
    P = refine_phases (data + off);
    if (P > ECLUT_REFINE_MAX_PHASES) {
      g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT,
          "'%s': refine stage %u: phases %u, must be 0..%u", name, k + 1, P,
          (guint) ECLUT_REFINE_MAX_PHASES);
      return FALSE;
    }
    off += REFINE_RECORD_HEADER + REFINE_PAYLOAD (P);
  }
  *out = off;
  return TRUE;
}

/* Checks refine stage record @k (0-based) at @rec (its header and payload,
 * in the image). */
static gboolean
check_refine (const guint8 * rec, guint k, const gchar * name,
    GError ** error)
{
  guint step = rec[1], shift = rec[2], mode = rec[24], pair = rec[25];
  guint phases = refine_phases (rec);
  guint32 raw_bias = rd32 (rec + 4);

#define FAIL(...) G_STMT_START { \
    gchar *why_ = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT, \
        "'%s': refine stage %u: %s", name, k + 1, why_); \
    g_free (why_); \
    return FALSE; \
  } G_STMT_END

  if (rec[0] != 1)
    FAIL ("scale %u, expected 1", rec[0]);
  if (step < 1 || step > ECLUT_REFINE_MAX_STEP)
    FAIL ("expand step %u, must be 1 or 2", step);
  if (shift > 8)
    FAIL ("rescale shift %u out of range 0..8", shift);
  if (rec[3] != 1)
    FAIL ("unsupported entry type %u (only 1 = int8 is defined)", rec[3]);
  if (raw_bias >= (1u << shift))
    FAIL ("rescale bias %u out of range 0..%u", (guint) raw_bias,
        (1u << shift) - 1u);
  if (rd32 (rec + 8) != ECLUT_REFINE_ENTRIES * phases * phases)
    FAIL ("entries per pair %u, expected %u for phases %u",
        (guint) rd32 (rec + 8), ECLUT_REFINE_ENTRIES * phases * phases,
        phases);
  if (rd64 (rec + 12) != REFINE_PAYLOAD (phases))
    FAIL ("payload size %" G_GUINT64_FORMAT ", expected %" G_GUINT64_FORMAT,
        rd64 (rec + 12), REFINE_PAYLOAD (phases));
  if (mode > 1)
    FAIL ("mode %u, must be 0 (plain) or 1 (residual)", mode);
  if (pair > ECLUT_REFINE_PAIR_QUAD)
    FAIL ("pair %u, must be 0 (below), 1 (below and to the right), 2 "
        "(the mean of below and right) or 3 (the 2x2 block)", pair);
  if (rec[27] != 0)
    FAIL ("reserved byte 27 is not zero");
  if (eclut_crc32 (rec, 28) != rd32 (rec + 28))
    FAIL ("header CRC mismatch (file corrupt?)");
  if (eclut_crc32 (rec + REFINE_RECORD_HEADER,
          (gsize) REFINE_PAYLOAD (phases)) != rd32 (rec + 20))
    FAIL ("payload CRC mismatch (file corrupt?)");
#undef FAIL
  return TRUE;
}

/* The stage of the record @rec, which check_refine () accepted. */
static EclutRefine *
build_refine (const guint8 * rec)
{
  EclutRefine *stage = eclut_refine_new ((const gint8 *) rec +
      REFINE_RECORD_HEADER, rec[1], rec[2], (gint) rd32 (rec + 4),
      rec[24] == 1, (EclutRefinePair) rec[25], refine_phases (rec));

  g_assert (stage != NULL);     /* every parameter was checked */
  return stage;
}

/* Sub-pixel and direction mapping of rotation @k (docs/lut-format.md,
 * "Inference"): the block of rotation k is computed on J = rot90(I, k) and
 * rotated back with rot90(., -k).  For the original-orientation sub-pixel
 * (io, jo) and direction (dyo, dxo) this returns the payload index e of the
 * J-orientation entry that lands there.  Derivation (H, W the sizes of I):
 *   k=1: J[y][x] = I[x][W-1-y]:      (i, j) = (r-1-jo, io),
 *                                    (dy, dx) = (-dxo, dyo)
 *   k=2: J[y][x] = I[H-1-y][W-1-x]:  (i, j) = (r-1-io, r-1-jo),
 *                                    (dy, dx) = (-dyo, -dxo)
 *   k=3: J[y][x] = I[H-1-x][y]:      (i, j) = (jo, r-1-io),
 *                                    (dy, dx) = (dxo, -dyo)
 * Reflect padding commutes with the flips involved, so the expand stage can
 * run in the original orientation with the permuted directions. */
static guint
rotated_entry (guint k, guint r, gint dyo, gint dxo, guint io, guint jo)
{
  guint i, j;
  gint dy, dx;

  switch (k) {
    case 0:
      i = io;
      j = jo;
      dy = dyo;
      dx = dxo;
      break;
    case 1:
      i = r - 1 - jo;
      j = io;
      dy = -dxo;
      dx = dyo;
      break;
    case 2:
      i = r - 1 - io;
      j = r - 1 - jo;
      dy = -dyo;
      dx = -dxo;
      break;
    default:
      i = jo;
      j = r - 1 - io;
      dy = dxo;
      dx = -dyo;
      break;
  }
  return (guint) ((dy + 1) * 3 + (dx + 1)) * r * r + i * r + j;
}

/* Where each byte of a rotation-@k block comes from: @from[cell] is the
 * payload entry of the pair that lands in that cell, or -1 for the
 * padding cells (the bias, i.e. entry 0). */
static void
rotation_map (guint k, guint r, gint * from)
{
  const guint cw = ECLUT_LUT_CHUNK (r);
  guint c, io, jo;

  for (c = 0; c < ECLUT_LUT_BLOCK_STRIDE (r); c++)
    from[c] = -1;
  for (c = 0; c < 9; c++)
    for (io = 0; io < r; io++)
      for (jo = 0; jo < r; jo++)
        from[(ECLUT_LUT_SLOT (r, c) * r + io) * cw + jo] =
            (gint) rotated_entry (k, r, (gint) (c / 3) - 1, (gint) (c % 3) - 1,
            io, jo);
}

#define MAX_BLOCK_STRIDE ECLUT_LUT_BLOCK_STRIDE (ECLUT_LUT_MAX_SCALE)
#define MAX_VECS (MAX_BLOCK_STRIDE / 16)

/* The rotation-@k blocks of every pair from the file's @payload into
 * @dst, one byte at a time. */
static void
build_rotation_c (guint8 * dst, const guint8 * payload, guint r, guint k)
{
  const guint n = 9 * r * r, bs = ECLUT_LUT_BLOCK_STRIDE (r);
  gint from[MAX_BLOCK_STRIDE];
  guint pair, cell;

  rotation_map (k, r, from);
  for (pair = 0; pair < 65536; pair++) {
    const guint8 *src = payload + (gsize) pair * n;
    guint8 *blk = dst + ECLUT_LUT_BLOCK_INDEX (r, pair >> 8, pair & 255) * bs;

    for (cell = 0; cell < bs; cell++)
      blk[cell] = from[cell] < 0 ? ECLUT_LUT_ENTRY_BIAS :
          (guint8) (src[from[cell]] + ECLUT_LUT_ENTRY_BIAS);
  }
}

#ifdef ECLUT_HAVE_AVX2
/* build_rotation_c () with byte shuffles (SSSE3, which every AVX2 CPU
 * has): each 16-byte vector of a block is the OR of the shuffled payload
 * vectors that hold its entries (one at x4, where a channel is a vector,
 * up to three at x2 and x3), then biased.  The table is re-laid at every
 * element start (docs/performance.md, "Start-up"). */
static __attribute__ ((target ("ssse3"))) void
build_rotation_ssse3 (guint8 * dst, const guint8 * payload, guint r, guint k)
{
  const guint n = 9 * r * r, bs = ECLUT_LUT_BLOCK_STRIDE (r);
  const guint n_in = (n + 15) / 16, n_out = bs / 16;
  const __m128i bias = _mm_set1_epi8 ((gchar) ECLUT_LUT_ENTRY_BIAS);
  gint from[MAX_BLOCK_STRIDE];
  /* the (output vector, input vector, mask) triples that are not empty */
  guint8 masks[MAX_VECS * MAX_VECS][16];
  guint8 mask_out[MAX_VECS * MAX_VECS], mask_in[MAX_VECS * MAX_VECS];
  guint8 last[MAX_VECS * 16];
  guint n_masks = 0, pair, i, j, m, b;

  rotation_map (k, r, from);
  for (j = 0; j < n_out; j++)
    for (i = 0; i < n_in; i++) {
      gboolean used = FALSE;

      for (b = 0; b < 16; b++) {
        gint f = from[16 * j + b];

        used |= f >= 0 && (guint) f / 16 == i;
        masks[n_masks][b] = f >= 0 && (guint) f / 16 == i ? f % 16 : 0x80;
      }
      if (used) {
        mask_out[n_masks] = j;
        mask_in[n_masks++] = i;
      }
    }

  for (pair = 0; pair < 65536; pair++) {
    const guint8 *src = payload + (gsize) pair * n;
    guint8 *blk = dst + ECLUT_LUT_BLOCK_INDEX (r, pair >> 8, pair & 255) * bs;
    __m128i in[MAX_VECS], out[MAX_VECS];

    /* whole vectors read up to 15 bytes into the next pair: not past the
     * last one */
    if (pair == 65535) {
      memset (last, 0, sizeof (last));
      memcpy (last, src, n);
      src = last;
    }
    for (i = 0; i < n_in; i++) {
      in[i] = _mm_loadu_si128 ((const __m128i *) (src + 16 * i));
    }
    for (j = 0; j < n_out; j++)
      out[j] = _mm_setzero_si128 ();
    for (m = 0; m < n_masks; m++)
      out[mask_out[m]] = _mm_or_si128 (out[mask_out[m]],
          _mm_shuffle_epi8 (in[mask_in[m]],
              _mm_loadu_si128 ((const __m128i *) masks[m])));
    for (j = 0; j < n_out; j++)
      _mm_storeu_si128 ((__m128i *) (blk + 16 * j),
          _mm_xor_si128 (out[j], bias));
  }
}
#endif

#define HUGE_PAGE (2 * 1024 * 1024)

gpointer
eclut_table_alloc (gsize size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  void *mem = NULL;

  if (posix_memalign (&mem, HUGE_PAGE, size) != 0)
    g_error ("eclut: out of memory (%" G_GSIZE_FORMAT " bytes)", size);
  /* advice only: without huge pages the memory is as good */
  (void) madvise (mem, size, MADV_HUGEPAGE);
  return mem;
#else
  return g_malloc (size);
#endif
}

void
eclut_table_free (gpointer mem)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  free (mem);
#else
  g_free (mem);
#endif
}

/* 17 KB and a cache line: a multiple of 64 */
#define ROT_STAGGER (17 * 1024 + 64)

/* The four rotation tables (see EclutLut) from the file's @payload. */
static void
build_rotations (EclutLut * lut, const guint8 * payload)
{
  const guint r = lut->scale;
  guint k;

  for (k = 0; k < 4; k++) {
    /* 65536 * block_stride bytes: at most 65536 * 192, no overflow */
    /* huge-page aligned tables would put the blocks that a pixel reads in
     * the four (at similar offsets) in the same cache sets: each table
     * starts ROT_STAGGER bytes after the last one's place */
    lut->rot_mem[k] = eclut_table_alloc ((gsize) 65536 * lut->block_stride +
        k * ROT_STAGGER);
    lut->rot[k] = (guint8 *) lut->rot_mem[k] + k * ROT_STAGGER;
#ifdef ECLUT_HAVE_AVX2
    if (eclut_simd_level () >= ECLUT_SIMD_AVX2) {
      build_rotation_ssse3 (lut->rot[k], payload, r, k);
      continue;
    }
#endif
    build_rotation_c (lut->rot[k], payload, r, k);
  }
}

static void
lut_free (EclutLut * lut)
{
  guint k;

  for (k = 0; k < ECLUT_LUT_N_DERIVED; k++)
    if (lut->derived[k] != NULL)
      lut->derived_free[k] (lut->derived[k]);
  g_mutex_clear (&lut->derived_lock);
  for (k = 0; k < 4; k++)
    eclut_table_free (lut->rot_mem[k]);
  for (k = 0; k < lut->n_refine; k++)
    eclut_refine_free (lut->refine[k]);
  if (lut->refine_records)
    eclut_table_free (lut->refine_records);
  g_free (lut->cache_key);
  g_free (lut);
}

/* TRUE (and @error set) if a table for @scale is not what was asked for
 * (@expected_scale 0: any). */
static gboolean
scale_mismatch (const gchar * name, guint scale, guint expected_scale,
    GError ** error)
{
  if (expected_scale == 0 || expected_scale == scale)
    return FALSE;
  g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_SCALE,
      "'%s' is a x%u table, scale=%u was asked", name, scale, expected_scale);
  return TRUE;
}

/* Validates a whole file image (@data, @size bytes: header and payload;
 * not kept, the caller frees it) and builds the in-memory table from it. */
static EclutLut *
lut_new (const guint8 * data, gsize size, const gchar * name,
    guint expected_scale, GError ** error)
{
  Header h;
  EclutLut *lut;
  guint64 expected, off, offset[ECLUT_LUT_MAX_REFINE];
  gboolean exact;
  guint k;

  if (size < ECLUT_LUT_HEADER_SIZE) {
    g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT,
        "'%s': file is %" G_GSIZE_FORMAT " bytes, shorter than the %u-byte "
        "header (truncated?)", name, size, (guint) ECLUT_LUT_HEADER_SIZE);
    return NULL;
  }
  if (!parse_header (data, name, &h, error)
      || !file_size (&h, data, size, name, &expected, &exact, error))
    return NULL;
  if (size != expected) {
    g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT,
        "'%s': file is %" G_GSIZE_FORMAT " bytes, expected %s%"
        G_GUINT64_FORMAT " (%s)", name, size, exact ? "" : "at least ",
        expected, size < expected ? "truncated" : "trailing garbage");
    return NULL;
  }
  if (eclut_crc32 (data + ECLUT_LUT_HEADER_SIZE, (gsize) h.payload_size) !=
      h.payload_crc) {
    g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT,
        "'%s': payload CRC mismatch (file corrupt?)", name);
    return NULL;
  }
  off = ECLUT_LUT_HEADER_SIZE + h.payload_size;
  for (k = 0; k < h.n_refine; k++) {
    if (!check_refine (data + off, k, name, error))
      return NULL;
    offset[k] = off - (ECLUT_LUT_HEADER_SIZE + h.payload_size);
    off += REFINE_RECORD_HEADER + REFINE_PAYLOAD (refine_phases (data + off));
  }
  if (scale_mismatch (name, h.scale, expected_scale, error))
    return NULL;

  lut = g_new0 (EclutLut, 1);
  lut->n_refine = h.n_refine;
  if (h.n_refine > 0) {
    /* kept for eclut_lut_get_refine () (the caller frees @data) */
    const gsize n = size - (ECLUT_LUT_HEADER_SIZE + h.payload_size);

    lut->refine_records = eclut_table_alloc (n);
    memcpy (lut->refine_records, data + ECLUT_LUT_HEADER_SIZE +
        h.payload_size, n);
    for (k = 0; k < h.n_refine; k++)
      lut->refine_offset[k] = (gsize) offset[k];
  }
  lut->ref_count = 1;
  lut->scale = h.scale;
  lut->expand_step = h.expand_step;
  lut->rescale_shift = h.rescale_shift;
  lut->rescale_bias = h.rescale_bias;
  lut->n_entries = 9 * h.scale * h.scale;
  lut->chunk = ECLUT_LUT_CHUNK (h.scale);
  lut->block_stride = ECLUT_LUT_BLOCK_STRIDE (h.scale);
  g_mutex_init (&lut->derived_lock);
  build_rotations (lut, data + ECLUT_LUT_HEADER_SIZE);
  return lut;
}

EclutLut *
eclut_lut_load_data (const guint8 * data, gsize size, const gchar * name,
    guint expected_scale, GError ** error)
{
  g_return_val_if_fail (data != NULL || size == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return lut_new (data, size, name ? name : "<memory>", expected_scale, error);
}

/* The identity of the file behind @st: a table file replaced or rewritten
 * gets another key (device, inode, size, modification time in ns). */
static gchar *
file_key (const GStatBuf * st)
{
  gint64 ns;

#if defined(__linux__) || defined(__GLIBC__)
  ns = (gint64) st->st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) +
      st->st_mtim.tv_nsec;
#else
  ns = (gint64) st->st_mtime * G_GINT64_CONSTANT (1000000000);
#endif
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%"
      G_GINT64_FORMAT ":%" G_GINT64_FORMAT, (guint64) st->st_dev,
      (guint64) st->st_ino, (gint64) st->st_size, ns);
}

/* eclut_lut_load_file(); also returns the key of the file it read. */
static EclutLut *
load_file (const gchar * path, guint expected_scale, gchar ** key,
    GError ** error)
{
  guint8 head[ECLUT_LUT_HEADER_SIZE];
  gchar *name;
  FILE *f;
  GStatBuf st;
  Header h;
  guint8 *image = NULL;
  gsize got, total;
  EclutLut *lut = NULL;
  int saved_errno;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = g_filename_display_name (path);
  f = g_fopen (path, "rb");
  if (f == NULL) {
    saved_errno = errno;
    g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_IO,
        "'%s': cannot open: %s", name, g_strerror (saved_errno));
    goto out;
  }
  if (fstat (fileno (f), &st) != 0) {
    saved_errno = errno;
    g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_IO,
        "'%s': cannot stat: %s", name, g_strerror (saved_errno));
    goto out;
  }
  if (!S_ISREG (st.st_mode)) {
    g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_IO,
        "'%s': not a regular file", name);
    goto out;
  }

  /* The header first: the range of sizes follows from validated fields, so
   * an absurdly large or short file is refused before the big allocation
   * (the exact size, which the refine records' phases set, is checked on
   * the image). */
  got = fread (head, 1, sizeof (head), f);
  if (got < sizeof (head)) {
    if (ferror (f)) {
      saved_errno = errno;
      g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_IO,
          "'%s': read error: %s", name, g_strerror (saved_errno));
    } else {
      g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT,
          "'%s': file is %" G_GSIZE_FORMAT " bytes, shorter than the %u-byte "
          "header (truncated?)", name, got, (guint) ECLUT_LUT_HEADER_SIZE);
    }
    goto out;
  }
  if (!parse_header (head, name, &h, error))
    goto out;
  if (st.st_size < 0 || (guint64) st.st_size < h.min_size
      || (guint64) st.st_size > h.max_size) {
    const gboolean shorter = st.st_size < 0
        || (guint64) st.st_size < h.min_size;

    if (h.min_size == h.max_size)
      g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT,
          "'%s': file is %" G_GINT64_FORMAT " bytes, expected %"
          G_GUINT64_FORMAT " (%s)", name, (gint64) st.st_size, h.min_size,
          shorter ? "truncated" : "trailing garbage");
    else
      g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT,
          "'%s': file is %" G_GINT64_FORMAT " bytes, expected %s %"
          G_GUINT64_FORMAT " (%s)", name, (gint64) st.st_size,
          shorter ? "at least" : "at most",
          shorter ? h.min_size : h.max_size,
          shorter ? "truncated" : "trailing garbage");
    goto out;
  }
  total = (gsize) st.st_size;

  /* in huge pages too: where page faults are slow (a VM), faulting in
   * the image page by page was most of the load (docs/performance.md,
   * "Start-up") */
  image = eclut_table_alloc (total);
  memcpy (image, head, sizeof (head));
  got = fread (image + sizeof (head), 1, total - sizeof (head), f);
  if (got != total - sizeof (head) || ferror (f)) {
    if (ferror (f)) {
      saved_errno = errno;
      g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_IO,
          "'%s': read error: %s", name, g_strerror (saved_errno));
    } else {
      g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT,
          "'%s': file shrank while reading (truncated)", name);
    }
    goto out;
  }
  /* a file that grew since fstat() is as wrong as a longer one */
  if (fgetc (f) != EOF) {
    g_set_error (error, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_FORMAT,
        "'%s': file grew while reading (trailing garbage)", name);
    goto out;
  }

  lut = lut_new (image, total, name, expected_scale, error);
  if (lut && key)
    *key = file_key (&st);

out:
  if (f)
    fclose (f);
  eclut_table_free (image);
  g_free (name);
  return lut;
}

EclutLut *
eclut_lut_load_file (const gchar * path, guint expected_scale, GError ** error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_file (path, expected_scale, NULL, error);
}

/* Shared tables, by file identity.  A table in the cache holds no reference
 * of its own: the last eclut_lut_unref() removes it, under the lock, so a
 * lookup (also under the lock) never revives a table being freed. */
static GMutex cache_lock;
static GHashTable *cache;       /* file_key -> EclutLut (not owned) */

static EclutLut *
cache_lookup (const gchar * key)
{
  EclutLut *lut = NULL;

  g_mutex_lock (&cache_lock);
  if (cache)
    lut = g_hash_table_lookup (cache, key);
  if (lut)
    g_atomic_int_inc (&lut->ref_count);
  g_mutex_unlock (&cache_lock);
  return lut;
}

static EclutLut *
check_scale (EclutLut * lut, const gchar * path, guint expected_scale,
    GError ** error)
{
  gchar *name = g_filename_display_name (path);
  gboolean mismatch = scale_mismatch (name, lut->scale, expected_scale, error);

  g_free (name);
  if (!mismatch)
    return lut;
  eclut_lut_unref (lut);
  return NULL;
}

EclutLut *
eclut_lut_load_file_shared (const gchar * path, guint expected_scale,
    GError ** error)
{
  GStatBuf st;
  EclutLut *lut, *other;
  gchar *key = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* a table already loaded from this very file */
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode)) {
    key = file_key (&st);
    lut = cache_lookup (key);
    g_free (key);
    if (lut)
      return check_scale (lut, path, expected_scale, error);
  }

  /* else load (without the lock: it takes a while) under the key of the
   * file actually read, unless another thread got there first */
  lut = load_file (path, 0, &key, error);
  if (lut == NULL)
    return NULL;
  g_mutex_lock (&cache_lock);
  if (cache == NULL)
    cache = g_hash_table_new (g_str_hash, g_str_equal);
  other = g_hash_table_lookup (cache, key);
  if (other) {
    g_atomic_int_inc (&other->ref_count);
    g_free (key);
  } else {
    lut->cache_key = key;
    g_hash_table_insert (cache, lut->cache_key, lut);
  }
  g_mutex_unlock (&cache_lock);
  if (other) {
    eclut_lut_unref (lut);
    lut = other;
  }
  return check_scale (lut, path, expected_scale, error);
}

EclutLut *
eclut_lut_ref (EclutLut * lut)
{
  g_return_val_if_fail (lut != NULL, NULL);
  g_atomic_int_inc (&lut->ref_count);
  return lut;
}

void
eclut_lut_unref (EclutLut * lut)
{
  gboolean last;

  g_return_if_fail (lut != NULL);
  if (lut->cache_key == NULL) {
    if (g_atomic_int_dec_and_test (&lut->ref_count))
      lut_free (lut);
    return;
  }
  g_mutex_lock (&cache_lock);
  last = g_atomic_int_dec_and_test (&lut->ref_count);
  if (last)
    g_hash_table_remove (cache, lut->cache_key);
  g_mutex_unlock (&cache_lock);
  if (last)
    lut_free (lut);
}

gconstpointer
eclut_lut_get_derived (const EclutLut * lut, EclutLutDerived id,
    gpointer (*build) (const EclutLut * lut), GDestroyNotify free)
{
  /* the cache is not part of the table's value: filling it does not
   * change what any reader sees */
  EclutLut *l = (EclutLut *) lut;
  gpointer d;

  g_return_val_if_fail (lut != NULL && id < ECLUT_LUT_N_DERIVED, NULL);
  g_mutex_lock (&l->derived_lock);
  if (l->derived[id] == NULL) {
    l->derived[id] = build (lut);
    l->derived_free[id] = free;
  }
  d = l->derived[id];
  g_mutex_unlock (&l->derived_lock);
  return d;
}

guint
eclut_lut_get_scale (const EclutLut * lut)
{
  g_return_val_if_fail (lut != NULL, 0);
  return lut->scale;
}

guint
eclut_lut_get_expand_step (const EclutLut * lut)
{
  g_return_val_if_fail (lut != NULL, 0);
  return lut->expand_step;
}

guint
eclut_lut_get_n_refine (const EclutLut * lut)
{
  g_return_val_if_fail (lut != NULL, 0);
  return lut->n_refine;
}

const EclutRefine *
eclut_lut_get_refine (const EclutLut * lut, guint k)
{
  /* as eclut_lut_get_derived (): building a stage does not change what
   * any reader sees */
  EclutLut *l = (EclutLut *) lut;
  EclutRefine *stage;
  guint i, built = 0;

  g_return_val_if_fail (lut != NULL && k < lut->n_refine, NULL);
  g_mutex_lock (&l->derived_lock);
  if (l->refine[k] == NULL)
    l->refine[k] = build_refine (l->refine_records + l->refine_offset[k]);
  stage = l->refine[k];
  for (i = 0; i < l->n_refine; i++)
    built += l->refine[i] != NULL;
  if (built == l->n_refine && l->refine_records != NULL) {
    eclut_table_free (l->refine_records);
    l->refine_records = NULL;
  }
  g_mutex_unlock (&l->derived_lock);
  return stage;
}

gboolean
eclut_lut_refine_is_built (const EclutLut * lut, guint k)
{
  gboolean built;

  g_return_val_if_fail (lut != NULL && k < lut->n_refine, FALSE);
  g_mutex_lock ((GMutex *) & lut->derived_lock);
  built = lut->refine[k] != NULL;
  g_mutex_unlock ((GMutex *) & lut->derived_lock);
  return built;
}

guint
eclut_lut_get_rescale_shift (const EclutLut * lut)
{
  g_return_val_if_fail (lut != NULL, 0);
  return lut->rescale_shift;
}

gint
eclut_lut_get_rescale_bias (const EclutLut * lut)
{
  g_return_val_if_fail (lut != NULL, 0);
  return lut->rescale_bias;
}

gint8
eclut_lut_get_entry (const EclutLut * lut, guint a, guint b, guint e)
{
  guint r, c, io, jo;

  g_return_val_if_fail (lut != NULL, 0);
  g_return_val_if_fail (a < 256 && b < 256 && e < lut->n_entries, 0);
  /* rotation 0 is the payload itself, re-laid (rotation_map ()) */
  r = lut->scale;
  c = e / (r * r);
  io = e / r % r;
  jo = e % r;
  return (gint8) (lut->rot[0][ECLUT_LUT_BLOCK_INDEX (r, a, b) *
          lut->block_stride + (ECLUT_LUT_SLOT (r, c) * r + io) * lut->chunk +
          jo] - ECLUT_LUT_ENTRY_BIAS);
}
