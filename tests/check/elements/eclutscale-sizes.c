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

/* GstCheck tests of eclutscale at sizes other than r times the input:
 * negotiation of size and pixel-aspect-ratio (borders included), the
 * pixels of the resampled paths against a plain per-plane GstVideoScaler
 * reference fed with the table's own luma and the input's chroma,
 * passthrough, downscaling, renegotiation while playing, crop meta,
 * navigation, the thread cap and bad requests. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>
#include <gst/video/navigation.h>

#include "eclut-check-util.h"

/* A scaler with method=bilinear, the method the references below use */
static GstHarness *
bilinear_harness (guint scale, guint n_threads)
{
  GstElement *e = make_scaler (scale, n_threads, NULL);

  gst_util_set_object_arg (G_OBJECT (e), "method", "bilinear");
  return harness_for (e);
}

/* ---------------------------------------------------------------------- */
/* Negotiation                                                            */

/* The jobs of the issue: each negotiates to the requested size, with the
 * pixel-aspect-ratio that keeps the picture's shape */
GST_START_TEST (test_negotiate_common_sizes)
{
  static const struct
  {
    gint in_w, in_h, in_par_n, in_par_d;
    const gchar *downstream;
    gint out_w, out_h, out_par_n, out_par_d;
  } cases[] = {
    {1280, 720, 1, 1, "video/x-raw, width=1920, height=1080", 1920, 1080, 1,
        1},
    /* DVD, 16:9 anamorphic and 4:3 */
    {720, 480, 32, 27, "video/x-raw, width=1920, height=1080", 1920, 1080, 1,
        1},
    {720, 480, 8, 9, "video/x-raw, width=1920, height=1080", 1920, 1080, 3, 4},
    {720, 480, 8, 9, "video/x-raw, width=1920, height=1080, "
          "pixel-aspect-ratio=1/1", 1920, 1080, 1, 1},
    {1920, 1080, 1, 1, "video/x-raw, width=2560, height=1440", 2560, 1440, 1,
        1},
    {960, 540, 1, 1, "video/x-raw, width=3840, height=2160", 3840, 2160, 1, 1},
    {640, 360, 1, 1, "video/x-raw, width=1280, height=720", 1280, 720, 1, 1},
    /* only the width fixed, square pixels: the height follows */
    {720, 480, 1, 1, "video/x-raw, width=1920, pixel-aspect-ratio=1/1", 1920,
        1280, 1, 1},
    /* nothing asked: the table's own x2 */
    {720, 480, 32, 27, "video/x-raw", 1440, 960, 32, 27},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GstHarness *h = harness_for (make_scaler (0, 1, NULL));
    GstVideoInfo out_info;
    GstBuffer *out;
    gchar *in_caps = g_strdup_printf ("video/x-raw, format=I420, width=%d, "
        "height=%d, pixel-aspect-ratio=%d/%d, framerate=25/1", cases[i].in_w,
        cases[i].in_h, cases[i].in_par_n, cases[i].in_par_d);

    out = push_with_caps (h, in_caps, cases[i].downstream,
        buffer_for (GST_VIDEO_FORMAT_I420, cases[i].in_w, cases[i].in_h, i),
        &out_info);
    fail_unless (GST_VIDEO_INFO_WIDTH (&out_info) == cases[i].out_w &&
        GST_VIDEO_INFO_HEIGHT (&out_info) == cases[i].out_h,
        "case %u: %dx%d, expected %dx%d", i, GST_VIDEO_INFO_WIDTH (&out_info),
        GST_VIDEO_INFO_HEIGHT (&out_info), cases[i].out_w, cases[i].out_h);
    fail_unless (GST_VIDEO_INFO_PAR_N (&out_info) == cases[i].out_par_n &&
        GST_VIDEO_INFO_PAR_D (&out_info) == cases[i].out_par_d,
        "case %u: PAR %d/%d, expected %d/%d", i,
        GST_VIDEO_INFO_PAR_N (&out_info), GST_VIDEO_INFO_PAR_D (&out_info),
        cases[i].out_par_n, cases[i].out_par_d);
    gst_buffer_unref (out);
    gst_harness_teardown (h);
    g_free (in_caps);
  }
}

GST_END_TEST;

