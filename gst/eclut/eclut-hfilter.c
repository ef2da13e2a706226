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


#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "eclut-hfilter-private.h"
#include "eclut-filter-private.h"

/* The SIMD code reads a whole window of 8 or 16 samples (the taps that
 * fit) per output pixel and multiplies the samples by the taps as
 * bytes (pmaddubsw: unsigned sample times signed tap, each adjacent pair
 * of products summed in 16 bits with saturation).  So it may run only if
 * the taps fit a signed byte and no pair of them can make a sum that
 * saturates; GStreamer's own 8-bit taps (6 bits of precision) always
 * do. */
static gboolean
taps_fit_bytes (const gint16 * taps, guint n_taps, guint out_width)
{
  guint x, j;

  if (n_taps > ECLUT_HFILTER_MAX_SIMD_TAPS)
    return FALSE;
  for (x = 0; x < out_width; x++) {
    const gint16 *t = taps + (gsize) x * n_taps;

    for (j = 0; j < n_taps; j += 2) {
      gint a = t[j], b = j + 1 < n_taps ? t[j + 1] : 0;
      gint pos = MAX (a, 0) + MAX (b, 0), neg = MIN (a, 0) + MIN (b, 0);

      if (a < -128 || a > 127 || b < -128 || b > 127)
        return FALSE;
      if (255 * pos > G_MAXINT16 || 255 * neg < G_MININT16)
        return FALSE;
    }
  }
  return TRUE;
}

/* The first pixels of a row whose windows of @window samples lie in it,
 * 0 if fewer than @group; a multiple of @group unless @overlap (the SIMD
 * code then does the last group at n - group, again in part) */
static guint
simd_pixels (const guint32 * offset, guint in_width, guint out_width,
    guint window, guint group, gboolean overlap)
{
  guint n = 0;

  while (n < out_width && (guint64) offset[n] + window <= in_width)
    n++;
  if (n < group)
    return 0;
  return overlap ? n : n - n % group;
}

/* The shared loads (see EclutHFilter): TRUE if every group of 4 pixels
 * before the last whole 16 whose 16 samples lie in the row has its 4
 * windows of 8 in them; then the records */
static gboolean
setup_shared (EclutHFilter * f)
{
  guint n = 0, x, k, j;

  if (f->n_taps > 8)
    return FALSE;
  /* the groups of 4 whose 16 samples lie in the row */
  while (n + 4 <= f->out_width &&
      (guint64) f->offset[n] + 16 <= f->in_width)
    n += 4;
  /* whole records of 8; a last 8 is done as part of a group of 16 that
   * overlaps the one before */
  n -= n % 8;
  if (n < 16)
    return FALSE;
  for (x = 0; x < n; x += 4)
    if (f->offset[x + 3] + 8 > f->offset[x] + 16)
      return FALSE;

  f->n_simd = n;
  f->shared_base = g_new (guint32, n / 4);
  f->shared_rec = g_malloc0 ((gsize) n * 16);
  for (x = 0; x < n; x += 4)
    f->shared_base[x / 4] = f->offset[x];
  for (x = 0; x < n; x += 8) {
    guint8 *rec = f->shared_rec + (gsize) x * 16;

    for (k = 0; k < 8; k++) {
      /* pixel x + k: lane k / 4, the first (0 1) or second (2 3) pair of
       * its group, 8 bytes per pixel */
      guint lane = k / 4, pair = (k % 4) / 2, half = k % 2;
      guint8 *ctrl = rec + pair * 32 + lane * 16 + half * 8;
      gint8 *taps = (gint8 *) rec + 64 + pair * 32 + lane * 16 + half * 8;
      guint32 base = f->shared_base[(x + k) / 4];

      for (j = 0; j < 8; j++) {
        ctrl[j] = (guint8) (f->offset[x + k] - base + j);
        taps[j] = j < f->n_taps ?
            (gint8) f->taps[(gsize) (x + k) * f->n_taps + j] : 0;
      }
    }
  }
  f->simd_row = eclut_hfilter_row_shared_avx2;
  return TRUE;
}

