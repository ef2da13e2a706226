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

/* Hardening tests of eclutscale (docs/robustness.md): hostile caps, tiny
 * and odd sizes, resolution changes between frames, input buffers with
 * custom offsets, strides and several memories, read-only input, the table
 * file deleted, truncated or replaced while playing, start/stop cycles,
 * several elements in parallel threads, and 10,000 frames under the leaks
 * tracer (which must be active: GST_TRACERS=leaks, set by meson).
 *
 * Outputs are compared with what a fresh element makes of a tight copy of
 * the same input; tests/check/elements/eclutscale.c checks those against
 * the spec. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "eclut-check-util.h"

/* ---------------------------------------------------------------------- */
/* Hostile caps                                                           */

GST_START_TEST (test_hostile_caps)
{
  /* width x scale beyond G_MAXINT, for each scale and on each axis */
  check_negotiation_error (2, "video/x-raw, format=I420, width=1073741824, "
      "height=2, framerate=0/1", NULL, TRUE, "1073741824x2", "exceeds", NULL);
  check_negotiation_error (4, "video/x-raw, format=GRAY8, width=3, "
      "height=178956971, framerate=0/1", NULL, TRUE, "3x178956971", "exceeds",
      NULL);
  check_negotiation_error (4, "video/x-raw, format=GRAY8, width=2, "
      "height=536870912, framerate=0/1", NULL, TRUE, "2x536870912", "exceeds",
      NULL);
  check_negotiation_error (3, "video/x-raw, format=NV12, width=2147483647, "
      "height=2147483647, framerate=0/1", NULL, TRUE, "by 3", "exceeds", NULL);
  /* fits a gint, but the I420 plane strides and sizes do not: GStreamer
   * cannot describe the input (or the output) frame */
  check_negotiation_error (2, "video/x-raw, format=I420, width=1073741823, "
      "height=2, framerate=0/1", NULL, TRUE, "1073741823x2", "exceeds", NULL);
}

GST_END_TEST;

/* Caps queries with hostile ranges and lists give sane answers: the exact
 * sizes offered first are nothing beyond G_MAXINT downstream and nothing
 * that does not divide upstream; after them comes any size. */