/* The pipeline of the issue that failed to link before */
GST_START_TEST (test_pipeline_640x360_to_1080p)
{
  GstCaps *caps = run_and_get_caps ("src", "videotestsrc num-buffers=2 ! "
      "video/x-raw,width=640,height=360 ! eclutscale name=e n-threads=1 ! "
      "video/x-raw,width=1920,height=1080 ! fakesink");

  assert_size (caps, 1920, 1080);
  gst_caps_unref (caps);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Pixels                                                                 */

/* The table's own r x output of @in (a fresh element, unconstrained) */
static GstBuffer *
table_output (const gchar * format, gint w, gint h, guint scale,
    GstBuffer * in, GstVideoInfo * info)
{
  gchar *caps = caps_string (format, w, h);
  GstBuffer *out = scale_fresh (caps, NULL, scale, 1, gst_buffer_ref (in),
      info);

  fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (info), w * scale);
  g_free (caps);

  return out;
}

/* A forced scale of 3 with a 1.5x output, and auto at 1.5x (x2): the
 * table's luma and the input's chroma, resampled; every format */
GST_START_TEST (test_forced_scale3_at_1_5x)
{
  static const gchar *formats[] = { "GRAY8", "I420", "NV12", "Y444" };
  guint f, forced;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    GstVideoFormat fmt = gst_video_format_from_string (formats[f]);

    for (forced = 0; forced <= 3; forced += 3) {
      guint r = forced ? forced : 2;
      GstHarness *h = bilinear_harness (forced, 1);
      GstVideoInfo in_info, out_info, table_info;
      GstVideoRectangle all = { 0, 0, 96, 72 };
      GstBuffer *in = buffer_for (fmt, 64, 48, 10 + f);
      GstBuffer *out, *table, *want;
      gchar *caps = caps_string (formats[f], 64, 48);

      out = push_with_caps (h, caps, "video/x-raw, width=96, height=72",
          gst_buffer_ref (in), &out_info);
      fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&out_info), 96);
      fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&out_info), 72);

      table = table_output (formats[f], 64, 48, r, in, &table_info);
      gst_video_info_set_format (&in_info, fmt, 64, 48);
      in_info.fps_n = 30;
      /* luma: the table's, resampled; chroma: the input's, resampled */
      want = resample_table_reference (in, &in_info, table, &table_info,
          &out_info, &all);
      fail_unless (frames_equal (out, &out_info, want, &out_info),
          "%s scale=%u: not the x%u table output resampled", formats[f],
          forced, r);

      gst_buffer_unref (want);
      gst_buffer_unref (table);
      gst_buffer_unref (out);
      gst_buffer_unref (in);
      gst_harness_teardown (h);
      g_free (caps);
    }
  }
}

GST_END_TEST;

/* The auto rule: the largest table factor not above the larger axis's
 * ratio (2 below 2x, 4 above 4x); the output is that table's luma
 * resampled, or the table's output itself at exactly r times */
GST_START_TEST (test_auto_factor)
{
  static const struct
  {
    gint out_w, out_h;
    guint r;
  } cases[] = {
    {96, 72, 2}, {144, 108, 2}, {160, 120, 2}, {128, 150, 3}, {224, 168, 3},
    {256, 192, 4}, {320, 240, 4}, {192, 144, 3},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    GstHarness *h = bilinear_harness (0, 1);
    GstVideoInfo in_info, out_info, table_info;
    GstVideoRectangle all = { 0, 0, cases[i].out_w, cases[i].out_h };
    GstBuffer *in = buffer_for (GST_VIDEO_FORMAT_GRAY8, 64, 48, 50 + i);
    GstBuffer *out, *table, *want;
    gchar *sink = g_strdup_printf ("video/x-raw, width=%d, height=%d, "
        "pixel-aspect-ratio=[1/100, 100/1]", cases[i].out_w, cases[i].out_h);

    out = push_with_caps (h, "video/x-raw, format=GRAY8, width=64, "
        "height=48, framerate=30/1", sink, gst_buffer_ref (in), &out_info);
    fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&out_info), cases[i].out_w);
    table = table_output ("GRAY8", 64, 48, cases[i].r, in, &table_info);
    gst_video_info_set_format (&in_info, GST_VIDEO_FORMAT_GRAY8, 64, 48);
    want = resample_table_reference (in, &in_info, table, &table_info,
        &out_info, &all);
    fail_unless (frames_equal (out, &out_info, want, &out_info),
        "64x48 -> %dx%d is not the x%u table resampled", cases[i].out_w,
        cases[i].out_h, cases[i].r);

    gst_buffer_unref (want);
    gst_buffer_unref (table);
    gst_buffer_unref (out);
    gst_buffer_unref (in);
    gst_harness_teardown (h);
    g_free (sink);
  }
}

