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


/* What the horizontal and vertical resampling filters share (not
 * installed): eclut-hfilter.c and eclut-vfilter.c. */

#ifndef __ECLUT_FILTER_PRIVATE_H__
#define __ECLUT_FILTER_PRIVATE_H__

#include <glib.h>

G_BEGIN_DECLS

/* The largest sum of the taps' magnitudes a filter of words takes: its SIMD
 * code multiplies sample - 32768 by the taps, and 32768 times that sum must
 * leave room in 32 bits for the bias added back */
#define ECLUT_FILTER_WORDS_MAX_MAGNITUDE (1 << 14)

static inline gint
eclut_filter_taps_magnitude (const gint16 * taps, guint n_taps)
{
  gint sum = 0;
  guint j;

  for (j = 0; j < n_taps; j++)
    sum += ABS (taps[j]);
  return sum;
}

/* floor (@acc / 2^@shift), without relying on >> of negative numbers */
static inline gint32
eclut_filter_floor_shift (gint32 acc, guint shift)
{
  return acc >= 0 ? acc >> shift :
      -(gint32) (((guint32) - acc + (1u << shift) - 1) >> shift);
}

G_END_DECLS

#endif /* __ECLUT_FILTER_PRIVATE_H__ */
