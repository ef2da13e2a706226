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

/* Helpers shared by the eclutscale GstCheck tests (included by each test
 * program, so they stay static). */

#ifndef __ECLUT_CHECK_UTIL_H__
#define __ECLUT_CHECK_UTIL_H__

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <string.h>

#include <gst/video/video.h>

G_GNUC_UNUSED static gchar *
shipped_lut_path (guint scale)
{
  gchar *name = g_strdup_printf ("eclut-x%u.lut", scale);
  gchar *path = g_build_filename (ECLUT_TEST_LUT_DIR, name, NULL);

  g_free (name);
  return path;
}

static GstElement *
make_scaler (guint scale, guint n_threads, const gchar * lut_path)
{
  GstElement *e = gst_element_factory_make ("eclutscale", NULL);

  fail_unless (e != NULL, "eclutscale not found: is GST_PLUGIN_PATH set?");
  g_object_set (e, "scale", scale, "n-threads", n_threads, "lut-path",
      lut_path, NULL);
  return e;
}

static GstHarness *
harness_for (GstElement * e)
{
  GstHarness *h = gst_harness_new_with_element (e, "sink", "src");

  gst_object_unref (e);
  return h;
}

/* A buffer for @info filled with pseudo-random bytes (padding included) */
static GstBuffer *
random_buffer (const GstVideoInfo * info, guint32 seed)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, info->size, NULL);
  GRand *rand = g_rand_new_with_seed (seed);
  GstMapInfo map;
  gsize i;

  fail_unless (gst_buffer_map (buf, &map, GST_MAP_WRITE));
  for (i = 0; i < map.size; i++)
    map.data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  gst_buffer_unmap (buf, &map);
  g_rand_free (rand);

  return buf;
}

/* Bytes of pixel data in one row of plane @p */
G_GNUC_UNUSED static guint
plane_row_bytes (const GstVideoInfo * info, guint p)
{
  gint comp[GST_VIDEO_MAX_COMPONENTS];

  gst_video_format_info_component (info->finfo, p, comp);
  return GST_VIDEO_INFO_COMP_WIDTH (info, comp[0]) *
      GST_VIDEO_INFO_COMP_PSTRIDE (info, comp[0]);
}

G_GNUC_UNUSED static guint
plane_rows (const GstVideoInfo * info, guint p)
{
  gint comp[GST_VIDEO_MAX_COMPONENTS];

  gst_video_format_info_component (info->finfo, p, comp);
  return GST_VIDEO_INFO_COMP_HEIGHT (info, comp[0]);
}

/* TRUE when the two frames hold the same pixels (the padding and the
 * strides may differ) */
G_GNUC_UNUSED static gboolean
frames_equal (GstBuffer * a, const GstVideoInfo * ia, GstBuffer * b,
    const GstVideoInfo * ib)
{
  GstVideoFrame fa, fb;
  gboolean equal = TRUE;
  guint p, y;

  fail_unless (gst_video_frame_map (&fa, (GstVideoInfo *) ia, a, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&fb, (GstVideoInfo *) ib, b, GST_MAP_READ));
  fail_unless_equals_int (GST_VIDEO_FRAME_WIDTH (&fa),
      GST_VIDEO_FRAME_WIDTH (&fb));
  fail_unless_equals_int (GST_VIDEO_FRAME_HEIGHT (&fa),
      GST_VIDEO_FRAME_HEIGHT (&fb));
  for (p = 0; equal && p < GST_VIDEO_FRAME_N_PLANES (&fa); p++) {
    guint row_bytes = plane_row_bytes (ia, p);

    for (y = 0; equal && y < plane_rows (ia, p); y++) {
      const guint8 *ra = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fa, p)
          + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&fa, p);
      const guint8 *rb = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fb, p)
          + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&fb, p);

      equal = memcmp (ra, rb, row_bytes) == 0;
    }
  }
  gst_video_frame_unmap (&fb);
  gst_video_frame_unmap (&fa);

  return equal;
}

/* Runs the pipeline @desc to EOS and returns the caps that were current on
 * pad @pad_name ("sink" or "src") of its element named "e" */
G_GNUC_UNUSED static GstCaps *
run_and_get_caps (const gchar * pad_name, const gchar * desc)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);
  GstElement *e;
  GstMessage *msg;
  GstPad *pad;
  GstCaps *caps;

  fail_unless (pipe != NULL, "%s: %s", desc, err ? err->message : "?");
  g_assert_no_error (err);
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipe), 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "%s: timeout", desc);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *gerr = NULL;

    gst_message_parse_error (msg, &gerr, NULL);
    fail ("%s: %s", desc, gerr->message);
  }
  gst_message_unref (msg);

  e = gst_bin_get_by_name (GST_BIN (pipe), "e");
  pad = gst_element_get_static_pad (e, pad_name);
  caps = gst_pad_get_current_caps (pad);
  gst_object_unref (pad);
  gst_object_unref (e);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);

  fail_unless (caps != NULL);
  return caps;
}

#endif /* __ECLUT_CHECK_UTIL_H__ */
