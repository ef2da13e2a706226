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

/* Pushes @in with caps @in_caps through @h (downstream allows
 * @sink_caps) and returns the output; @out_info gets its format */
static GstBuffer *
push_with_caps (GstHarness * h, const gchar * in_caps, const gchar * sink_caps,
    GstBuffer * in, GstVideoInfo * out_info)
{
  GstBuffer *out;
  GstCaps *caps;

  if (sink_caps)
    gst_harness_set_sink_caps_str (h, sink_caps);
  gst_harness_set_src_caps_str (h, in_caps);
  out = gst_harness_push_and_pull (h, in);
  fail_unless (out != NULL, "%s -> %s: no output", in_caps, sink_caps);
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (caps != NULL);
  fail_unless (gst_video_info_from_caps (out_info, caps));
  gst_caps_unref (caps);
  fail_unless (gst_buffer_get_size (out) >= out_info->size);

  return out;
}

/* A scaler with method=bilinear, the method the references below use */
static GstHarness *
bilinear_harness (guint scale, guint n_threads)
{
  GstElement *e = make_scaler (scale, n_threads, NULL);

  gst_util_set_object_arg (G_OBJECT (e), "method", "bilinear");
  return harness_for (e);
}

static GstBuffer *
buffer_for (GstVideoFormat format, gint w, gint h, guint32 seed)
{
  GstVideoInfo info;

  gst_video_info_set_format (&info, format, w, h);
  return random_buffer (&info, seed);
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
  GstStructure *s = gst_caps_get_structure (caps, 0);
  gint w, h;

  fail_unless (gst_structure_get_int (s, "width", &w));
  fail_unless (gst_structure_get_int (s, "height", &h));
  fail_unless_equals_int (w, 1920);
  fail_unless_equals_int (h, 1080);
  gst_caps_unref (caps);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Pixels                                                                 */

/* The resampling the element documents, written out plainly: each plane
 * through GstVideoScaler with videoscale's bilinear settings (the default
 * method), every output row scaled vertically then horizontally, into the
 * picture rectangle @dest; the rest black.  The luma plane comes from
 * @luma (@lw x @lh) when given, else from @in. */
static GstBuffer *
resample_reference (GstBuffer * in, const GstVideoInfo * in_info,
    const guint8 * luma, gint luma_stride, guint lw, guint lh,
    const GstVideoInfo * out_info, const GstVideoRectangle * dest)
{
  const GstVideoFormatInfo *finfo = out_info->finfo;
  GstBuffer *out = gst_buffer_new_allocate (NULL, out_info->size, NULL);
  GstStructure *opts = gst_structure_new ("opts",
      GST_VIDEO_RESAMPLER_OPT_MAX_TAPS, G_TYPE_INT, 2, NULL);
  GstVideoFrame fin, fout;
  guint p;

  fail_unless (gst_video_frame_map (&fin, (GstVideoInfo *) in_info, in,
          GST_MAP_READ));
  fail_unless (gst_video_frame_map (&fout, (GstVideoInfo *) out_info, out,
          GST_MAP_WRITE));
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (out_info); p++) {
    gint comp[GST_VIDEO_MAX_COMPONENTS];
    const guint8 *src = GST_VIDEO_FRAME_PLANE_DATA (&fin, p);
    gint sstride = GST_VIDEO_FRAME_PLANE_STRIDE (&fin, p);
    guint8 *dst = GST_VIDEO_FRAME_PLANE_DATA (&fout, p);
    gint dstride = GST_VIDEO_FRAME_PLANE_STRIDE (&fout, p);
    guint sw, sh, ow, oh, ps, x, y, t;
    gint dx, dy, dw, dh, c;
    GstVideoFormat sf;
    GstVideoScaler *hs = NULL, *vs = NULL;
    guint8 black, *line;

    gst_video_format_info_component (finfo, p, comp);
    c = comp[0];
    sw = GST_VIDEO_INFO_COMP_WIDTH (in_info, c);
    sh = GST_VIDEO_INFO_COMP_HEIGHT (in_info, c);
    if (c == 0 && luma) {
      src = luma;
      sstride = luma_stride;
      sw = lw;
      sh = lh;
    }
    ow = GST_VIDEO_INFO_COMP_WIDTH (out_info, c);
    oh = GST_VIDEO_INFO_COMP_HEIGHT (out_info, c);
    dx = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, dest->x);
    dy = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, dest->y);
    dw = MIN (GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, dest->w),
        (gint) ow - dx);
    dh = MIN (GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, dest->h),
        (gint) oh - dy);
    ps = comp[1] >= 0 ? 2 : 1;
    sf = ps == 2 ? GST_VIDEO_FORMAT_NV12 : GST_VIDEO_FORMAT_GRAY8;
    black = c == 0 ? 16 : 128;
    if (sw != (guint) dw)
      hs = gst_video_scaler_new (GST_VIDEO_RESAMPLER_METHOD_LINEAR,
          GST_VIDEO_SCALER_FLAG_NONE, 0, sw, dw, opts);
    if (sh != (guint) dh)
      vs = gst_video_scaler_new (GST_VIDEO_RESAMPLER_METHOD_LINEAR,
          GST_VIDEO_SCALER_FLAG_NONE, 0, sh, dh, opts);
    line = g_malloc ((gsize) MAX (sw, (guint) dw) * ps);

    for (y = 0; y < oh; y++) {
      guint8 *row = dst + (gsize) y * dstride;
      const guint8 *srow;

      memset (row, black, (gsize) ow * ps);
      if ((gint) y < dy || (gint) y >= dy + dh)
        continue;
      if (vs) {
        gpointer taps[64];
        guint first, n;

        gst_video_scaler_get_coeff (vs, y - dy, &first, &n);
        fail_unless (n <= G_N_ELEMENTS (taps));
        for (t = 0; t < n; t++)
          taps[t] = (gpointer) (src + (gsize) (first + t) * sstride);
        gst_video_scaler_vertical (vs, sf, taps, line, y - dy, sw);
        srow = line;
      } else {
        srow = src + (gsize) (y - dy) * sstride;
      }
      if (hs) {
        guint8 *tmp = g_malloc ((gsize) dw * ps);

        gst_video_scaler_horizontal (hs, sf, (gpointer) srow, tmp, 0, dw);
        memcpy (row + dx * ps, tmp, (gsize) dw * ps);
        g_free (tmp);
      } else {
        for (x = 0; x < sw * ps; x++)
          row[dx * ps + x] = srow[x];
      }
    }
    g_free (line);
    if (hs)
      gst_video_scaler_free (hs);
    if (vs)
      gst_video_scaler_free (vs);
  }
  gst_video_frame_unmap (&fout);
  gst_video_frame_unmap (&fin);
  gst_structure_free (opts);

  return out;
}

