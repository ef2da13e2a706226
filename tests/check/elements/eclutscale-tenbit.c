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

/* GstCheck tests of eclutscale on 10-bit video (I420_10LE, I422_10LE,
 * Y444_10LE, P010_10LE): negotiation (the same format out, never an 8-bit
 * one), colorimetry passthrough, every plane of the table's output against
 * the cores' 10-bit references (luma: the luma core in one call; chroma: a
 * literal transcription of docs/lut-format.md, "Chroma") at x2, x3, x4 and
 * odd sizes, P010's zero low bits, n-threads invariance, quality=high's
 * fallback and real pipelines.  The Python reference is checked against
 * the element in tests/python/test_element_bitexact.py. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#define ECLUT_CHECK_WITH_CORE 1
#include "eclut-check-util.h"

static const gchar *ten_bit_formats[] = {
  "I420_10LE", "I422_10LE", "Y444_10LE", "P010_10LE"
};

/* A frame of @info with random 10-bit values (a quarter of them 0 or
 * 1023), the words as the format stores them; the padding random bytes */
static GstBuffer *
random_frame_10 (const GstVideoInfo * info, guint32 seed)
{
  return random_frame (info, seed, seed ^ 0x5eed, TRUE);
}

/* ---------------------------------------------------------------------- */
/* Caps                                                                   */

GST_START_TEST (test_negotiate_same_format)
{
  guint f;

  for (f = 0; f < G_N_ELEMENTS (ten_bit_formats); f++) {
    GstElement *e = make_scaler (2, 1, NULL);
    GstBaseTransformClass *klass = GST_BASE_TRANSFORM_GET_CLASS (e);
    gchar *str = g_strdup_printf ("video/x-raw, format=%s, width=64, "
        "height=48, framerate=30/1", ten_bit_formats[f]);
    GstCaps *in = gst_caps_from_string (str);
    GstPadDirection dirs[] = { GST_PAD_SINK, GST_PAD_SRC };
    GstVideoInfo in_info, out_info;
    GstBuffer *out;
    guint d, i;

    /* both directions offer this format only, never an 8-bit one */
    for (d = 0; d < G_N_ELEMENTS (dirs); d++) {
      GstCaps *t = klass->transform_caps (GST_BASE_TRANSFORM (e), dirs[d],
          in, NULL);

      fail_if (gst_caps_is_empty (t));
      for (i = 0; i < gst_caps_get_size (t); i++)
        fail_unless_equals_string (gst_structure_get_string
            (gst_caps_get_structure (t, i), "format"), ten_bit_formats[f]);
      gst_caps_unref (t);
    }
    gst_caps_unref (in);
    gst_object_unref (e);

    /* and it runs: the same format comes out, at twice the size */
    gst_video_info_set_format (&in_info,
        gst_video_format_from_string (ten_bit_formats[f]), 64, 48);
    out = scale_fresh (str, NULL, 2, 1, random_frame_10 (&in_info, f),
        &out_info);
    fail_unless_equals_string (GST_VIDEO_INFO_NAME (&out_info),
        ten_bit_formats[f]);
    fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&out_info), 128);
    fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&out_info), 96);
    gst_buffer_unref (out);
    g_free (str);
  }
}

GST_END_TEST;

/* Downstream that wants 8 bits cannot have them: not negotiated, no
 * conversion */
