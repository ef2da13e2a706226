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

#include "gsteclutscaleresample.h"

GType
gst_eclut_scale_method_get_type (void)
{
  static GType type = 0;
  /* videoscale's names, so that pipelines can switch elements unchanged */
  static const GEnumValue values[] = {
    {GST_ECLUT_SCALE_METHOD_NEAREST, "Nearest Neighbour", "nearest-neighbour"},
    {GST_ECLUT_SCALE_METHOD_BILINEAR, "Bilinear (2-tap)", "bilinear"},
    {GST_ECLUT_SCALE_METHOD_4TAP, "4-tap Sinc", "4-tap"},
    {GST_ECLUT_SCALE_METHOD_LANCZOS, "Lanczos", "lanczos"},
    {GST_ECLUT_SCALE_METHOD_BILINEAR2, "Bilinear (multi-tap)", "bilinear2"},
    {GST_ECLUT_SCALE_METHOD_SINC, "Sinc (multi-tap)", "sinc"},
    {GST_ECLUT_SCALE_METHOD_HERMITE, "Hermite (multi-tap)", "hermite"},
    {GST_ECLUT_SCALE_METHOD_SPLINE, "Spline (multi-tap)", "spline"},
    {GST_ECLUT_SCALE_METHOD_CATROM, "Catmull-Rom (multi-tap)", "catrom"},
    {GST_ECLUT_SCALE_METHOD_MITCHELL, "Mitchell (multi-tap)", "mitchell"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstEclutScaleMethod", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

/* The resampler settings of each method, as videoscale sets them:
 * GstVideoResamplerMethod, then max-taps (0: the resampler's choice) and
 * the cubic B and C where they apply. */
static const struct
{
  GstVideoResamplerMethod resampler;
  gint max_taps;
  gdouble cubic_b, cubic_c;
} methods[] = {
  [GST_ECLUT_SCALE_METHOD_NEAREST] = {GST_VIDEO_RESAMPLER_METHOD_NEAREST},
  [GST_ECLUT_SCALE_METHOD_BILINEAR] = {GST_VIDEO_RESAMPLER_METHOD_LINEAR, 2},
  [GST_ECLUT_SCALE_METHOD_4TAP] = {GST_VIDEO_RESAMPLER_METHOD_SINC, 4},
  [GST_ECLUT_SCALE_METHOD_LANCZOS] = {GST_VIDEO_RESAMPLER_METHOD_LANCZOS},
  [GST_ECLUT_SCALE_METHOD_BILINEAR2] = {GST_VIDEO_RESAMPLER_METHOD_LINEAR},
  [GST_ECLUT_SCALE_METHOD_SINC] = {GST_VIDEO_RESAMPLER_METHOD_SINC},
  [GST_ECLUT_SCALE_METHOD_HERMITE] =
      {GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 0.0, 0.0},
  [GST_ECLUT_SCALE_METHOD_SPLINE] =
      {GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 1.0, 0.0},
  [GST_ECLUT_SCALE_METHOD_CATROM] =
      {GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 0.0, 0.5},
  [GST_ECLUT_SCALE_METHOD_MITCHELL] =
      {GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 1.0 / 3.0, 1.0 / 3.0},
};

/* A converter from @in_info to the rectangle @dest of @out_info (same
 * format; the rest of the output is filled with black) with @method and at
 * most @n_threads threads.  NULL when GStreamer cannot make one. */
GstVideoConverter *
gst_eclut_scale_resample_new (const GstVideoInfo * in_info,
    const GstVideoInfo * out_info, const GstVideoRectangle * dest,
    GstEclutScaleMethod method, guint n_threads)
{
  GstStructure *options;

  g_return_val_if_fail (method < G_N_ELEMENTS (methods), NULL);

  options = gst_structure_new ("GstEclutScaleResample",
      GST_VIDEO_CONVERTER_OPT_RESAMPLER_METHOD,
      GST_TYPE_VIDEO_RESAMPLER_METHOD, methods[method].resampler,
      GST_VIDEO_CONVERTER_OPT_DEST_X, G_TYPE_INT, dest->x,
      GST_VIDEO_CONVERTER_OPT_DEST_Y, G_TYPE_INT, dest->y,
      GST_VIDEO_CONVERTER_OPT_DEST_WIDTH, G_TYPE_INT, dest->w,
      GST_VIDEO_CONVERTER_OPT_DEST_HEIGHT, G_TYPE_INT, dest->h,
      GST_VIDEO_CONVERTER_OPT_THREADS, G_TYPE_UINT, n_threads, NULL);
  if (methods[method].max_taps > 0)
    gst_structure_set (options, GST_VIDEO_RESAMPLER_OPT_MAX_TAPS, G_TYPE_INT,
        methods[method].max_taps, NULL);
  if (methods[method].resampler == GST_VIDEO_RESAMPLER_METHOD_CUBIC)
    gst_structure_set (options,
        GST_VIDEO_RESAMPLER_OPT_CUBIC_B, G_TYPE_DOUBLE, methods[method].cubic_b,
        GST_VIDEO_RESAMPLER_OPT_CUBIC_C, G_TYPE_DOUBLE, methods[method].cubic_c,
        NULL);

  return gst_video_converter_new ((GstVideoInfo *) in_info,
      (GstVideoInfo *) out_info, options);
}