GST_END_TEST;

/* One job of test_methods: @format from @in_w x @in_h to @out_w x @out_h
 * with @method and @threads, against GstVideoScaler with videoscale's
 * settings (after the x@table table, or alone if 0) */
static void
check_method (const gchar * format, const gchar * method, gint in_w,
    gint in_h, gint out_w, gint out_h, guint table, guint threads)
{
  GstElement *e = make_scaler (0, threads, NULL);
  GstHarness *h;
  GstVideoInfo in_info, out_info, table_info;
  GstVideoRectangle all = { 0, 0, out_w, out_h };
  GstVideoFormat fmt = gst_video_format_from_string (format);
  GstBuffer *in = buffer_for (fmt, in_w, in_h, 70 + in_w);
  GstBuffer *out, *want;
  gchar *caps = caps_string (format, in_w, in_h);
  gchar *sink = g_strdup_printf ("video/x-raw, width=%d, height=%d, "
      "pixel-aspect-ratio=[1/100, 100/1]", out_w, out_h);

  gst_util_set_object_arg (G_OBJECT (e), "method", method);
  h = harness_for (e);
  out = push_with_caps (h, caps, sink, gst_buffer_ref (in), &out_info);
  fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&out_info), out_w);
  gst_video_info_set_format (&in_info, fmt, in_w, in_h);
  in_info.fps_n = 30;
  if (table) {
    GstBuffer *t = table_output (format, in_w, in_h, table, in, &table_info);

    want = resample_table_reference_method (method, in, &in_info, t,
        &table_info, &out_info, &all);
    gst_buffer_unref (t);
  } else {
    want = resample_reference_method (method, in, &in_info, NULL, 0, 0, 0,
        &out_info, &all);
  }
  fail_unless (frames_equal (out, &out_info, want, &out_info),
      "%s method=%s n-threads=%u: %dx%d -> %dx%d is not GstVideoScaler's",
      format, method, threads, in_w, in_h, out_w, out_h);

  gst_buffer_unref (want);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
  g_free (caps);
  g_free (sink);
}

/* Every method against GstVideoScaler with videoscale's settings, 8 and
 * 10 bits (P010's interleaved chroma too): the element runs its own
 * filters where they give the same output (see gsteclutscaleresample.c),
 * so widths that take their SIMD code and their C tails, shrinking (many
 * taps) and growing, with the table and without (its rows streamed through
 * a ring at x2 and x3), and stripes */
GST_START_TEST (test_methods)
{
  static const gchar *formats[] = { "I420", "I420_10LE", "P010_10LE" };
  static const gchar *methods[] = { "nearest-neighbour", "bilinear", "4-tap",
    "lanczos", "bilinear2", "sinc", "hermite", "spline", "catrom", "mitchell"
  };
  static const struct
  {
    gint in_w, in_h, out_w, out_h;
    guint table;                /* the factor auto picks (by the larger
                                 * ratio), 0: none */
  } cases[] = {
    {160, 120, 101, 57, 0}, {64, 48, 150, 100, 2}, {96, 40, 333, 150, 3},
    {200, 64, 70, 190, 2},
    /* tall: the streamed table rows wrap their ring many times per stripe */
    {48, 160, 72, 240, 2},
  };
  guint f, m, i, threads;

  for (f = 0; f < G_N_ELEMENTS (formats); f++)
    for (m = 0; m < G_N_ELEMENTS (methods); m++)
      for (i = 0; i < G_N_ELEMENTS (cases); i++)
        for (threads = 1; threads <= 3; threads += 2)
          check_method (formats[f], methods[m], cases[i].in_w, cases[i].in_h,
              cases[i].out_w, cases[i].out_h, cases[i].table, threads);
}

GST_END_TEST;