GST_START_TEST (test_no_depth_conversion)
{
  GstHarness *h = harness_for (make_scaler (2, 1, NULL));
  GstVideoInfo info;
  GstFlowReturn ret;

  gst_harness_set_sink_caps_str (h, "video/x-raw, format=I420");
  gst_harness_set_src_caps_str (h, "video/x-raw, format=I420_10LE, "
      "width=32, height=16, framerate=30/1");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420_10LE, 32, 16);
  ret = gst_harness_push (h, random_frame_10 (&info, 1));
  fail_unless_equals_int (ret, GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* BT.2020 with PQ or HLG transfer, and the chroma siting, stay on the
 * output caps, at r times and at another size */
GST_START_TEST (test_colorimetry_passthrough)
{
  static const gchar *colorimetries[] = { "bt2100-pq", "bt2100-hlg",
    "bt2020"
  };
  static const gchar *sinks[] = { NULL, "video/x-raw, width=100, height=60" };
  guint f, c, s;

  for (f = 0; f < G_N_ELEMENTS (ten_bit_formats); f++)
    for (c = 0; c < G_N_ELEMENTS (colorimetries); c++)
      for (s = 0; s < G_N_ELEMENTS (sinks); s++) {
        GstVideoInfo in_info, out_info;
        GstVideoColorimetry want;
        GstBuffer *out;
        gchar *str = g_strdup_printf ("video/x-raw, format=%s, width=40, "
            "height=24, framerate=30/1, colorimetry=%s, chroma-site=mpeg2",
            ten_bit_formats[f], colorimetries[c]);

        fail_unless (gst_video_colorimetry_from_string (&want,
                colorimetries[c]));
        gst_video_info_set_format (&in_info,
            gst_video_format_from_string (ten_bit_formats[f]), 40, 24);
        out = scale_fresh (str, sinks[s], 0, 1,
            random_frame_10 (&in_info, c), &out_info);
        fail_unless (gst_video_colorimetry_is_equal (&out_info.colorimetry,
                &want), "%s: colorimetry %s became %s", ten_bit_formats[f],
            colorimetries[c], gst_video_colorimetry_to_string
            (&out_info.colorimetry));
        fail_unless_equals_int (GST_VIDEO_INFO_CHROMA_SITE (&out_info),
            GST_VIDEO_CHROMA_SITE_MPEG2);
        fail_unless_equals_string (GST_VIDEO_INFO_NAME (&out_info),
            ten_bit_formats[f]);
        gst_buffer_unref (out);
        g_free (str);
      }
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Pixels                                                                 */

GST_START_TEST (test_table_output_every_format)
{
  static const guint sizes[][2] = { {1, 1}, {3, 5}, {2, 2}, {33, 17},
  {97, 61}
  };
  guint f, s, scale;
  guint32 seed = 1000;

  for (f = 0; f < G_N_ELEMENTS (ten_bit_formats); f++) {
    GstVideoFormat fmt = gst_video_format_from_string (ten_bit_formats[f]);

    for (s = 0; s < G_N_ELEMENTS (sizes); s++)
      for (scale = 2; scale <= 4; scale++) {
        GstVideoInfo in_info, out_info;
        GstBuffer *in, *out;
        gchar *caps;

        gst_video_info_set_format (&in_info, fmt, sizes[s][0], sizes[s][1]);
        caps = g_strdup_printf ("video/x-raw, format=%s, width=%u, "
            "height=%u, framerate=30/1, chroma-site=jpeg",
            ten_bit_formats[f], sizes[s][0], sizes[s][1]);
        in = random_frame_10 (&in_info, seed++);
        out = scale_fresh (caps, NULL, scale, 1, gst_buffer_ref (in),
            &out_info);
        fail_unless_equals_int (GST_VIDEO_INFO_FORMAT (&out_info), fmt);
        fail_unless_equals_int (GST_VIDEO_INFO_WIDTH (&out_info),
            sizes[s][0] * scale);
        fail_unless_equals_int (GST_VIDEO_INFO_HEIGHT (&out_info),
            sizes[s][1] * scale);
        check_table_output (in, &in_info, out, &out_info, scale, TRUE, TRUE);
        gst_buffer_unref (in);
        gst_buffer_unref (out);
        g_free (caps);
      }
  }
}

GST_END_TEST;

/* P010 input with its low 6 bits set (the format says zero): ignored, the
 * output's are zero and the values those of the clean input */
GST_START_TEST (test_p010_low_bits)
{
  static const gchar *sinks[] = { NULL, "video/x-raw, width=70, height=50" };
  GstVideoInfo info;
  guint s;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_P010_10LE, 33, 21);
  for (s = 0; s < G_N_ELEMENTS (sinks); s++) {
    GstBuffer *clean = random_frame_10 (&info, 77);
    GstBuffer *dirty = gst_buffer_copy_deep (clean);
    GstBuffer *out_clean, *out_dirty;
    GstVideoInfo oi_clean, oi_dirty;
    GstVideoFrame f;
    guint p, x, y;
    const gchar *caps = "video/x-raw, format=P010_10LE, width=33, "
        "height=21, framerate=30/1";

    fail_unless (gst_video_frame_map (&f, &info, dirty, GST_MAP_WRITE));
    for (p = 0; p < 2; p++)
      for (y = 0; y < plane_rows (&info, p); y++)
        for (x = 0; x < plane_row_bytes (&info, p); x += 2) {
          guint8 *w = (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f, p) +
              (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, p) + x;

          w[0] |= (x * 7 + y) & 0x3f;
        }
    gst_video_frame_unmap (&f);

    out_clean = scale_fresh (caps, sinks[s], 2, 1, clean, &oi_clean);
    out_dirty = scale_fresh (caps, sinks[s], 2, 1, dirty, &oi_dirty);
    fail_unless (gst_video_frame_map (&f, &oi_dirty, out_dirty,
            GST_MAP_READ));
    for (p = 0; p < 2; p++)
      for (y = 0; y < plane_rows (&oi_dirty, p); y++)
        for (x = 0; x < plane_row_bytes (&oi_dirty, p); x += 2) {
          const guint8 *w = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&f,
              p) + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&f, p) + x;

          fail_unless ((w[0] & 0x3f) == 0, "plane %u (%u,%u): 0x%02x%02x",
              p, x / 2, y, w[1], w[0]);
        }
    gst_video_frame_unmap (&f);
    /* at r times the low bits are ignored; the resampling (another size)
     * rounds its 16-bit result, so it is only checked for zero low bits */
    if (sinks[s] == NULL)
      fail_unless (frames_equal (out_clean, &oi_clean, out_dirty, &oi_dirty));
    gst_buffer_unref (out_clean);
    gst_buffer_unref (out_dirty);
  }
}