/* resample_reference () with the luma of @table, a table output of
 * @table_info (the chroma from @in) */
static GstBuffer *
resample_table_reference (GstBuffer * in, const GstVideoInfo * in_info,
    GstBuffer * table, const GstVideoInfo * table_info,
    const GstVideoInfo * out_info, const GstVideoRectangle * dest)
{
  GstMapInfo map;
  GstBuffer *want;

  fail_unless (gst_buffer_map (table, &map, GST_MAP_READ));
  want = resample_reference (in, in_info, map.data,
      GST_VIDEO_INFO_PLANE_STRIDE (table_info, 0),
      GST_VIDEO_INFO_WIDTH (table_info), GST_VIDEO_INFO_HEIGHT (table_info),
      out_info, dest);
  gst_buffer_unmap (table, &map);
  return want;
}

/* The table's own r x output of @in (a fresh element, unconstrained) */
static GstBuffer *
table_output (const gchar * format, gint w, gint h, guint scale,
    GstBuffer * in, GstVideoInfo * info)
{
  GstHarness *h2 = harness_for (make_scaler (scale, 1, NULL));
  gchar *caps = g_strdup_printf ("video/x-raw, format=%s, width=%d, "
      "height=%d, framerate=30/1", format, w, h);
  GstBuffer *out = push_with_caps (h2, caps, NULL, gst_buffer_ref (in), info);

  fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (info), w * scale);
  gst_harness_teardown (h2);
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
      gchar *caps = g_strdup_printf ("video/x-raw, format=%s, width=64, "
          "height=48, framerate=30/1", formats[f]);

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
    GstHarness *h2 = harness_for (make_scaler (2, 1, NULL));
    GstVideoInfo in_info;

    table = push_with_caps (h2, caps, NULL, gst_buffer_ref (in), &table_info);
    gst_harness_teardown (h2);
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