/* Not larger on either axis: no table, the resampler alone */
GST_START_TEST (test_downscale)
{
  static const gint sizes[][2] = { {32, 24}, {64, 20}, {50, 48} };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    GstHarness *h = bilinear_harness (0, 1);
    GstVideoInfo in_info, out_info;
    GstVideoRectangle all = { 0, 0, sizes[i][0], sizes[i][1] };
    GstBuffer *in = buffer_for (GST_VIDEO_FORMAT_I420, 64, 48, 20 + i);
    GstBuffer *out, *want;
    gchar *sink = g_strdup_printf ("video/x-raw, width=%d, height=%d, "
        "pixel-aspect-ratio=[1/100, 100/1]", sizes[i][0], sizes[i][1]);

    out = push_with_caps (h, "video/x-raw, format=I420, width=64, height=48, "
        "framerate=30/1", sink, gst_buffer_ref (in), &out_info);
    fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&out_info), sizes[i][0]);
    fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&out_info), sizes[i][1]);
    gst_video_info_set_format (&in_info, GST_VIDEO_FORMAT_I420, 64, 48);
    in_info.fps_n = 30;
    want = resample_reference (in, &in_info, NULL, 0, 0, 0, &out_info, &all);
    fail_unless (frames_equal (out, &out_info, want, &out_info),
        "64x48 -> %dx%d", sizes[i][0], sizes[i][1]);

    gst_buffer_unref (want);
    gst_buffer_unref (out);
    gst_buffer_unref (in);
    gst_harness_teardown (h);
    g_free (sink);
  }
}

GST_END_TEST;

/* Same size: the input buffer itself goes on */
GST_START_TEST (test_passthrough)
{
  GstHarness *h = harness_for (make_scaler (0, 1, NULL));
  GstVideoInfo out_info;
  GstBuffer *in = buffer_for (GST_VIDEO_FORMAT_NV12, 64, 48, 3);
  GstBuffer *out;

  out = push_with_caps (h, "video/x-raw, format=NV12, width=64, height=48, "
      "framerate=30/1", "video/x-raw, width=64, height=48",
      gst_buffer_ref (in), &out_info);
  fail_unless (gst_base_transform_is_passthrough (GST_BASE_TRANSFORM
          (h->element)), "caps %s -> %s",
      gst_caps_to_string (gst_pad_get_current_caps (h->srcpad)),
      gst_caps_to_string (gst_pad_get_current_caps (h->sinkpad)));
  fail_unless (out == in, "not passed through");
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* 720x480 at 8:9 (4:3) into square-pixel 1080p: black bars left and
 * right, the picture between them the table's x2 luma resampled */
GST_START_TEST (test_borders)
{
  GstHarness *h = bilinear_harness (0, 1);
  GstVideoInfo out_info, table_info;
  GstVideoRectangle pic = { 240, 0, 1440, 1080 };
  GstBuffer *in = buffer_for (GST_VIDEO_FORMAT_I420, 720, 480, 4);
  GstBuffer *out, *table, *want;
  GstVideoFrame f;
  /* colorimetry and siting given, as a real stream has them (the defaults
   * of SD and HD sizes differ) */
  const gchar *caps = "video/x-raw, format=I420, width=720, height=480, "
      "pixel-aspect-ratio=8/9, framerate=30/1, colorimetry=bt601, "
      "chroma-site=jpeg";

  out = push_with_caps (h, caps, "video/x-raw, width=1920, height=1080, "
      "pixel-aspect-ratio=1/1", gst_buffer_ref (in), &out_info);
  fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&out_info), 1920);
  fail_unless_equals_int (GST_VIDEO_INFO_PAR_N (&out_info), 1);

  fail_unless (gst_video_frame_map (&f, &out_info, out, GST_MAP_READ));
  fail_unless_equals_int (((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0))[0],
      16);
  fail_unless_equals_int (((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 0))
      [1919], 16);
  fail_unless_equals_int (((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, 1))[0],
      128);
  gst_video_frame_unmap (&f);

  /* x2: 1080 / 480 = 2.25 is the larger ratio, and below 3 */
  {
    GstVideoInfo in_info;

    table = scale_fresh (caps, NULL, 2, 1, gst_buffer_ref (in), &table_info);
    gst_video_info_set_format (&in_info, GST_VIDEO_FORMAT_I420, 720, 480);
    want = resample_table_reference (in, &in_info, table, &table_info,
        &out_info, &pic);
  }
  fail_unless (frames_equal (out, &out_info, want, &out_info));

  gst_buffer_unref (want);
  gst_buffer_unref (table);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Output sizes that change while playing (downstream asks again), then an
 * input size change with the output fixed; every output is the size asked
 * and what a fresh element makes */
