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

#endif /* __ECLUT_CHECK_UTIL_H__ */
