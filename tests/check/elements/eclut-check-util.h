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
 * program, so they stay static, and G_GNUC_UNUSED where a program may not
 * use one).  A program that links the eclut core defines
 * ECLUT_CHECK_WITH_CORE before including this file, for the references
 * that call it (check_table_output () and the luma reference). */

#ifndef __ECLUT_CHECK_UTIL_H__
#define __ECLUT_CHECK_UTIL_H__

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <string.h>

#include <gst/video/video.h>
#include <gst/video/navigation.h>

G_GNUC_UNUSED static gchar *
shipped_lut_path (guint scale)
{
  gchar *name = g_strdup_printf ("eclut-x%u.lut", scale);
  gchar *path = g_build_filename (ECLUT_TEST_LUT_DIR, name, NULL);

  g_free (name);
  return path;
}

G_GNUC_UNUSED static GstElement *
make_scaler (guint scale, guint n_threads, const gchar * lut_path)
{
  GstElement *e = gst_element_factory_make ("eclutscale", NULL);

  fail_unless (e != NULL, "eclutscale not found: is GST_PLUGIN_PATH set?");
  g_object_set (e, "scale", scale, "n-threads", n_threads, "lut-path",
      lut_path, NULL);
  return e;
}

G_GNUC_UNUSED static GstHarness *
harness_for (GstElement * e)
{
  GstHarness *h = gst_harness_new_with_element (e, "sink", "src");

  gst_object_unref (e);
  return h;
}

/* A buffer for @info filled with pseudo-random bytes (padding included) */
G_GNUC_UNUSED static GstBuffer *
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

/* ---------------------------------------------------------------------- */
/* Samples                                                                */

/* How a format stores its samples: @bytes 1 for 8-bit values, 2 for
 * little-endian 16-bit words holding a @bits-bit value above @low bits
 * that are zero (P010: 6) */
typedef struct
{
  guint bytes, bits, low;
} SampleLayout;

G_GNUC_UNUSED static SampleLayout
sample_layout (const GstVideoInfo * info)
{
  SampleLayout l;

  l.bits = GST_VIDEO_FORMAT_INFO_DEPTH (info->finfo, 0);
  l.bytes = l.bits > 8 ? 2 : 1;
  l.low = GST_VIDEO_FORMAT_INFO_SHIFT (info->finfo, 0);
  return l;
}

/* The largest value */
G_GNUC_UNUSED static guint
sample_max (const SampleLayout * l)
{
  return (1u << l->bits) - 1;
}

/* Sample @i of @row as stored (at 16 bits the whole word) */
G_GNUC_UNUSED static guint
sample_get (const guint8 * row, guint i, const SampleLayout * l)
{
  return l->bytes == 1 ? row[i] : GST_READ_UINT16_LE (row + 2 * i);
}

G_GNUC_UNUSED static void
sample_set (guint8 * row, guint i, const SampleLayout * l, guint stored)
{
  if (l->bytes == 1)
    row[i] = (guint8) stored;
  else
    GST_WRITE_UINT16_LE (row + 2 * i, stored);
}

/* The code value of sample @i of @row (the bits outside it ignored) */
G_GNUC_UNUSED static guint
sample_value (const guint8 * row, guint i, const SampleLayout * l)
{
  return (sample_get (row, i, l) >> l->low) & sample_max (l);
}

/* random_buffer (@info, @seed); at more than 8 bits every sample then holds
 * a random value where the format stores it (from @value_seed; with
 * @extremes a quarter of them 0 or the largest value), the padding random
 * bytes */