GST_START_TEST (test_renegotiate_sizes_playing)
{
  static const struct
  {
    gint in_w, in_h, out_w, out_h;
  } steps[] = {
    {64, 48, 96, 72}, {64, 48, 128, 96}, {64, 48, 32, 24}, {64, 48, 64, 48},
    {64, 48, 250, 188}, {40, 30, 250, 188}, {64, 48, 96, 72},
  };
  GstHarness *h = harness_for (make_scaler (0, 2, NULL));
  guint i;

  for (i = 0; i < G_N_ELEMENTS (steps); i++) {
    GstHarness *fresh = harness_for (make_scaler (0, 1, NULL));
    GstVideoInfo out_info, fresh_info;
    GstBuffer *in = buffer_for (GST_VIDEO_FORMAT_I420, steps[i].in_w,
        steps[i].in_h, 40 + i);
    GstBuffer *out, *want;
    gchar *caps = g_strdup_printf ("video/x-raw, format=I420, width=%d, "
        "height=%d, framerate=30/1", steps[i].in_w, steps[i].in_h);
    gchar *sink = g_strdup_printf ("video/x-raw, width=%d, height=%d, "
        "pixel-aspect-ratio=[1/100, 100/1]", steps[i].out_w, steps[i].out_h);

    out = push_with_caps (h, caps, sink, gst_buffer_ref (in), &out_info);
    fail_unless (GST_VIDEO_INFO_WIDTH (&out_info) == steps[i].out_w &&
        GST_VIDEO_INFO_HEIGHT (&out_info) == steps[i].out_h,
        "step %u: %dx%d", i, GST_VIDEO_INFO_WIDTH (&out_info),
        GST_VIDEO_INFO_HEIGHT (&out_info));
    want = push_with_caps (fresh, caps, sink, gst_buffer_ref (in),
        &fresh_info);
    fail_unless (frames_equal (out, &out_info, want, &out_info),
        "step %u differs from a fresh element", i);

    gst_buffer_unref (want);
    gst_buffer_unref (out);
    gst_buffer_unref (in);
    gst_harness_teardown (fresh);
    g_free (caps);
    g_free (sink);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Metas, events, threads                                                 */

GST_START_TEST (test_crop_meta)
{
  GstHarness *h = harness_for (make_scaler (0, 1, NULL));
  GstVideoInfo out_info;
  GstBuffer *in = buffer_for (GST_VIDEO_FORMAT_I420, 64, 48, 5);
  GstBuffer *out;
  GstVideoCropMeta *crop;
  GstQuery *query;
  GstCaps *caps;

  /* downstream could crop, but the element does not offer it upstream:
   * it scales whole frames */
  gst_harness_add_propose_allocation_meta (h, GST_VIDEO_CROP_META_API_TYPE,
      NULL);
  crop = gst_buffer_add_video_crop_meta (in);
  crop->x = 8;
  crop->y = 4;
  crop->width = 32;
  crop->height = 20;
  out = push_with_caps (h, "video/x-raw, format=I420, width=64, height=48, "
      "framerate=30/1", "video/x-raw, width=96, height=72",
      gst_buffer_ref (in), &out_info);

  caps = gst_caps_from_string ("video/x-raw, format=I420, width=64, "
      "height=48, framerate=30/1");
  query = gst_query_new_allocation (caps, TRUE);
  gst_pad_peer_query (h->srcpad, query);
  fail_if (gst_query_find_allocation_meta (query,
          GST_VIDEO_CROP_META_API_TYPE, NULL));
  gst_query_unref (query);
  gst_caps_unref (caps);

  /* a crop meta that comes anyway marks the same part of the picture */
  crop = gst_buffer_get_video_crop_meta (out);
  fail_unless (crop != NULL, "crop meta lost");
  fail_unless_equals_int (crop->x, 12);
  fail_unless_equals_int (crop->y, 6);
  fail_unless_equals_int (crop->width, 48);
  fail_unless_equals_int (crop->height, 30);
  fail_unless_equals_int (gst_buffer_get_n_meta (out,
          GST_VIDEO_CROP_META_API_TYPE), 1);
  gst_buffer_unref (out);
  gst_buffer_unref (in);

  /* with borders: 4:3 in a 16:9 frame, the picture at x = 16 of 128 */
  in = buffer_for (GST_VIDEO_FORMAT_I420, 64, 48, 6);
  crop = gst_buffer_add_video_crop_meta (in);
  crop->x = 8;
  crop->y = 4;
  crop->width = 32;
  crop->height = 20;
  out = push_with_caps (h, "video/x-raw, format=I420, width=64, height=48, "
      "pixel-aspect-ratio=1/1, framerate=30/1",
      "video/x-raw, width=128, height=72, pixel-aspect-ratio=1/1",
      gst_buffer_ref (in), &out_info);
  crop = gst_buffer_get_video_crop_meta (out);
  fail_unless (crop != NULL);
  fail_unless_equals_int (crop->x, 16 + 12);
  fail_unless_equals_int (crop->y, 6);
  fail_unless_equals_int (crop->width, 48);
  fail_unless_equals_int (crop->height, 30);
  gst_buffer_unref (out);
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_navigation_1_5x)
{
  GstHarness *h = harness_for (make_scaler (0, 1, NULL));
  GstVideoInfo out_info;

  gst_buffer_unref (push_with_caps (h, "video/x-raw, format=I420, width=64, "
          "height=48, framerate=30/1", "video/x-raw, width=96, height=72",
          buffer_for (GST_VIDEO_FORMAT_I420, 64, 48, 1), &out_info));
  check_navigation (h, 90.0, 60.0, 60.0, 40.0);
  check_navigation (h, 0.0, 71.0, 0.0, 71.0 * 48 / 72);

  /* with borders: the picture is 96x72 at x = 16 of a 128x72 frame */
  gst_buffer_unref (push_with_caps (h, "video/x-raw, format=I420, width=64, "
          "height=48, pixel-aspect-ratio=1/1, framerate=30/1",
          "video/x-raw, width=128, height=72, pixel-aspect-ratio=1/1",
          buffer_for (GST_VIDEO_FORMAT_I420, 64, 48, 2), &out_info));
  check_navigation (h, 16.0 + 90.0, 60.0, 60.0, 40.0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Threads of this process, or -1 where /proc does not say */
static gint
count_threads (void)
{
  GDir *d = g_dir_open ("/proc/self/task", 0, NULL);
  gint n = 0;

  if (d == NULL)
    return -1;
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

/* n-threads=1000 starts no more threads than there are CPU cores, on the
 * table path and on the resampled path */
GST_START_TEST (test_n_threads_capped)
{
  static const gchar *sinks[] = {
    "video/x-raw, width=1280, height=960",
    "video/x-raw, width=1000, height=750",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sinks); i++) {
    gint before = count_threads ();
    GstHarness *h;
    GstVideoInfo out_info;
    GstBuffer *out;
    gint after;

    if (before < 0)
      return;
    h = harness_for (make_scaler (0, 1000, NULL));
    out = push_with_caps (h, "video/x-raw, format=GRAY8, width=640, "
        "height=480, framerate=30/1", sinks[i],
        buffer_for (GST_VIDEO_FORMAT_GRAY8, 640, 480, 7), &out_info);
    after = count_threads ();
    GST_INFO ("%s: %d threads before, %d after, %u CPUs", sinks[i], before,
        after, g_get_num_processors ());
    /* both stages share one pool of at most one thread per CPU (the
     * streaming thread runs a stripe itself); twice that leaves room for
     * GLib's own helpers.  Without the cap, 999 threads. */
    fail_unless (after - before <= (gint) (2 * g_get_num_processors ()),
        "%s: %d threads started", sinks[i], after - before);
    gst_buffer_unref (out);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Bad requests                                                           */

GST_START_TEST (test_bad_requests)
{
  /* interlaced caps that bypass the pad template */
  check_negotiation_error (0, "video/x-raw, format=I420, width=64, height=48, "
      "interlace-mode=interleaved, framerate=30/1", NULL, FALSE, "interlaced",
      NULL);
  /* a forced x4 whose intermediate frame cannot be described, although
   * the output could */
  check_negotiation_error (4, "video/x-raw, format=GRAY8, width=600000000, "
      "height=1, framerate=30/1", "video/x-raw, width=600000001, height=1",
      FALSE, "too large", NULL);
  /* downstream asks for a size GStreamer cannot describe */
  check_negotiation_error (0, "video/x-raw, format=I420, width=64, height=48, "
      "framerate=30/1", "video/x-raw, width=2147483647, height=2", FALSE,
      "exceeds", NULL);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* 10 bits                                                                */

/* Sizes other than r times at 10 bits, each format: auto (x2) and a
 * forced x3 at 1.5x (the table's luma and the input's chroma resampled),
 * a downscale (resampling only) and borders */
GST_START_TEST (test_ten_bit_sizes)
{
  static const gchar *formats[] = { "I420_10LE", "I422_10LE", "Y444_10LE",
    "P010_10LE"
  };
  static const struct
  {
    guint forced;
    gint w, h;
    const gchar *sink;
    GstVideoRectangle dest;
  } cases[] = {
    {0, 96, 72, "video/x-raw, width=96, height=72", {0, 0, 96, 72}},
    {3, 96, 72, "video/x-raw, width=96, height=72", {0, 0, 96, 72}},
    {0, 40, 30, "video/x-raw, width=40, height=30", {0, 0, 40, 30}},
    /* 4:3 into 16:9: borders left and right */
    {0, 160, 72, "video/x-raw, width=160, height=72, pixel-aspect-ratio=1/1",
        {32, 0, 96, 72}},
  };
  guint f, i;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    GstVideoFormat fmt = gst_video_format_from_string (formats[f]);

    for (i = 0; i < G_N_ELEMENTS (cases); i++) {
      GstHarness *h = bilinear_harness (cases[i].forced, 1);
      GstVideoInfo in_info, out_info, table_info;
      GstBuffer *in = buffer_for (fmt, 64, 48, 40 + 4 * f + i);
      GstBuffer *out, *want;
      gchar *caps = caps_string (formats[f], 64, 48);

      out = push_with_caps (h, caps, cases[i].sink, gst_buffer_ref (in),
          &out_info);
      fail_unless_equals_string (GST_VIDEO_INFO_NAME (&out_info),
          formats[f]);
      fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&out_info), cases[i].w);
      fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&out_info), cases[i].h);
      gst_video_info_set_format (&in_info, fmt, 64, 48);
      in_info.fps_n = 30;
      if (cases[i].w < 64) {
        want = resample_reference (in, &in_info, NULL, 0, 0, 0, &out_info,
            &cases[i].dest);
      } else {
        GstBuffer *table = table_output (formats[f], 64, 48,
            cases[i].forced ? cases[i].forced : 2, in, &table_info);

        want = resample_table_reference (in, &in_info, table, &table_info,
            &out_info, &cases[i].dest);
        gst_buffer_unref (table);
      }
      fail_unless (frames_equal (out, &out_info, want, &out_info),
          "%s 64x48 -> %dx%d (scale=%u): not the reference", formats[f],
          cases[i].w, cases[i].h, cases[i].forced);

      gst_buffer_unref (want);
      gst_buffer_unref (out);
      gst_buffer_unref (in);
      gst_harness_teardown (h);
      g_free (caps);
    }
  }
}

GST_END_TEST;

static Suite *
eclutscale_sizes_suite (void)
{
  Suite *s = suite_create ("eclutscale_sizes");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_negotiate_common_sizes);
  tcase_add_test (tc, test_pipeline_640x360_to_1080p);
  tcase_add_test (tc, test_forced_scale3_at_1_5x);
  tcase_add_test (tc, test_auto_factor);
  tcase_add_test (tc, test_downscale);
  tcase_add_test (tc, test_methods);
  tcase_add_test (tc, test_passthrough);
  tcase_add_test (tc, test_borders);
  tcase_add_test (tc, test_renegotiate_sizes_playing);
  tcase_add_test (tc, test_crop_meta);
  tcase_add_test (tc, test_navigation_1_5x);
  tcase_add_test (tc, test_n_threads_capped);
  tcase_add_test (tc, test_bad_requests);
  tcase_add_test (tc, test_ten_bit_sizes);

  return s;
}

GST_CHECK_MAIN (eclutscale_sizes);