static void
setup_simd_bytes (EclutHFilter * f)
{
#ifdef ECLUT_HAVE_AVX2
  guint x, j;

  if (!taps_fit_bytes (f->taps, f->n_taps, f->out_width))
    return;
  f->window = f->n_taps <= 8 ? 8 : 16;
  if (setup_shared (f))
    return;
  f->n_simd = simd_pixels (f->offset, f->in_width, f->out_width, f->window,
      16, TRUE);
  if (f->n_simd == 0)
    return;
  f->simd_row = f->window == 8 ? eclut_hfilter_row8_avx2 :
      eclut_hfilter_row16_avx2;
  f->taps8 = g_malloc0 ((gsize) f->n_simd * f->window);
  for (x = 0; x < f->n_simd; x++)
    for (j = 0; j < f->n_taps; j++)
      f->taps8[x * f->window + j] = (gint8) f->taps[(gsize) x * f->n_taps +
          j];
#endif
}

static void
setup_simd_words (EclutHFilter * f)
{
#ifdef ECLUT_HAVE_AVX2
  /* the AVX2 code's sums of 8 pixels come out as pixels 0 2 4 6 1 3 5 7:
   * where each pixel's bias goes */
  static const guint place[8] = { 0, 4, 1, 5, 2, 6, 3, 7 };
  guint x, j;

  /* (the taps' magnitudes were checked by hfilter_new ()) */
  if (f->n_taps > 8)
    return;
  f->window = 8;
  f->n_simd = simd_pixels (f->offset, f->in_width, f->out_width, 8, 8,
      FALSE);
  if (f->n_simd == 0)
    return;
  f->simd_row_words = eclut_hfilter_row_words_avx2;
  f->taps_w = g_new0 (gint16, (gsize) f->n_simd * 8);
  f->bias_w = g_new (gint32, f->n_simd);
  for (x = 0; x < f->n_simd; x++) {
    gint32 sum = 0;

    for (j = 0; j < f->n_taps; j++) {
      f->taps_w[x * 8 + j] = f->taps[(gsize) x * f->n_taps + j];
      sum += f->taps[(gsize) x * f->n_taps + j];
    }
    f->bias_w[(x & ~7u) + place[x & 7]] = f->round + 32768 * sum;
  }
#endif
}

static EclutHFilter *
hfilter_new (guint in_width, guint out_width, guint n_taps,
    const guint32 * offset, const gint16 * taps, guint precision,
    gboolean words, gint32 round, EclutSimdLevel level)
{
  EclutHFilter *f;
  guint x;

  g_return_val_if_fail (offset != NULL && taps != NULL, NULL);

  if (in_width == 0 || out_width == 0 || n_taps == 0 || n_taps > 256 ||
      precision < 1 || precision > 14 || round < 0 || round > 1 << precision)
    return NULL;
  for (x = 0; x < out_width; x++)
    if ((guint64) offset[x] + n_taps > in_width)
      return NULL;
  /* words: the SIMD code reads 8 words per output pixel and multiplies
   * them, less 32768, by the taps (pmaddwd), adding 32768 times the taps'
   * sum back with the rounding */
  if (words)
    for (x = 0; x < out_width; x++)
      if (eclut_filter_taps_magnitude (taps + (gsize) x * n_taps, n_taps) >
          ECLUT_FILTER_WORDS_MAX_MAGNITUDE)
        return NULL;

  f = g_new0 (EclutHFilter, 1);
  f->in_width = in_width;
  f->out_width = out_width;
  f->n_taps = n_taps;
  f->precision = precision;
  f->words = words;
  f->round = round;
  f->offset = g_memdup2 (offset, sizeof (guint32) * out_width);
  f->taps = g_memdup2 (taps, sizeof (gint16) * out_width * n_taps);

  if (MIN (level, eclut_simd_level ()) >= ECLUT_SIMD_AVX2) {
    if (words)
      setup_simd_words (f);
    else
      setup_simd_bytes (f);
  }
  return f;
}