G_GNUC_UNUSED static GstBuffer *
random_frame (const GstVideoInfo * info, guint32 seed, guint32 value_seed,
    gboolean extremes)
{
  SampleLayout l = sample_layout (info);
  GstBuffer *buf = random_buffer (info, seed);
  GRand *rand;
  GstVideoFrame f;
  guint p, x, y;

  if (l.bytes == 1)
    return buf;
  rand = g_rand_new_with_seed (value_seed);
  fail_unless (gst_video_frame_map (&f, (GstVideoInfo *) info, buf,
          GST_MAP_WRITE));
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&f); p++) {
    guint8 *d = GST_VIDEO_FRAME_PLANE_DATA (&f, p);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&f, p);

    for (y = 0; y < plane_rows (info, p); y++)
      for (x = 0; x < plane_row_bytes (info, p) / 2; x++) {
        guint v;

        if (extremes && g_rand_int_range (rand, 0, 4) == 0)
          v = g_rand_boolean (rand) ? sample_max (&l) : 0;
        else
          v = (guint) g_rand_int_range (rand, 0, sample_max (&l) + 1);
        sample_set (d + (gsize) y * stride, x, &l, v << l.low);
      }
  }
  gst_video_frame_unmap (&f);
  g_rand_free (rand);
  return buf;
}

/* A frame of @format, @w x @h: random_frame () with one seed */
G_GNUC_UNUSED static GstBuffer *
buffer_for (GstVideoFormat format, gint w, gint h, guint32 seed)
{
  GstVideoInfo info;

  gst_video_info_set_format (&info, format, w, h);
  return random_frame (&info, seed, seed, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Caps and harnesses                                                     */

G_GNUC_UNUSED static gchar *
caps_string (const gchar * format, guint w, guint h)
{
  return g_strdup_printf ("video/x-raw, format=%s, width=%u, height=%u, "
      "framerate=30/1", format, w, h);
}

/* Sets the input caps @in_caps on @h (downstream allowing @sink_caps, or
 * anything where NULL), pushes @in and returns the output; @out_info gets
 * its format */
G_GNUC_UNUSED static GstBuffer *
push_with_caps (GstHarness * h, const gchar * in_caps, const gchar * sink_caps,
    GstBuffer * in, GstVideoInfo * out_info)
{
  GstBuffer *out;
  GstCaps *caps;

  if (sink_caps)
    gst_harness_set_sink_caps_str (h, sink_caps);
  gst_harness_set_src_caps_str (h, in_caps);
  /* a refused stream fails here rather than waiting for output */
  fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (out != NULL, "%s -> %s: no output", in_caps,
      sink_caps ? sink_caps : "any");
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (caps != NULL);
  fail_unless (gst_video_info_from_caps (out_info, caps));
  gst_caps_unref (caps);
  fail_unless (gst_buffer_get_size (out) >= out_info->size);

  return out;
}

/* What a fresh scaler (@scale, @n_threads, the shipped table) makes of @in
 * (consumed) with caps @in_caps, downstream allowing @sink_caps (NULL:
 * anything); @out_info gets the output's format */
G_GNUC_UNUSED static GstBuffer *
scale_fresh (const gchar * in_caps, const gchar * sink_caps, guint scale,
    guint n_threads, GstBuffer * in, GstVideoInfo * out_info)
{
  GstHarness *h = harness_for (make_scaler (scale, n_threads, NULL));
  GstBuffer *out = push_with_caps (h, in_caps, sink_caps, in, out_info);

  gst_harness_teardown (h);
  return out;
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

G_GNUC_UNUSED static void
assert_size (GstCaps * caps, gint w, gint h)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  gint cw = 0, ch = 0;

  fail_unless (gst_structure_get_int (s, "width", &cw));
  fail_unless (gst_structure_get_int (s, "height", &ch));
  fail_unless (cw == w && ch == h, "got %dx%d, expected %dx%d", cw, ch, w, h);
}

/* A mouse move at (@x, @y) pushed upstream through @h comes out at
 * (@want_x, @want_y) */
G_GNUC_UNUSED static void
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

/* Pushes the fixed input caps @caps_str to a scaler of @scale (downstream
 * allowing @sink_caps, or anything where NULL): refused with a negotiation
 * error on the bus whose message holds each of the words that follow
 * @push_after (NULL-terminated).  With @push_after, a buffer pushed anyway
 * is then not negotiated, and nothing worse. */
G_GNUC_UNUSED G_GNUC_NULL_TERMINATED static void
check_negotiation_error (guint scale, const gchar * caps_str,
    const gchar * sink_caps, gboolean push_after, ...)
{
  GstElement *e = make_scaler (scale, 1, NULL);
  GstBus *bus = gst_bus_new ();
  GstHarness *h;
  GstMessage *msg;
  GError *err = NULL;
  GstCaps *caps;
  const gchar *what;
  va_list args;

  gst_element_set_bus (e, bus);
  h = harness_for (e);
  if (sink_caps)
    gst_harness_set_sink_caps_str (h, sink_caps);
  fail_unless (gst_harness_push_event (h, gst_event_new_stream_start ("x")));
  /* the return value of pushing a sticky event only says whether it was
   * stored; the refusal shows as the error below */
  caps = gst_caps_from_string (caps_str);
  gst_harness_push_event (h, gst_event_new_caps (caps));
  gst_caps_unref (caps);

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error message for %s", caps_str);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_CORE_ERROR,
          GST_CORE_ERROR_NEGOTIATION), "%s", err->message);
  va_start (args, push_after);
  while ((what = va_arg (args, const gchar *)) != NULL)
    fail_unless (strstr (err->message, what) != NULL, "'%s' not in '%s'",
        what, err->message);
  va_end (args);
  g_error_free (err);
  gst_message_unref (msg);

  if (push_after) {
    GstSegment segment;

    gst_segment_init (&segment, GST_FORMAT_TIME);
    gst_harness_push_event (h, gst_event_new_segment (&segment));
    fail_unless_equals_int (gst_harness_push (h,
            gst_buffer_new_and_alloc (16)), GST_FLOW_NOT_NEGOTIATED);
  }

  gst_harness_teardown (h);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
}