static void
check_navigation (GstHarness * h, gdouble x, gdouble y, gdouble want_x,
    gdouble want_y)
{
  GstEvent *ev;
  gdouble got_x = -1, got_y = -1;

  fail_unless (gst_harness_push_upstream_event (h,
          gst_navigation_event_new_mouse_move (x, y, 0)));
  while ((ev = gst_harness_try_pull_upstream_event (h)) != NULL) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_NAVIGATION)
      break;
    gst_event_unref (ev);
  }
  fail_unless (ev != NULL, "navigation event not forwarded");
  fail_unless (gst_navigation_event_get_coordinates (ev, &got_x, &got_y));
  fail_unless (G_APPROX_VALUE (got_x, want_x, 1e-9), "x = %g, expected %g",
      got_x, want_x);
  fail_unless (G_APPROX_VALUE (got_y, want_y, 1e-9), "y = %g, expected %g",
      got_y, want_y);
  gst_event_unref (ev);
}

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

/* Pushes @caps_str (downstream allows @sink): a negotiation error whose
 * message holds @what */
static void
check_negotiation_error (guint scale, const gchar * caps_str,
    const gchar * sink, const gchar * what)
{
  GstElement *e = make_scaler (scale, 1, NULL);
  GstBus *bus = gst_bus_new ();
  GstHarness *h;
  GstMessage *msg;
  GError *err = NULL;
  GstCaps *caps;

  gst_element_set_bus (e, bus);
  h = harness_for (e);
  if (sink)
    gst_harness_set_sink_caps_str (h, sink);
  fail_unless (gst_harness_push_event (h, gst_event_new_stream_start ("x")));
  caps = gst_caps_from_string (caps_str);
  gst_harness_push_event (h, gst_event_new_caps (caps));
  gst_caps_unref (caps);

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error message for %s", caps_str);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_CORE_ERROR,
          GST_CORE_ERROR_NEGOTIATION), "%s", err->message);
  fail_unless (strstr (err->message, what) != NULL, "'%s' not in '%s'", what,
      err->message);
  g_error_free (err);
  gst_message_unref (msg);

  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
}

GST_START_TEST (test_bad_requests)
{
  /* interlaced caps that bypass the pad template */
  check_negotiation_error (0, "video/x-raw, format=I420, width=64, height=48, "
      "interlace-mode=interleaved, framerate=30/1", NULL, "interlaced");
  /* a forced x4 whose intermediate frame cannot be described, although
   * the output could */
  check_negotiation_error (4, "video/x-raw, format=GRAY8, width=600000000, "
      "height=1, framerate=30/1", "video/x-raw, width=600000001, height=1",
      "too large");
  /* downstream asks for a size GStreamer cannot describe */
  check_negotiation_error (0, "video/x-raw, format=I420, width=64, height=48, "
      "framerate=30/1", "video/x-raw, width=2147483647, height=2",
      "exceeds");
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* 10 bits                                                                */

/* A frame of @format with random 10-bit values, stored where the format
 * puts them (P010: bits 6..15) */
static GstBuffer *
buffer_for_10 (GstVideoFormat format, gint w, gint h, guint32 seed)
{
  GstVideoInfo info;
  GstBuffer *buf;
  GstVideoFrame f;
  GRand *rand = g_rand_new_with_seed (seed);
  guint p, x, y, low;

  gst_video_info_set_format (&info, format, w, h);
  low = GST_VIDEO_FORMAT_INFO_SHIFT (info.finfo, 0);
  buf = random_buffer (&info, seed);
  fail_unless (gst_video_frame_map (&f, &info, buf, GST_MAP_WRITE));
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&f); p++)
    for (y = 0; y < plane_rows (&info, p); y++)
      for (x = 0; x < plane_row_bytes (&info, p) / 2; x++)
        GST_WRITE_UINT16_LE ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, p) +
            (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, p) + 2 * x,
            (guint) g_rand_int_range (rand, 0, 1024) << low);
  gst_video_frame_unmap (&f);
  g_rand_free (rand);
  return buf;
}

