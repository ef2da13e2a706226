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

/* How the samples of a plane are stored, for the cores that read and
 * write them (luma, refine, chroma).  Pointers stay byte pointers and
 * strides stay in bytes whatever the layout.  No GStreamer types. */

#ifndef __ECLUT_SAMPLES_H__
#define __ECLUT_SAMPLES_H__

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  ECLUT_SAMPLES_U8 = 0,         /* guint8, 0..255 */
  ECLUT_SAMPLES_U10_LSB,        /* guint16 (little endian), 0..1023 in
                                 * bits 0..9 (I420_10LE, Y444_10LE, ...) */
  ECLUT_SAMPLES_U10_MSB         /* guint16 (little endian), the value in
                                 * bits 6..15, bits 0..5 zero (P010_10LE) */
} EclutSamples;

/* Bytes per sample of @samples. */
static inline guint
eclut_samples_bytes (EclutSamples samples)
{
  return samples == ECLUT_SAMPLES_U8 ? 1 : 2;
}

G_END_DECLS

#endif /* __ECLUT_SAMPLES_H__ */