/* ---------------------------------------------------------------------- */
/* References                                                             */

/* One axis of the spec's chroma sampling, transcribed literally
 * (docs/lut-format.md, "Chroma"): output sample @i reads the source at
 * P / D, sample @x0 and weight @w (of 256) towards the next */
G_GNUC_UNUSED static void
ref_axis (guint r, guint f, gboolean centred, guint i, gint64 * x0, guint * w)
{
  gint64 q = (f == 2 && centred) ? 1 : 0;
  gint64 D = 2 * (gint64) r * f;
  gint64 P = 2 * (gint64) f * i + (1 + q) * (1 - (gint64) r);
  gint64 fl = P / D;
  gint64 k;

  if (P % D != 0 && P < 0)
    fl -= 1;
  k = P - fl * D;
  *x0 = fl;
  *w = (guint) ((256 * k + D / 2) / D);
}

G_GNUC_UNUSED static guint
ref_clamp (gint64 v, guint n)
{
  return v < 0 ? 0 : (v >= (gint64) n ? n - 1 : (guint) v);
}

G_GNUC_UNUSED static guint
ref_lerp (guint p0, guint p1, guint w)
{
  return (p0 * (256 - w) + p1 * w + 128) >> 8;
}

/* Expected chroma plane, tight rows of @out_w * @nc samples stored as @l
 * says: vertical pass first, each pass rounded to the sample's bits */