/* resample_reference () at 10 bits, one component at a time: its words
 * gathered into a GRAY16_LE plane, each output row scaled vertically then
 * horizontally by GstVideoScaler (videoscale's bilinear settings), the
 * result brought back to 10 bits (clamped to 1023; P010's words rounded to
 * their high 10 bits), the borders black (64 and 512, shifted as the
 * format stores them) */
static GstBuffer *
resample_reference_10 (GstBuffer * in, const GstVideoInfo * in_info,
    const guint8 * luma, gint luma_stride, guint lw, guint lh,
    const GstVideoInfo * out_info, const GstVideoRectangle * dest)
{
  const GstVideoFormatInfo *finfo = out_info->finfo;
  guint low = GST_VIDEO_FORMAT_INFO_SHIFT (finfo, 0);
  GstBuffer *out = gst_buffer_new_allocate (NULL, out_info->size, NULL);
  GstStructure *opts = gst_structure_new ("opts",
      GST_VIDEO_RESAMPLER_OPT_MAX_TAPS, G_TYPE_INT, 2, NULL);
  GstVideoFrame fin, fout;
  guint p;

  fail_unless (gst_video_frame_map (&fin, (GstVideoInfo *) in_info, in,
          GST_MAP_READ));
  fail_unless (gst_video_frame_map (&fout, (GstVideoInfo *) out_info, out,
          GST_MAP_WRITE));
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (out_info); p++) {
    gint comp[GST_VIDEO_MAX_COMPONENTS];
    const guint8 *src = GST_VIDEO_FRAME_PLANE_DATA (&fin, p);
    gint sstride = GST_VIDEO_FRAME_PLANE_STRIDE (&fin, p);
    guint8 *dst = GST_VIDEO_FRAME_PLANE_DATA (&fout, p);
    gint dstride = GST_VIDEO_FRAME_PLANE_STRIDE (&fout, p);
    guint sw, sh, ow, oh, nc, k, x, y, t;
    gint dx, dy, dw, dh, c;
    GstVideoScaler *hs = NULL, *vs = NULL;
    guint16 *plane, *line, *tmp;

    gst_video_format_info_component (finfo, p, comp);
    c = comp[0];
    nc = comp[1] >= 0 ? 2 : 1;
    sw = GST_VIDEO_INFO_COMP_WIDTH (in_info, c);
    sh = GST_VIDEO_INFO_COMP_HEIGHT (in_info, c);
    if (c == 0 && luma) {
      src = luma;
      sstride = luma_stride;
      sw = lw;
      sh = lh;
    }
    ow = GST_VIDEO_INFO_COMP_WIDTH (out_info, c);
    oh = GST_VIDEO_INFO_COMP_HEIGHT (out_info, c);
    dx = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, dest->x);
    dy = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, dest->y);
    dw = MIN (GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, dest->w),
        (gint) ow - dx);
    dh = MIN (GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, dest->h),
        (gint) oh - dy);
    if (sw != (guint) dw)
      hs = gst_video_scaler_new (GST_VIDEO_RESAMPLER_METHOD_LINEAR,
          GST_VIDEO_SCALER_FLAG_NONE, 0, sw, dw, opts);
    if (sh != (guint) dh)
      vs = gst_video_scaler_new (GST_VIDEO_RESAMPLER_METHOD_LINEAR,
          GST_VIDEO_SCALER_FLAG_NONE, 0, sh, dh, opts);
    plane = g_new (guint16, (gsize) sw * sh);
    line = g_new (guint16, sw);
    tmp = g_new (guint16, MAX (sw, (guint) dw));

    for (k = 0; k < nc; k++) {
      for (y = 0; y < sh; y++)
        for (x = 0; x < sw; x++)
          plane[(gsize) y * sw + x] = GST_READ_UINT16_LE (src + (gsize) y *
              sstride + 2 * (nc * x + k));
      for (y = 0; y < oh; y++) {
        guint8 *row = dst + (gsize) y * dstride;
        const guint16 *srow;

        for (x = 0; x < ow; x++)
          GST_WRITE_UINT16_LE (row + 2 * (nc * x + k),
              (c == 0 ? 64u : 512u) << low);
        if ((gint) y < dy || (gint) y >= dy + dh)
          continue;
        if (vs) {
          gpointer taps[64];
          guint first, n;

          gst_video_scaler_get_coeff (vs, y - dy, &first, &n);
          fail_unless (n <= G_N_ELEMENTS (taps));
          for (t = 0; t < n; t++)
            taps[t] = plane + (gsize) (first + t) * sw;
          gst_video_scaler_vertical (vs, GST_VIDEO_FORMAT_GRAY16_LE, taps,
              line, y - dy, sw);
          srow = line;
        } else {
          srow = plane + (gsize) (y - dy) * sw;
        }
        if (hs)
          gst_video_scaler_horizontal (hs, GST_VIDEO_FORMAT_GRAY16_LE,
              (gpointer) srow, tmp, 0, dw);
        else
          memcpy (tmp, srow, (gsize) sw * 2);
        for (x = 0; x < (guint) dw; x++) {
          guint v = tmp[x];

          v = low ? MIN ((v + 32) >> 6, 1023) << 6 : MIN (v, 1023);
          GST_WRITE_UINT16_LE (row + 2 * (nc * (dx + x) + k), v);
        }
      }
    }
    g_free (plane);
    g_free (line);
    g_free (tmp);
    if (hs)
      gst_video_scaler_free (hs);
    if (vs)
      gst_video_scaler_free (vs);
  }
  gst_video_frame_unmap (&fout);
  gst_video_frame_unmap (&fin);
  gst_structure_free (opts);

  return out;
}

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
      GstBuffer *in = buffer_for_10 (fmt, 64, 48, 40 + 4 * f + i);
      GstBuffer *out, *want;
      gchar *caps = g_strdup_printf ("video/x-raw, format=%s, width=64, "
          "height=48, framerate=30/1", formats[f]);

      out = push_with_caps (h, caps, cases[i].sink, gst_buffer_ref (in),
          &out_info);
      fail_unless_equals_string (GST_VIDEO_INFO_NAME (&out_info),
          formats[f]);
      fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&out_info), cases[i].w);
      fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&out_info), cases[i].h);
      gst_video_info_set_format (&in_info, fmt, 64, 48);
      in_info.fps_n = 30;
      if (cases[i].w < 64) {
        want = resample_reference_10 (in, &in_info, NULL, 0, 0, 0, &out_info,
            &cases[i].dest);
      } else {
        GstBuffer *table = table_output (formats[f], 64, 48,
            cases[i].forced ? cases[i].forced : 2, in, &table_info);
        GstMapInfo map;

        fail_unless (gst_buffer_map (table, &map, GST_MAP_READ));
        want = resample_reference_10 (in, &in_info, map.data,
            GST_VIDEO_INFO_PLANE_STRIDE (&table_info, 0),
            GST_VIDEO_INFO_WIDTH (&table_info),
            GST_VIDEO_INFO_HEIGHT (&table_info), &out_info, &cases[i].dest);
        gst_buffer_unmap (table, &map);
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
