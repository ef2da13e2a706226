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

/* The resampling step of eclutscale: what remains between the table's
 * luma (or the input, when no table is used) and the requested size, and
 * the chroma planes from the input straight to the output, are done by
 * GstVideoScaler, plane by plane, as GstVideoConverter does for formats
 * that it only scales.  The methods are videoscale's, with the same
 * values, names and resampler settings, so that `method=lanczos` means the
 * same in both elements. */

#ifndef __GST_ECLUT_SCALE_RESAMPLE_H__
#define __GST_ECLUT_SCALE_RESAMPLE_H__

#include <gst/gst.h>
#include <gst/video/video.h>

G_BEGIN_DECLS

/**
 * GstEclutScaleMethod:
 * @GST_ECLUT_SCALE_METHOD_NEAREST: nearest neighbour
 * @GST_ECLUT_SCALE_METHOD_BILINEAR: linear, at most 2 taps
 * @GST_ECLUT_SCALE_METHOD_4TAP: sinc, 4 taps
 * @GST_ECLUT_SCALE_METHOD_LANCZOS: lanczos
 * @GST_ECLUT_SCALE_METHOD_BILINEAR2: linear, as many taps as needed
 * @GST_ECLUT_SCALE_METHOD_SINC: sinc
 * @GST_ECLUT_SCALE_METHOD_HERMITE: cubic B=0, C=0
 * @GST_ECLUT_SCALE_METHOD_SPLINE: cubic B=1, C=0
 * @GST_ECLUT_SCALE_METHOD_CATROM: Catmull-Rom, cubic B=0, C=0.5
 * @GST_ECLUT_SCALE_METHOD_MITCHELL: Mitchell, cubic B=1/3, C=1/3
 *
 * The resampling methods of #GstEclutScale:method: the values and names of
 * videoscale's GstVideoScaleMethod.
 *
 * Since: 0.2
 */
typedef enum
{
  GST_ECLUT_SCALE_METHOD_NEAREST,
  GST_ECLUT_SCALE_METHOD_BILINEAR,
  GST_ECLUT_SCALE_METHOD_4TAP,
  GST_ECLUT_SCALE_METHOD_LANCZOS,
  GST_ECLUT_SCALE_METHOD_BILINEAR2,
  GST_ECLUT_SCALE_METHOD_SINC,
  GST_ECLUT_SCALE_METHOD_HERMITE,
  GST_ECLUT_SCALE_METHOD_SPLINE,
  GST_ECLUT_SCALE_METHOD_CATROM,
  GST_ECLUT_SCALE_METHOD_MITCHELL
} GstEclutScaleMethod;

#define GST_TYPE_ECLUT_SCALE_METHOD (gst_eclut_scale_method_get_type ())
GType gst_eclut_scale_method_get_type (void);

typedef struct _GstEclutScaleResampler GstEclutScaleResampler;

GstEclutScaleResampler *gst_eclut_scale_resampler_new (const GstVideoInfo *
    in_info, guint luma_width, guint luma_height,
    const GstVideoInfo * out_info, const GstVideoRectangle * dest,
    GstEclutScaleMethod method, guint n_stripes);
void gst_eclut_scale_resampler_free (GstEclutScaleResampler * resampler);
/* What runs for plane @plane, for the debug log (free the string) */
gchar *gst_eclut_scale_resampler_describe (const GstEclutScaleResampler * r,
    guint plane);
guint gst_eclut_scale_resampler_get_n_planes (const GstEclutScaleResampler *
    r);

guint gst_eclut_scale_resampler_get_n_stripes (const GstEclutScaleResampler *
    resampler);
void gst_eclut_scale_resampler_run_stripe (GstEclutScaleResampler *
    resampler, guint stripe, const GstVideoFrame * in_frame,
    const guint8 * luma, gint luma_stride, GstVideoFrame * out_frame);

/* The table's luma streamed into the resampling
 * (eclut_luma_plan_stream_rows ()), band by band: */
/* band @stripe's luma rows, [*y0, *y1) */
void gst_eclut_scale_resampler_luma_band (const GstEclutScaleResampler *
    resampler, guint stripe, guint * y0, guint * y1);
/* the rows of the table's luma they read, [*first, *end) (empty: none) */
void gst_eclut_scale_resampler_luma_sources (const GstEclutScaleResampler *
    resampler, guint stripe, guint * first, guint * end);
/* the rows of the table's luma that must be at hand while the band's
 * rows are run in order, each as soon as its rows are there: a ring must
 * hold these and the rows the table writes between two of its calls */
guint gst_eclut_scale_resampler_luma_window (const GstEclutScaleResampler *
    resampler);
/* from luma row *y on, the band's rows whose source rows are all below
 * @n_ready, reading them from a ring of @ring_rows rows (row i at row i %
 * ring_rows); *y: the next row to run */
void gst_eclut_scale_resampler_run_luma_ring (GstEclutScaleResampler *
    resampler, guint stripe, const guint8 * ring, gint ring_stride,
    guint ring_rows, guint n_ready, guint * y, GstVideoFrame * out_frame);
/* band @stripe of the other planes */
void gst_eclut_scale_resampler_run_stripe_chroma (GstEclutScaleResampler *
    resampler, guint stripe, const GstVideoFrame * in_frame,
    GstVideoFrame * out_frame);

G_END_DECLS

#endif /* __GST_ECLUT_SCALE_RESAMPLE_H__ */