G_GNUC_UNUSED static guint8 *
ref_chroma_plane (const guint8 * src, gint src_stride, guint in_w, guint in_h,
    guint nc, guint out_w, guint out_h, guint r, guint fx, guint fy,
    gboolean qx, gboolean qy, const SampleLayout * l)
{
  guint8 *out = g_malloc ((gsize) out_w * nc * out_h * l->bytes);
  guint *v = g_new (guint, (gsize) in_w * nc);
  guint X, Y, x, c;

  for (Y = 0; Y < out_h; Y++) {
    guint8 *row = out + (gsize) Y * out_w * nc * l->bytes;
    gint64 y0;
    guint wy;
    const guint8 *s0, *s1;

    ref_axis (r, fy, qy, Y, &y0, &wy);
    s0 = src + (gsize) ref_clamp (y0, in_h) * src_stride;
    s1 = src + (gsize) ref_clamp (y0 + 1, in_h) * src_stride;
    for (x = 0; x < in_w * nc; x++)
      v[x] = ref_lerp (sample_value (s0, x, l), sample_value (s1, x, l), wy);

    for (X = 0; X < out_w; X++) {
      gint64 x0;
      guint wx;

      ref_axis (r, fx, qx, X, &x0, &wx);
      for (c = 0; c < nc; c++) {
        guint p0 = v[ref_clamp (x0, in_w) * nc + c];
        guint p1 = v[ref_clamp (x0 + 1, in_w) * nc + c];

        sample_set (row, X * nc + c, l, ref_lerp (p0, p1, wx) << l->low);
      }
    }
  }
  g_free (v);

  return out;
}

/* videoscale's settings for its method @name (GstVideoScaleMethod's
 * nick), as GstVideoConverter's options: the resampler method and the
 * options that go with it */
G_GNUC_UNUSED static GstVideoResamplerMethod
videoscale_method (const gchar * name, GstStructure * opts)
{
  static const struct
  {
    const gchar *name;
    GstVideoResamplerMethod method;
    gint max_taps;
    gdouble b, c;
  } methods[] = {
    {"nearest-neighbour", GST_VIDEO_RESAMPLER_METHOD_NEAREST, 0, 0.0, 0.0},
    {"bilinear", GST_VIDEO_RESAMPLER_METHOD_LINEAR, 2, 0.0, 0.0},
    {"4-tap", GST_VIDEO_RESAMPLER_METHOD_SINC, 4, 0.0, 0.0},
    {"lanczos", GST_VIDEO_RESAMPLER_METHOD_LANCZOS, 0, 0.0, 0.0},
    {"bilinear2", GST_VIDEO_RESAMPLER_METHOD_LINEAR, 0, 0.0, 0.0},
    {"sinc", GST_VIDEO_RESAMPLER_METHOD_SINC, 0, 0.0, 0.0},
    {"hermite", GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 0.0, 0.0},
    {"spline", GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 1.0, 0.0},
    {"catrom", GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 0.0, 0.5},
    {"mitchell", GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 1.0 / 3, 1.0 / 3},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (methods); i++) {
    if (strcmp (methods[i].name, name) != 0)
      continue;
    if (methods[i].max_taps)
      gst_structure_set (opts, GST_VIDEO_RESAMPLER_OPT_MAX_TAPS, G_TYPE_INT,
          methods[i].max_taps, NULL);
    if (methods[i].method == GST_VIDEO_RESAMPLER_METHOD_CUBIC)
      gst_structure_set (opts, GST_VIDEO_RESAMPLER_OPT_CUBIC_B, G_TYPE_DOUBLE,
          methods[i].b, GST_VIDEO_RESAMPLER_OPT_CUBIC_C, G_TYPE_DOUBLE,
          methods[i].c, NULL);
    return methods[i].method;
  }
  fail ("no method %s", name);
  return GST_VIDEO_RESAMPLER_METHOD_NEAREST;
}

/* The resampling the element documents, written out plainly: each plane
 * through GstVideoScaler with videoscale's settings for @method, every output
 * row scaled vertically then horizontally, into the picture rectangle
 * @dest; the rest black.  The luma plane comes from @luma (@lw x @lh) when
 * given, else from @in.  8-bit planes are scaled as stored (GRAY8, or NV12
 * for two interleaved components); at more than 8 bits each component's
 * words are gathered into a GRAY16_LE plane and the result brought back to
 * the sample's bits (clamped; P010's words rounded to their high bits). */