GST_END_TEST;

GST_START_TEST (test_n_threads_identical)
{
  static const gchar *sinks[] = { NULL, "video/x-raw, width=300, height=200" };
  static const guint threads[] = { 2, 3, 0, 7 };
  guint f, t, s;

  for (f = 0; f < G_N_ELEMENTS (ten_bit_formats); f++)
    for (s = 0; s < G_N_ELEMENTS (sinks); s++) {
      GstVideoFormat fmt = gst_video_format_from_string (ten_bit_formats[f]);
      GstVideoInfo in_info, oi_ref;
      GstBuffer *in, *ref;
      gchar *caps;

      gst_video_info_set_format (&in_info, fmt, 97, 61);
      caps = caps_string (ten_bit_formats[f], 97, 61);
      in = random_frame_10 (&in_info, 7 * f + 3);
      ref = scale_fresh (caps, sinks[s], 3, 1, gst_buffer_ref (in), &oi_ref);
      for (t = 0; t < G_N_ELEMENTS (threads); t++) {
        GstVideoInfo oi;
        GstBuffer *out = scale_fresh (caps, sinks[s], 3, threads[t],
            gst_buffer_ref (in), &oi);

        fail_unless (frames_equal (ref, &oi_ref, out, &oi),
            "%s -> %s: n-threads=%u differs from n-threads=1",
            ten_bit_formats[f], sinks[s] ? sinks[s] : "x3", threads[t]);
        gst_buffer_unref (out);
      }
      gst_buffer_unref (in);
      gst_buffer_unref (ref);
      g_free (caps);
    }
}

GST_END_TEST;

/* The pipeline of the issue, and the others of its kind, with a few
 * threads and any size */
GST_START_TEST (test_pipelines)
{
  static const gchar *tails[] = { "", " ! video/x-raw,width=500,height=300",
    " ! video/x-raw,width=100,height=50"
  };
  guint f, t;

  for (f = 0; f < G_N_ELEMENTS (ten_bit_formats); f++)
    for (t = 0; t < G_N_ELEMENTS (tails); t++) {
      gchar *desc = g_strdup_printf ("videotestsrc num-buffers=3 ! "
          "video/x-raw,format=%s,width=160,height=120 ! "
          "eclutscale name=e n-threads=3%s ! fakesink", ten_bit_formats[f],
          tails[t]);
      GstCaps *caps = run_and_get_caps ("src", desc);

      fail_unless_equals_string (gst_structure_get_string
          (gst_caps_get_structure (caps, 0), "format"), ten_bit_formats[f]);
      gst_caps_unref (caps);
      g_free (desc);
    }
}

GST_END_TEST;

static Suite *
eclutscale_tenbit_suite (void)
{
  Suite *s = suite_create ("eclutscale-tenbit");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_negotiate_same_format);
  tcase_add_test (tc, test_no_depth_conversion);
  tcase_add_test (tc, test_colorimetry_passthrough);
  tcase_add_test (tc, test_table_output_every_format);
  tcase_add_test (tc, test_p010_low_bits);
  tcase_add_test (tc, test_n_threads_identical);
  tcase_add_test (tc, test_pipelines);

  return s;
}

GST_CHECK_MAIN (eclutscale_tenbit);
