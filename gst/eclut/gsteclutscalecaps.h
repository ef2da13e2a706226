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

/* Caps of eclutscale: which sizes it offers each way (transform) and which
 * one it picks (fixate).  Kept apart from the element so that the rules can
 * be read in one place; they follow videoconvertscale's, with one change:
 * where videoconvertscale prefers the input size, eclutscale prefers the
 * input size times the table's factor. */

#ifndef __GST_ECLUT_SCALE_CAPS_H__
#define __GST_ECLUT_SCALE_CAPS_H__

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

GstCaps *gst_eclut_scale_caps_transform (GstCaps * caps,
    GstPadDirection direction, guint scale);

GstCaps *gst_eclut_scale_caps_fixate_size (GstBaseTransform * base,
    GstPadDirection direction, GstCaps * caps, GstCaps * othercaps,
    guint scale);

G_END_DECLS

#endif /* __GST_ECLUT_SCALE_CAPS_H__ */