GST_START_TEST (test_hostile_caps_query)
{
  GstHarness *h = harness_for (make_scaler (4, 1, NULL));
  GstCaps *filter;
  GstStructure *s;
  const GValue *v;

  /* downstream of [1, MAX] x 4: at most G_MAXINT / 4 * 4 */
  filter = gst_caps_from_string ("video/x-raw, format=GRAY8, "
      "width=[1, 2147483647], height={ 1, 2147483647, 536870911 }");
  /* the transform itself, through the base class */
  {
    GstBaseTransformClass *klass =
        GST_BASE_TRANSFORM_GET_CLASS (h->element);
    GstCaps *out = klass->transform_caps (GST_BASE_TRANSFORM (h->element),
        GST_PAD_SINK, filter, NULL);

    fail_if (gst_caps_is_empty (out));
    s = gst_caps_get_structure (out, 0);
    v = gst_structure_get_value (s, "width");
    fail_unless (GST_VALUE_HOLDS_INT_RANGE (v));
    fail_unless (gst_value_get_int_range_max (v) <= G_MAXINT);
    fail_unless_equals_int (gst_value_get_int_range_max (v) % 4, 0);
    v = gst_structure_get_value (s, "height");
    /* 1 -> 4 and 536870911 -> 2147483644 survive, 2147483647 does not */
    fail_unless (GST_VALUE_HOLDS_LIST (v));
    fail_unless_equals_int (gst_value_list_get_size (v), 2);
    /* then any size */
    fail_unless_equals_int (gst_caps_get_size (out), 2);
    s = gst_caps_get_structure (out, 1);
    v = gst_structure_get_value (s, "height");
    fail_unless (GST_VALUE_HOLDS_INT_RANGE (v));
    fail_unless_equals_int (gst_value_get_int_range_max (v), G_MAXINT);
    gst_caps_unref (out);

    out = klass->transform_caps (GST_BASE_TRANSFORM (h->element),
        GST_PAD_SRC, filter, NULL);
    /* of heights 1, 2147483647 and 536870911 none is a multiple of 4: no
     * exact size, only any size */
    fail_unless_equals_int (gst_caps_get_size (out), 1);
    s = gst_caps_get_structure (out, 0);
    v = gst_structure_get_value (s, "width");
    fail_unless (GST_VALUE_HOLDS_INT_RANGE (v));
    fail_unless_equals_int (gst_value_get_int_range_min (v), 1);
    fail_unless_equals_int (gst_value_get_int_range_max (v), G_MAXINT);
    gst_caps_unref (out);
  }
  gst_caps_unref (filter);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* 1x1 and odd sizes, every format and scale, with a resolution change
 * between consecutive frames of one stream (and a format change too). */
GST_START_TEST (test_tiny_odd_and_renegotiation)
{
  static const gchar *formats[] = {
    "GRAY8", "I420", "YV12", "NV12", "NV21", "Y42B", "Y444"
  };
  static const guint sizes[][2] = {
    {1, 1}, {1, 7}, {7, 1}, {2, 1}, {3, 3}, {17, 9}, {1, 1}, {64, 3}
  };
  guint scale, f, i;
  guint32 seed = 1;

  for (scale = 2; scale <= 4; scale++) {
    GstHarness *h = harness_for (make_scaler (scale, 3, NULL));

    for (f = 0; f < G_N_ELEMENTS (formats); f++) {
      for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
        guint w = sizes[i][0], ht = sizes[i][1];
        GstVideoInfo in_info, out_info;
        GstBuffer *in, *out, *want;
        gchar *caps = caps_string (formats[f], w, ht);

        gst_video_info_set_format (&in_info,
            gst_video_format_from_string (formats[f]), w, ht);
        in = random_buffer (&in_info, seed++);
        gst_harness_set_src_caps_str (h, caps);
        out = gst_harness_push_and_pull (h, gst_buffer_ref (in));
        fail_unless (out != NULL);
        want = scale_fresh (caps, NULL, scale, 1, gst_buffer_ref (in),
            &out_info);
        fail_unless (frames_equal (out, &out_info, want, &out_info),
            "x%u %s %ux%u after a caps change", scale, formats[f], w, ht);
        gst_buffer_unref (in);
        gst_buffer_unref (out);
        gst_buffer_unref (want);
        g_free (caps);
      }
    }
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Input buffers                                                          */

/* @tight copied into a buffer with odd offsets, padded strides, and each
 * plane in its own GstMemory (with a gap memory between) */
static GstBuffer *
scattered_copy (GstBuffer * tight, const GstVideoInfo * info)
{
  GstBuffer *buf = gst_buffer_new ();
  GstVideoFrame fin;
  gsize offset[GST_VIDEO_MAX_PLANES];
  gint stride[GST_VIDEO_MAX_PLANES];
  gsize pos = 0;
  guint p, y;

  fail_unless (gst_video_frame_map (&fin, (GstVideoInfo *) info, tight,
          GST_MAP_READ));
  for (p = 0; p < GST_VIDEO_INFO_N_PLANES (info); p++) {
    gint comp[GST_VIDEO_MAX_COMPONENTS];
    guint rows, bytes, lead = 7 + 5 * p;
    GstMemory *mem;
    GstMapInfo map;

    gst_video_format_info_component (info->finfo, p, comp);
    rows = GST_VIDEO_INFO_COMP_HEIGHT (info, comp[0]);
    bytes = GST_VIDEO_INFO_COMP_WIDTH (info, comp[0]) *
        GST_VIDEO_INFO_COMP_PSTRIDE (info, comp[0]);
    stride[p] = bytes + 33 + p;
    /* a gap memory, then the plane (the last row without padding) */
    mem = gst_allocator_alloc (NULL, lead, NULL);
    gst_buffer_append_memory (buf, mem);
    pos += lead;
    offset[p] = pos;
    mem = gst_allocator_alloc (NULL, (gsize) (rows - 1) * stride[p] + bytes,
        NULL);
    fail_unless (gst_memory_map (mem, &map, GST_MAP_WRITE));
    memset (map.data, 0xEE, map.size);
    for (y = 0; y < rows; y++)
      memcpy (map.data + (gsize) y * stride[p],
          (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fin, p) +
          (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&fin, p), bytes);
    gst_memory_unmap (mem, &map);
    pos += gst_memory_get_sizes (mem, NULL, NULL);
    gst_buffer_append_memory (buf, mem);
  }
  gst_video_frame_unmap (&fin);
  gst_buffer_add_video_meta_full (buf, GST_VIDEO_FRAME_FLAG_NONE,
      GST_VIDEO_INFO_FORMAT (info), GST_VIDEO_INFO_WIDTH (info),
      GST_VIDEO_INFO_HEIGHT (info), GST_VIDEO_INFO_N_PLANES (info), offset,
      stride);
  return buf;
}

/* @tight's bytes in read-only memory */
static GstBuffer *
readonly_copy (GstBuffer * tight, gpointer * data_out)
{
  gsize size = gst_buffer_get_size (tight);
  gpointer data = g_malloc (size);

  gst_buffer_extract (tight, 0, data, size);
  *data_out = g_memdup2 (data, size);
  return gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY, data, size,
      0, size, data, g_free);
}

GST_START_TEST (test_input_layouts)
{
  /* at 10 bits the odd strides and offsets leave the 16-bit samples
   * unaligned */
  static const gchar *formats[] = {
    "GRAY8", "I420", "NV21", "Y42B", "Y444", "I420_10LE", "P010_10LE"
  };
  guint f;

  for (f = 0; f < G_N_ELEMENTS (formats); f++) {
    GstVideoInfo in_info, out_info;
    GstBuffer *tight, *scattered, *ro, *out, *want;
    GstHarness *h = harness_for (make_scaler (2, 2, NULL));
    gchar *caps = caps_string (formats[f], 37, 21);
    gpointer ro_orig;
    GstMapInfo map;

    gst_video_info_set_format (&in_info,
        gst_video_format_from_string (formats[f]), 37, 21);
    tight = random_buffer (&in_info, 77 + f);
    want = scale_fresh (caps, NULL, 2, 1, gst_buffer_ref (tight), &out_info);
    gst_harness_set_src_caps_str (h, caps);

    scattered = scattered_copy (tight, &in_info);
    fail_unless (gst_buffer_n_memory (scattered) > 1);
    out = gst_harness_push_and_pull (h, scattered);
    fail_unless (frames_equal (out, &out_info, want, &out_info),
        "%s: custom offsets/strides/memories", formats[f]);
    gst_buffer_unref (out);

    /* read-only memory, and a buffer someone else still holds */
    ro = readonly_copy (tight, &ro_orig);
    fail_unless (GST_MEMORY_IS_READONLY (gst_buffer_peek_memory (ro, 0)));
    out = gst_harness_push_and_pull (h, gst_buffer_ref (ro));
    fail_unless (frames_equal (out, &out_info, want, &out_info),
        "%s: read-only input", formats[f]);
    fail_unless (gst_buffer_map (ro, &map, GST_MAP_READ));
    fail_unless (memcmp (map.data, ro_orig, map.size) == 0,
        "%s: the input was written to", formats[f]);
    gst_buffer_unmap (ro, &map);
    gst_buffer_unref (out);
    gst_buffer_unref (ro);
    g_free (ro_orig);

    gst_buffer_unref (tight);
    gst_buffer_unref (want);
    g_free (caps);
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* The table file under the element's feet                               */

static gchar *
copy_table (const gchar * dir, guint scale)
{
  gchar *src = shipped_lut_path (scale), *dst, *contents;
  gsize len;

  dst = g_build_filename (dir, "table.lut", NULL);
  fail_unless (g_file_get_contents (src, &contents, &len, NULL));
  fail_unless (g_file_set_contents (dst, contents, len, NULL));
  g_free (contents);
  g_free (src);
  return dst;
}

typedef enum
{
  FILE_DELETED,
  FILE_TRUNCATED,
  FILE_REPLACED,                /* by a valid table for another scale */
  FILE_OVERWRITTEN              /* rewritten in place with garbage */
} FileChange;

GST_START_TEST (test_table_file_changes)
{
  FileChange change;

  for (change = FILE_DELETED; change <= FILE_OVERWRITTEN; change++) {
    gchar *dir = g_dir_make_tmp ("eclut-hardening-XXXXXX", NULL);
    gchar *path = copy_table (dir, 2), *other = shipped_lut_path (3);
    GstHarness *h = harness_for (make_scaler (2, 2, path));
    GstVideoInfo in_info;
    GstBuffer *in, *first, *out;
    gchar *contents;
    gsize len;
    guint i;

    gst_harness_set_src_caps_str (h, "video/x-raw, format=I420, width=32, "
        "height=24, framerate=30/1");
    gst_video_info_set_format (&in_info, GST_VIDEO_FORMAT_I420, 32, 24);
    in = random_buffer (&in_info, 5);
    first = gst_harness_push_and_pull (h, gst_buffer_ref (in));
    fail_unless (first != NULL);

    switch (change) {
      case FILE_DELETED:
        fail_unless_equals_int (g_unlink (path), 0);
        break;
      case FILE_TRUNCATED:
        fail_unless (g_file_set_contents (path, "ECLUT", 5, NULL));
        break;
      case FILE_REPLACED:
        fail_unless (g_file_get_contents (other, &contents, &len, NULL));
        fail_unless (g_file_set_contents (path, contents, len, NULL));
        g_free (contents);
        break;
      case FILE_OVERWRITTEN:{
        FILE *f = g_fopen (path, "r+b");
        guint8 junk[4096];

        fail_unless (f != NULL);
        memset (junk, 0x5A, sizeof (junk));
        for (i = 0; i < 64; i++)
          fail_unless_equals_int (fwrite (junk, 1, sizeof (junk), f),
              sizeof (junk));
        fclose (f);
        break;
      }
    }

    /* the table is in memory: frames keep coming, and the same */
    for (i = 0; i < 5; i++) {
      out = gst_harness_push_and_pull (h, gst_buffer_ref (in));
      fail_unless (out != NULL);
      {
        GstMapInfo m;

        fail_unless (gst_buffer_map (first, &m, GST_MAP_READ));
        fail_unless (gst_buffer_memcmp (out, 0, m.data, m.size) == 0,
            "change %d: output changed with the file", change);
        gst_buffer_unmap (first, &m);
      }
      gst_buffer_unref (out);
    }

    gst_buffer_unref (first);
    gst_buffer_unref (in);
    gst_harness_teardown (h);
    g_unlink (path);
    g_rmdir (dir);
    g_free (other);
    g_free (path);
    g_free (dir);
  }
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */
/* Stability                                                              */

GST_START_TEST (test_start_stop_cycles)
{
  GstHarness *h = harness_for (make_scaler (2, 2, NULL));
  GstVideoInfo in_info, out_info;
  GstBuffer *in, *want;
  guint i;

  gst_video_info_set_format (&in_info, GST_VIDEO_FORMAT_NV12, 20, 10);
  in = random_buffer (&in_info, 9);
  want = scale_fresh ("video/x-raw, format=NV12, width=20, height=10, "
      "framerate=30/1", NULL, 2, 1, gst_buffer_ref (in), &out_info);

  for (i = 0; i < 100; i++) {
    GstBuffer *out;

    /* READY drops the table, PLAYING loads it again */
    fail_unless_equals_int (gst_element_set_state (h->element,
            GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
    fail_unless_equals_int (gst_element_set_state (h->element,
            GST_STATE_PLAYING), GST_STATE_CHANGE_SUCCESS);
    /* every other cycle without a frame: stop before any caps */
    if (i % 2)
      continue;
    gst_harness_set_src_caps_str (h, "video/x-raw, format=NV12, width=20, "
        "height=10, framerate=30/1");
    out = gst_harness_push_and_pull (h, gst_buffer_ref (in));
    fail_unless (out != NULL, "cycle %u", i);
    fail_unless (frames_equal (out, &out_info, want, &out_info), "cycle %u", i);
    gst_buffer_unref (out);
  }

  gst_buffer_unref (in);
  gst_buffer_unref (want);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Several elements in one process, in parallel streaming threads, with
 * different scales and thread counts: each gives the single-element
 * result. */
#define N_PARALLEL 4

typedef struct
{
  guint scale, n_threads, frames;
  GstBuffer *in, *want;
  GstVideoInfo out_info;
  gboolean ok;
} ParallelJob;

static gpointer
parallel_job (gpointer data)
{
  ParallelJob *job = data;
  GstHarness *h = harness_for (make_scaler (job->scale, job->n_threads,
          NULL));
  guint i;

  job->ok = TRUE;
  gst_harness_set_src_caps_str (h, "video/x-raw, format=I420, width=40, "
      "height=30, framerate=30/1");
  for (i = 0; i < job->frames && job->ok; i++) {
    GstBuffer *out = gst_harness_push_and_pull (h, gst_buffer_ref (job->in));

    job->ok = out != NULL && frames_equal (out, &job->out_info, job->want,
        &job->out_info);
    if (out)
      gst_buffer_unref (out);
  }
  gst_harness_teardown (h);
  return NULL;
}

GST_START_TEST (test_parallel_elements)
{
  ParallelJob jobs[N_PARALLEL];
  GThread *threads[N_PARALLEL];
  GstVideoInfo in_info;
  guint i;

  gst_video_info_set_format (&in_info, GST_VIDEO_FORMAT_I420, 40, 30);
  for (i = 0; i < N_PARALLEL; i++) {
    jobs[i].scale = 2 + i % 3;
    jobs[i].n_threads = 1 + i % 3;
    jobs[i].frames = 20;
    jobs[i].in = random_buffer (&in_info, 300 + i);
    jobs[i].want = scale_fresh ("video/x-raw, format=I420, width=40, "
        "height=30, framerate=30/1", NULL, jobs[i].scale, 1,
        gst_buffer_ref (jobs[i].in), &jobs[i].out_info);
  }
  for (i = 0; i < N_PARALLEL; i++)
    threads[i] = g_thread_new ("eclut-job", parallel_job, &jobs[i]);
  for (i = 0; i < N_PARALLEL; i++) {
    g_thread_join (threads[i]);
    fail_unless (jobs[i].ok, "element %u (x%u) gave another result", i,
        jobs[i].scale);
    gst_buffer_unref (jobs[i].in);
    gst_buffer_unref (jobs[i].want);
  }
}

GST_END_TEST;

/* The active leaks tracer, or NULL */
static GstTracer *
find_leaks_tracer (void)
{
  GList *tracers = gst_tracing_get_active_tracers (), *l;
  GstTracer *found = NULL;

  for (l = tracers; l; l = l->next) {
    if (found == NULL &&
        g_strcmp0 (G_OBJECT_TYPE_NAME (l->data), "GstLeaksTracer") == 0)
      found = gst_object_ref (l->data);
  }
  g_list_free_full (tracers, gst_object_unref);
  return found;
}

/* The objects the leaks tracer sees alive, as "type address" strings.
 * (The 1.22 tracer's "activity-get-checkpoint" lists every object created
 * since the checkpoint, freed or not, so it cannot tell leaks apart.) */
static GHashTable *
live_objects (GstTracer * tracer)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  GstStructure *live = NULL;
  const GValue *list;
  guint n, i;

  g_signal_emit_by_name (tracer, "get-live-objects", &live);
  fail_unless (live != NULL);
  list = gst_structure_get_value (live, "live-objects-list");
  fail_unless (list != NULL);
  n = gst_value_list_get_size (list);
  for (i = 0; i < n; i++) {
    const GstStructure *o =
        gst_value_get_structure (gst_value_list_get_value (list, i));
    const GValue *obj = gst_structure_get_value (o, "object");

    /* GStreamer 1.22.0's leaks tracer puts the objects in the structure
     * without a reference of their own, so freeing it would unref them:
     * give it the reference it will drop */
    if (obj && G_VALUE_HOLDS_OBJECT (obj))
      g_object_ref (g_value_peek_pointer (obj));
    else if (obj && G_VALUE_HOLDS_BOXED (obj))    /* a GstMiniObject */
      gst_mini_object_ref (g_value_peek_pointer (obj));
    g_hash_table_add (set, g_strdup_printf ("%s %p",
            obj ? G_VALUE_TYPE_NAME (obj) : "?",
            obj ? g_value_peek_pointer (obj) : NULL));
  }
  gst_structure_free (live);
  return set;
}

/* Objects alive now that were not in @before */
static guint
count_new_objects (GstTracer * tracer, GHashTable * before, gboolean print)
{
  GHashTable *after = live_objects (tracer);
  GHashTableIter it;
  gpointer key;
  guint n = 0;

  g_hash_table_iter_init (&it, after);
  while (g_hash_table_iter_next (&it, &key, NULL)) {
    if (!g_hash_table_contains (before, key)) {
      if (print && n < 20)
        g_printerr ("leaked: %s\n", (const gchar *) key);
      n++;
    }
  }
  g_hash_table_unref (after);
  return n;
}

static void
run_frames (guint n_frames)
{
  GstHarness *h = harness_for (make_scaler (4, 2, NULL));
  GstVideoInfo in_info;
  GstBuffer *in;
  guint i;

  gst_harness_set_src_caps_str (h, "video/x-raw, format=I420, width=16, "
      "height=16, framerate=30/1");
  gst_video_info_set_format (&in_info, GST_VIDEO_FORMAT_I420, 16, 16);
  in = random_buffer (&in_info, 11);
  for (i = 0; i < n_frames; i++) {
    GstBuffer *buf = gst_buffer_copy (in), *out;

    GST_BUFFER_PTS (buf) = i * GST_SECOND / 30;
    out = gst_harness_push_and_pull (h, buf);
    fail_unless (out != NULL, "frame %u", i);
    gst_buffer_unref (out);
  }
  gst_buffer_unref (in);
  gst_harness_teardown (h);
}

/* 10,000 frames through x4 (16x16 I420 in), with the leaks tracer: nothing
 * created during the run may survive it.  The tracer must be active, and
 * the check is shown to work by a deliberate leak first. */
GST_START_TEST (test_leaks_10000_frames)
{
  GstTracer *tracer = find_leaks_tracer ();
  GHashTable *before;
  GstBuffer *leak;

  fail_unless (tracer != NULL,
      "the leaks tracer is not active: run with GST_TRACERS=leaks");

  /* the comparison sees a deliberate leak ... */
  before = live_objects (tracer);
  leak = gst_buffer_new ();
  fail_unless_equals_int (count_new_objects (tracer, before, FALSE), 1);
  gst_buffer_unref (leak);
  g_hash_table_unref (before);

  /* ... and the run leaves nothing behind (a warm-up run first, for
   * GStreamer's one-time allocations) */
  run_frames (10);
  before = live_objects (tracer);
  run_frames (10000);
  fail_unless_equals_int (count_new_objects (tracer, before, TRUE), 0);
  g_hash_table_unref (before);

  gst_object_unref (tracer);
}

GST_END_TEST;

static Suite *
eclutscale_hardening_suite (void)
{
  Suite *s = suite_create ("eclutscale-hardening");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_hostile_caps);
  tcase_add_test (tc, test_hostile_caps_query);
  tcase_add_test (tc, test_tiny_odd_and_renegotiation);
  tcase_add_test (tc, test_input_layouts);
  tcase_add_test (tc, test_table_file_changes);
  tcase_add_test (tc, test_start_stop_cycles);
  tcase_add_test (tc, test_parallel_elements);
  tcase_add_test (tc, test_leaks_10000_frames);

  return s;
}

GST_CHECK_MAIN (eclutscale_hardening);