G_GNUC_UNUSED static GstBuffer *
resample_reference_method (const gchar * method, GstBuffer * in,
    const GstVideoInfo * in_info, const guint8 * luma, gint luma_stride,
    guint lw, guint lh, const GstVideoInfo * out_info,
    const GstVideoRectangle * dest)
{
  const GstVideoFormatInfo *finfo = out_info->finfo;
  SampleLayout l = sample_layout (out_info);
  GstBuffer *out = gst_buffer_new_allocate (NULL, out_info->size, NULL);
  GstStructure *opts = gst_structure_new_empty ("opts");
  GstVideoResamplerMethod rm = videoscale_method (method, opts);
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
    guint sw, sh, ow, oh, nc, passes, elems, k, x, y, t, black;
    gint dx, dy, dw, dh, c;
    GstVideoFormat sf;
    GstVideoScaler *hs = NULL, *vs = NULL;
    /* what the scalers read: the plane as stored, or one component */
    const guint8 *work;
    gsize wstride;
    guint16 *plane = NULL;
    guint8 *line, *tmp;

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
    black = (c == 0 ? 16u : 128u) << (l.bits - 8) << l.low;
    if (l.bytes == 1) {
      /* the components together, one pass */
      passes = 1;
      elems = nc;
      sf = nc == 2 ? GST_VIDEO_FORMAT_NV12 : GST_VIDEO_FORMAT_GRAY8;
      work = src;
      wstride = sstride;
    } else {
      /* one pass per component */
      passes = nc;
      elems = 1;
      sf = GST_VIDEO_FORMAT_GRAY16_LE;
      plane = g_new (guint16, (gsize) sw * sh);
      work = (const guint8 *) plane;
      wstride = (gsize) sw * 2;
    }
    if (sw != (guint) dw)
      hs = gst_video_scaler_new (rm, GST_VIDEO_SCALER_FLAG_NONE, 0, sw, dw,
          opts);
    if (sh != (guint) dh)
      vs = gst_video_scaler_new (rm, GST_VIDEO_SCALER_FLAG_NONE, 0, sh, dh,
          opts);
    line = g_malloc ((gsize) sw * elems * l.bytes);
    tmp = g_malloc ((gsize) MAX (sw, (guint) dw) * elems * l.bytes);

    for (k = 0; k < passes; k++) {
      if (plane)
        for (y = 0; y < sh; y++)
          for (x = 0; x < sw; x++)
            plane[(gsize) y * sw + x] = sample_get (src + (gsize) y *
                sstride, nc * x + k, &l);
      for (y = 0; y < oh; y++) {
        guint8 *row = dst + (gsize) y * dstride;
        const guint8 *srow;

        for (x = k; x < ow * nc; x += passes)
          sample_set (row, x, &l, black);
        if ((gint) y < dy || (gint) y >= dy + dh)
          continue;
        if (vs) {
          gpointer taps[64];
          guint first, n;

          gst_video_scaler_get_coeff (vs, y - dy, &first, &n);
          fail_unless (n <= G_N_ELEMENTS (taps));
          for (t = 0; t < n; t++)
            taps[t] = (gpointer) (work + (gsize) (first + t) * wstride);
          gst_video_scaler_vertical (vs, sf, taps, line, y - dy, sw);
          srow = line;
        } else {
          srow = work + (gsize) (y - dy) * wstride;
        }
        if (hs) {
          gst_video_scaler_horizontal (hs, sf, (gpointer) srow, tmp, 0, dw);
          srow = tmp;
        }
        for (x = 0; x < (guint) dw * elems; x++) {
          guint v = plane ? ((const guint16 *) srow)[x] : srow[x];
          guint max = sample_max (&l);

          v = l.low ? MIN ((v + (1u << (l.low - 1))) >> l.low, max) << l.low :
              MIN (v, max);
          sample_set (row, plane ? nc * (dx + x) + k : nc * dx + x, &l, v);
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

/* resample_reference_method () with method=bilinear, the method of most
 * tests (each is two taps: small pictures use every tap) */
G_GNUC_UNUSED static GstBuffer *
resample_reference (GstBuffer * in, const GstVideoInfo * in_info,
    const guint8 * luma, gint luma_stride, guint lw, guint lh,
    const GstVideoInfo * out_info, const GstVideoRectangle * dest)
{
  return resample_reference_method ("bilinear", in, in_info, luma,
      luma_stride, lw, lh, out_info, dest);
}

/* resample_reference_method () with the luma of @table, a table output of
 * @table_info (the chroma from @in) */
G_GNUC_UNUSED static GstBuffer *
resample_table_reference_method (const gchar * method, GstBuffer * in,
    const GstVideoInfo * in_info, GstBuffer * table,
    const GstVideoInfo * table_info, const GstVideoInfo * out_info,
    const GstVideoRectangle * dest)
{
  GstMapInfo map;
  GstBuffer *want;

  fail_unless (gst_buffer_map (table, &map, GST_MAP_READ));
  want = resample_reference_method (method, in, in_info, map.data,
      GST_VIDEO_INFO_PLANE_STRIDE (table_info, 0),
      GST_VIDEO_INFO_WIDTH (table_info), GST_VIDEO_INFO_HEIGHT (table_info),
      out_info, dest);
  gst_buffer_unmap (table, &map);
  return want;
}

G_GNUC_UNUSED static GstBuffer *
resample_table_reference (GstBuffer * in, const GstVideoInfo * in_info,
    GstBuffer * table, const GstVideoInfo * table_info,
    const GstVideoInfo * out_info, const GstVideoRectangle * dest)
{
  return resample_table_reference_method ("bilinear", in, in_info, table,
      table_info, out_info, dest);
}

#ifdef ECLUT_CHECK_WITH_CORE
#include "eclut-lut.h"
#include "eclut-luma.h"

/* Expected luma, tight rows of samples stored as @l says: the core called
 * once for the whole plane, with its own copy of the shipped table; at 8
 * bits its one-call form, else a plan for the stream's sample layout */
G_GNUC_UNUSED static guint8 *
ref_luma_plane (guint scale, const guint8 * src, gint src_stride,
    guint in_w, guint in_h, const SampleLayout * l)
{
  /* loaded once per scale and process (each test runs in its own fork) */
  static EclutLut *luts[ECLUT_LUT_MAX_SCALE + 1];
  EclutLut *lut;
  guint8 *out;
  gpointer scratch, mem;

  if (luts[scale] == NULL) {
    gchar *path = shipped_lut_path (scale);
    GError *err = NULL;

    luts[scale] = eclut_lut_load_file (path, scale, &err);
    fail_unless (luts[scale] != NULL, "%s", err ? err->message : "?");
    g_free (path);
  }
  lut = luts[scale];
  out = g_malloc ((gsize) in_w * scale * in_h * scale * l->bytes);
  if (l->bytes == 1) {
    mem = g_malloc (eclut_luma_scratch_size (lut, in_w) + 15);
    scratch = (gpointer) (((guintptr) mem + 15) & ~(guintptr) 15);
    eclut_luma_upscale_rows (lut, src, src_stride, in_w, in_h, out,
        in_w * scale, 0, in_h * scale, scratch);
  } else {
    EclutLumaPlan *plan = eclut_luma_plan_new_for_samples (lut, in_w, in_h,
        l->low ? ECLUT_SAMPLES_U10_MSB : ECLUT_SAMPLES_U10_LSB);

    fail_unless (plan != NULL);
    mem = g_malloc (eclut_luma_plan_scratch_size (plan) + 15);
    scratch = (gpointer) (((guintptr) mem + 15) & ~(guintptr) 15);
    eclut_luma_plan_upscale_rows (plan, src, src_stride, out,
        in_w * scale * 2, 0, in_h * scale, scratch);
    eclut_luma_plan_free (plan);
  }
  g_free (mem);

  return out;
}

/* Checks every plane of @out, @scale times @in, against the references:
 * luma from the core, chroma from the spec's formula with the siting @qx,
 * @qy; at more than 8 bits also that only the value's bits are set (zero
 * below P010's, zero above the others') */
G_GNUC_UNUSED static void
check_table_output (GstBuffer * in, const GstVideoInfo * in_info,
    GstBuffer * out, const GstVideoInfo * out_info, guint scale,
    gboolean qx, gboolean qy)
{
  SampleLayout l = sample_layout (in_info);
  GstVideoFrame fin, fout;
  guint p, y, x;

  fail_unless (gst_video_frame_map (&fin, (GstVideoInfo *) in_info, in,
          GST_MAP_READ));
  fail_unless (gst_video_frame_map (&fout, (GstVideoInfo *) out_info, out,
          GST_MAP_READ));

  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&fin); p++) {
    gint comp[GST_VIDEO_MAX_COMPONENTS];
    const guint8 *src = GST_VIDEO_FRAME_PLANE_DATA (&fin, p);
    gint sstride = GST_VIDEO_FRAME_PLANE_STRIDE (&fin, p);
    const guint8 *dst = GST_VIDEO_FRAME_PLANE_DATA (&fout, p);
    gint dstride = GST_VIDEO_FRAME_PLANE_STRIDE (&fout, p);
    guint row_bytes = plane_row_bytes (out_info, p);
    guint rows = plane_rows (out_info, p);
    guint8 *expected;
    gint c;

    gst_video_format_info_component (in_info->finfo, p, comp);
    c = comp[0];
    if (c == GST_VIDEO_COMP_Y) {
      expected = ref_luma_plane (scale, src, sstride,
          GST_VIDEO_INFO_WIDTH (in_info), GST_VIDEO_INFO_HEIGHT (in_info), &l);
    } else {
      expected = ref_chroma_plane (src, sstride,
          GST_VIDEO_INFO_COMP_WIDTH (in_info, c),
          GST_VIDEO_INFO_COMP_HEIGHT (in_info, c), comp[1] >= 0 ? 2 : 1,
          GST_VIDEO_INFO_COMP_WIDTH (out_info, c), rows, scale,
          1u << GST_VIDEO_FORMAT_INFO_W_SUB (in_info->finfo, c),
          1u << GST_VIDEO_FORMAT_INFO_H_SUB (in_info->finfo, c), qx, qy, &l);
    }
    for (y = 0; y < rows; y++) {
      const guint8 *got_row = dst + (gsize) y * dstride;
      const guint8 *want_row = expected + (gsize) y * row_bytes;

      /* 8-bit samples have no bits outside the value to check */
      if (l.bytes == 1 && memcmp (got_row, want_row, row_bytes) == 0)
        continue;
      for (x = 0; x < row_bytes / l.bytes; x++) {
        guint got = sample_get (got_row, x, &l);
        guint want = sample_get (want_row, x, &l);

        if (got != want)
          fail ("%s %dx%d x%u: plane %u row %u sample %u: got %u, "
              "expected %u", GST_VIDEO_INFO_NAME (in_info),
              GST_VIDEO_INFO_WIDTH (in_info), GST_VIDEO_INFO_HEIGHT (in_info),
              scale, p, y, x, got, want);
        fail_unless ((got & ~(sample_max (&l) << l.low)) == 0,
            "%s plane %u: sample 0x%x", GST_VIDEO_INFO_NAME (in_info), p, got);
      }
    }
    g_free (expected);
  }

  gst_video_frame_unmap (&fout);
  gst_video_frame_unmap (&fin);
}
#endif /* ECLUT_CHECK_WITH_CORE */

#endif /* __ECLUT_CHECK_UTIL_H__ */