EclutHFilter *
eclut_hfilter_new_for_level (guint in_width, guint out_width, guint n_taps,
    const guint32 * offset, const gint16 * taps, guint precision,
    EclutSimdLevel level)
{
  return hfilter_new (in_width, out_width, n_taps, offset, taps, precision,
      FALSE, precision > 0 ? 1 << (precision - 1) : 0, level);
}

EclutHFilter *
eclut_hfilter_new (guint in_width, guint out_width, guint n_taps,
    const guint32 * offset, const gint16 * taps, guint precision)
{
  return eclut_hfilter_new_for_level (in_width, out_width, n_taps, offset,
      taps, precision, ECLUT_SIMD_AVX2);
}

EclutHFilter *
eclut_hfilter_new_words_for_level (guint in_width, guint out_width,
    guint n_taps, const guint32 * offset, const gint16 * taps,
    guint precision, gint32 round, EclutSimdLevel level)
{
  return hfilter_new (in_width, out_width, n_taps, offset, taps, precision,
      TRUE, round, level);
}

EclutHFilter *
eclut_hfilter_new_words (guint in_width, guint out_width, guint n_taps,
    const guint32 * offset, const gint16 * taps, guint precision,
    gint32 round)
{
  return eclut_hfilter_new_words_for_level (in_width, out_width, n_taps,
      offset, taps, precision, round, ECLUT_SIMD_AVX2);
}

void
eclut_hfilter_free (EclutHFilter * f)
{
  if (f == NULL)
    return;
  g_free (f->offset);
  g_free (f->taps);
  g_free (f->taps8);
  g_free (f->shared_base);
  g_free (f->shared_rec);
  g_free (f->taps_w);
  g_free (f->bias_w);
  g_free (f);
}

/* Output pixels @x0 up to @x1, as the rule says */
static void
row_c (const EclutHFilter * f, const guint8 * in, guint8 * out, guint x0,
    guint x1)
{
  guint x, j;

  for (x = x0; x < x1; x++) {
    const guint8 *s = in + f->offset[x];
    const gint16 *t = f->taps + (gsize) x * f->n_taps;
    gint32 acc = f->round;

    for (j = 0; j < f->n_taps; j++)
      acc += s[j] * t[j];
    acc = eclut_filter_floor_shift (acc, f->precision);
    out[x] = (guint8) CLAMP (acc, 0, 255);
  }
}

static void
row_words_c (const EclutHFilter * f, const guint16 * in, guint16 * out,
    guint x0, guint x1)
{
  guint x, j;

  for (x = x0; x < x1; x++) {
    const guint16 *s = in + f->offset[x];
    const gint16 *t = f->taps + (gsize) x * f->n_taps;
    gint32 acc = f->round;

    for (j = 0; j < f->n_taps; j++)
      acc += s[j] * t[j];
    acc = eclut_filter_floor_shift (acc, f->precision);
    out[x] = (guint16) CLAMP (acc, 0, 65535);
  }
}

void
eclut_hfilter_row (const EclutHFilter * f, const guint8 * in, guint8 * out)
{
  g_return_if_fail (!f->words);

  if (f->simd_row != NULL)
    f->simd_row (f, in, out);
  row_c (f, in, out, f->n_simd, f->out_width);
}

void
eclut_hfilter_row_words (const EclutHFilter * f, const guint16 * in,
    guint16 * out)
{
  g_return_if_fail (f->words);

  if (f->simd_row_words != NULL)
    f->simd_row_words (f, in, out);
  row_words_c (f, in, out, f->n_simd, f->out_width);
}

gboolean
eclut_hfilter_has_simd (const EclutHFilter * f)
{
  return f->simd_row != NULL || f->simd_row_words != NULL;
}

const gchar *
eclut_hfilter_describe (const EclutHFilter * f)
{
  if (f->simd_row_words != NULL)
    return "AVX2, 8-word windows";
  if (f->shared_rec != NULL)
    return "AVX2, 8-sample windows from shared loads";
  if (f->simd_row == NULL)
    return "C";
  return f->window == 8 ? "AVX2, 8-sample windows" :
      "AVX2, 16-sample windows";
}
