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

/* Pipeline benchmark: eclutscale against videoscale, in one process,
 * interleaved (round r runs every case once before round r+1 starts, so a
 * change in machine load hits all cases alike), medians over the rounds.
 *
 *   eclut-bench-pipelines [-d DATASET_DIR] [-w WORK_DIR] [-f FRAMES]
 *       [-r ROUNDS] [-c CSV] [-F FORMAT[,FORMAT...]] [-3 | -j] [-s]
 *       [-p 'PROP=VALUE ...']
 *
 * Clips: natural content matters (the table gather is cache bound, a flat
 * or synthetic picture flatters it), so the clips are made from the largest
 * landscape photos of the training set: each is scaled to the clip height,
 * they are put side by side and the clip pans across them (raw I420,
 * 1920x1080 and 960x540, and 1280x720 for the x3 case that -3 adds,
 * cached in WORK_DIR).  -j runs the common resizing jobs instead (output
 * sizes that are not r times the input, and 960x540 to 2160p through the
 * same negotiation): eclutscale in auto mode and videoscale, both told the
 * output size by a capsfilter.  -F runs every case in each of the formats
 * listed (i420, the default; i420_10le, p010_10le: the I420 clip with each
 * sample v written as the 10-bit v * 4 + v / 64, in another cached file),
 * in the same rounds, so that the formats compare under the same load.
 * -p adds properties to every eclutscale of the fps rows (-p quality=high
 * times the refine stages).  Without the data set the program says so and
 * exits 77 (meson's "skipped").
 *
 * Every case is `filesrc ! rawvideoparse ! <scaler> ! fakesink sync=false`.
 * A pad probe on the sink times the frames after the first (so pipeline
 * start, table loading and ORC compilation are not counted) and samples
 * getrusage() for the CPU time of the whole process (all threads).
 * The pass-through case (no scaler) measures the source and sink, which
 * the "net ms/frame" column subtracts.
 *
 * -s measures the start-up instead (see startup_rows ()): the wall time
 * of a whole gst-launch-1.0 process that scales one frame, eclutscale
 * against videoscale method=lanczos, so that the difference is what
 * eclutscale adds before its first frame (table loading, its layouts,
 * ORC compilation, the first frame's cold caches). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <glib/gstdio.h>
#include <gst/gst.h>

#define OUT_W 3840
#define OUT_H 2160

/* The formats -F offers: rawvideoparse's name, GStreamer's, and the bytes
 * of a sample */
typedef struct
{
  const gchar *opt, *parse_name, *gst_name;
  guint bytes;
} Format;

static const Format formats[] = {
  {"i420", "i420", "I420", 1},
  {"i420_10le", "i420-10le", "I420_10LE", 2},
  {"p010_10le", "p010-10le", "P010_10LE", 2},
};

typedef struct
{
  const gchar *name;            /* case */
  const Format *format;
  guint clip;                   /* index of its clip */
  guint in_w, in_h;
  guint par_n, par_d;           /* pixel-aspect-ratio of the clip */
  guint out_w, out_h;
  gboolean job;                 /* -j: eclutscale in auto mode + capsfilter */
  const gchar *scaler;          /* "eclutscale", "bilinear", "lanczos", "pass" */
  guint n_threads;
  gdouble *fps;                 /* per round */
  gdouble *cpu_ms;
} Case;

/* -p: more eclutscale properties ("quality=high"), in every eclutscale
 * pipeline of the fps rows */
static const gchar *eclut_props = "";

/* ---- photos and clips ------------------------------------------------ */

typedef struct
{
  gchar *path;
  guint w, h;
} Photo;

/* Splits one CSV line (RFC 4180 quotes) into at most @max fields. */
static guint
csv_split (const gchar * line, gchar ** fields, guint max)
{
  GString *f = g_string_new (NULL);
  gboolean quoted = FALSE;
  guint n = 0;
  const gchar *p;

  for (p = line;; p++) {
    if (*p == '"') {
      if (quoted && p[1] == '"') {
        g_string_append_c (f, '"');
        p++;
      } else {
        quoted = !quoted;
      }
    } else if ((*p == ',' && !quoted) || *p == '\0' || *p == '\r') {
      if (n < max)
        fields[n++] = g_strdup (f->str);
      g_string_truncate (f, 0);
      if (*p != ',')
        break;
    } else {
      g_string_append_c (f, *p);
    }
  }
  g_string_free (f, TRUE);
  return n;
}

static gint
photo_cmp (gconstpointer a, gconstpointer b)
{
  const Photo *pa = a, *pb = b;
  guint64 sa = (guint64) pa->w * pa->h, sb = (guint64) pb->w * pb->h;

  if (sa != sb)
    return sa > sb ? -1 : 1;
  return strcmp (pa->path, pb->path);   /* deterministic order */
}

/* The @max largest landscape photos listed in DIR/manifest.csv. */
static GArray *
pick_photos (const gchar * dir, guint max)
{
  gchar *manifest = g_build_filename (dir, "manifest.csv", NULL);
  gchar *text = NULL, **lines;
  GArray *photos = g_array_new (FALSE, FALSE, sizeof (Photo));
  guint i;

  if (!g_file_get_contents (manifest, &text, NULL, NULL)) {
    g_free (manifest);
    return photos;
  }
  lines = g_strsplit (text, "\n", -1);
  for (i = 1; lines[i] != NULL; i++) {
    gchar *f[5] = { NULL, };
    guint n = csv_split (lines[i], f, 5), k;
    Photo p;

    if (n == 5) {
      p.w = (guint) g_ascii_strtoull (f[3], NULL, 10);
      p.h = (guint) g_ascii_strtoull (f[4], NULL, 10);
      p.path = g_build_filename (dir, f[0], NULL);
      /* landscape and at least 900 rows: little enlargement for 1080p */
      if (p.w > p.h && p.h >= 900 && g_file_test (p.path, G_FILE_TEST_EXISTS))
        g_array_append_val (photos, p);
      else
        g_free (p.path);
    }
    for (k = 0; k < n; k++)
      g_free (f[k]);
  }
  g_array_sort (photos, photo_cmp);
  while (photos->len > max) {
    g_free (g_array_index (photos, Photo, photos->len - 1).path);
    g_array_set_size (photos, photos->len - 1);
  }
  g_strfreev (lines);
  g_free (text);
  g_free (manifest);
  return photos;
}

/* Decodes @path scaled to @w x @h I420; @w is a multiple of 8, so that
 * GStreamer's default strides (multiples of 4) are the plane widths. */
static guint8 *
decode_photo (const gchar * path, guint w, guint h)
{
  gchar *esc = g_strescape (path, NULL);
  gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! "
      "videoconvert ! videoscale method=lanczos ! video/x-raw,format=I420,"
      "width=%u,height=%u,pixel-aspect-ratio=1/1 ! appsink name=s sync=false",
      esc, w, h);
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err), *sink;
  GstSample *sample = NULL;
  guint8 *out = NULL;

  g_free (desc);
  g_free (esc);
  if (pipe == NULL) {
    g_printerr ("cannot decode '%s': %s\n", path, err->message);
    g_clear_error (&err);
    return NULL;
  }
  sink = gst_bin_get_by_name (GST_BIN (pipe), "s");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  /* appsink's action signal: no link to libgstapp needed */
  g_signal_emit_by_name (sink, "pull-sample", &sample);
  if (sample != NULL) {
    GstBuffer *buf = gst_sample_get_buffer (sample);
    gsize size = (gsize) w * h * 3 / 2;

    if (gst_buffer_get_size (buf) == size) {
      out = g_malloc (size);
      gst_buffer_extract (buf, 0, out, size);
    } else {
      g_printerr ("'%s': unexpected frame size %" G_GSIZE_FORMAT "\n", path,
          gst_buffer_get_size (buf));
    }
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  return out;
}

/* Writes WORK_DIR/clip-WxH-F.i420 (unless it exists with the right size):
 * @frames frames panning left to right over the photos set side by side.
 * Returns the path, or NULL. */
static gchar *
make_clip (GArray * photos, const gchar * work, guint w, guint h,
    guint frames)
{
  gchar *name = g_strdup_printf ("clip-%ux%u-%u.i420", w, h, frames);
  gchar *path = g_build_filename (work, name, NULL);
  gsize frame_size = (gsize) w * h * 3 / 2;
  guint8 *canvas[3] = { NULL, NULL, NULL }, *frame;
  guint cw = 0, i, f, p;
  GStatBuf st;
  FILE *out;

  g_free (name);
  if (g_stat (path, &st) == 0 && (guint64) st.st_size ==
      (guint64) frame_size * frames)
    return path;

  /* photo widths at this height, multiples of 8 (see decode_photo()) */
  for (i = 0; i < photos->len; i++) {
    Photo *ph = &g_array_index (photos, Photo, i);
    cw += ((guint) ((guint64) ph->w * h / ph->h)) & ~7u;
  }
  if (cw < w) {
    g_printerr ("photos too small for a %ux%u pan\n", w, h);
    g_free (path);
    return NULL;
  }
  for (p = 0; p < 3; p++)
    canvas[p] = g_malloc0 ((gsize) (p ? cw / 2 : cw) * (p ? h / 2 : h));
  {
    guint x0 = 0;

    for (i = 0; i < photos->len; i++) {
      Photo *ph = &g_array_index (photos, Photo, i);
      guint pw = ((guint) ((guint64) ph->w * h / ph->h)) & ~7u, y;
      guint8 *img = decode_photo (ph->path, pw, h);

      if (img == NULL)
        goto fail;
      for (y = 0; y < h; y++)
        memcpy (canvas[0] + (gsize) y * cw + x0, img + (gsize) y * pw, pw);
      for (p = 1; p < 3; p++) {
        const guint8 *plane = img + (gsize) pw * h + (p - 1) *
            ((gsize) pw / 2 * h / 2);

        for (y = 0; y < h / 2; y++)
          memcpy (canvas[p] + (gsize) y * (cw / 2) + x0 / 2,
              plane + (gsize) y * (pw / 2), pw / 2);
      }
      x0 += pw;
      g_free (img);
    }
  }

  out = g_fopen (path, "wb");
  if (out == NULL) {
    g_printerr ("cannot write '%s': %s\n", path, g_strerror (errno));
    goto fail;
  }
  frame = g_malloc (frame_size);
  for (f = 0; f < frames; f++) {
    /* even offsets keep luma and chroma aligned */
    guint x = (guint) ((guint64) (cw - w) * f / MAX (frames - 1, 1)) & ~1u;
    guint y;
    guint8 *d = frame;

    for (y = 0; y < h; y++, d += w)
      memcpy (d, canvas[0] + (gsize) y * cw + x, w);
    for (p = 1; p < 3; p++)
      for (y = 0; y < h / 2; y++, d += w / 2)
        memcpy (d, canvas[p] + (gsize) y * (cw / 2) + x / 2, w / 2);
    if (fwrite (frame, 1, frame_size, out) != frame_size) {
      g_printerr ("write error on '%s'\n", path);
      fclose (out);
      g_free (frame);
      goto fail;
    }
  }
  g_free (frame);
  if (fclose (out) != 0)
    goto fail;
  for (p = 0; p < 3; p++)
    g_free (canvas[p]);
  return path;

fail:
  for (p = 0; p < 3; p++)
    g_free (canvas[p]);
  g_free (path);
  return NULL;
}

/* The 8-bit I420 clip @clip8 (@w x @h, even sizes, @frames frames) in
 * @f (10 bits: each sample v as v * 4 + v / 64, the 8-bit range onto the
 * 10-bit one as GStreamer's conversions do; P010's UV interleaved and all
 * values in the high bits), in GStreamer's default layout, which is tight
 * for these sizes.  Writes WORK_DIR/clip-WxH-F.<format> (unless it exists
 * with the right size); returns the path, or NULL. */
static gchar *
make_clip_format (const gchar * clip8, const Format * f, const gchar * work,
    guint w, guint h, guint frames)
{
  gchar *name = g_strdup_printf ("clip-%ux%u-%u.%s", w, h, frames, f->opt);
  gchar *path = g_build_filename (work, name, NULL);
  gsize size8 = (gsize) w * h * 3 / 2, n = 0, i;
  gboolean p010 = !strcmp (f->opt, "p010_10le");
  guint8 *in, *out;
  FILE *src, *dst;
  GStatBuf st;
  guint k;

  g_free (name);
  if (g_stat (path, &st) == 0 && (guint64) st.st_size ==
      (guint64) size8 * 2 * frames)
    return path;
  src = g_fopen (clip8, "rb");
  dst = g_fopen (path, "wb");
  if (src == NULL || dst == NULL) {
    g_printerr ("cannot convert '%s' into '%s'\n", clip8, path);
    if (src)
      fclose (src);
    if (dst)
      fclose (dst);
    g_free (path);
    return NULL;
  }
  in = g_malloc (size8);
  out = g_malloc (size8 * 2);
  for (k = 0; k < frames && fread (in, 1, size8, src) == size8; k++) {
    const guint8 *u = in + (gsize) w * h, *v = u + (gsize) w * h / 4;
    guint16 word;

    for (i = 0; i < size8; i++) {
      /* sample i of the output's order: Y, then U and V (interleaved for
       * P010) */
      guint s;

      if (i < (gsize) w * h)
        s = in[i];
      else if (!p010)
        s = in[i];
      else {
        gsize j = i - (gsize) w * h;

        s = (j % 2 ? v : u)[j / 2];
      }
      s = s * 4 + s / 64;
      word = GUINT16_TO_LE (p010 ? s << 6 : s);
      memcpy (out + 2 * i, &word, 2);
    }
    n += fwrite (out, 1, size8 * 2, dst) == size8 * 2;
  }
  g_free (in);
  g_free (out);
  fclose (src);
  if (fclose (dst) != 0 || n != frames) {
    g_printerr ("write error on '%s'\n", path);
    g_free (path);
    return NULL;
  }
  return path;
}

/* ---- timing ---------------------------------------------------------- */

typedef struct
{
  guint n;                      /* buffers seen */
  gint64 t_first, t_last;       /* monotonic, us */
  gint64 cpu_first, cpu_last;   /* process CPU time, us */
} Probe;

/* CPU time (user + system) of this process (RUSAGE_SELF, all threads) or
 * of its waited-for children (RUSAGE_CHILDREN), us */
static gint64
cpu_us (int who)
{
  struct rusage ru;

  getrusage (who, &ru);
  return (gint64) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
      ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

static GstPadProbeReturn
on_buffer (G_GNUC_UNUSED GstPad * pad, G_GNUC_UNUSED GstPadProbeInfo * info,
    gpointer data)
{
  Probe *pr = data;
  gint64 t = g_get_monotonic_time (), c = cpu_us (RUSAGE_SELF);

  if (pr->n == 0) {
    pr->t_first = t;
    pr->cpu_first = c;
  }
  pr->t_last = t;
  pr->cpu_last = c;
  pr->n++;
  return GST_PAD_PROBE_OK;
}

/* Runs @c once on @clip; FALSE on a pipeline error. */
static gboolean
run_case (const Case * c, const gchar * clip, guint frames, gdouble * fps,
    gdouble * cpu_ms)
{
  gchar *scaler, *desc;
  GstElement *pipe, *sink;
  GstPad *pad;
  GError *err = NULL;
  GstMessage *msg;
  Probe pr = { 0, };
  gboolean ok = FALSE;

  if (!strcmp (c->scaler, "pass"))
    scaler = g_strdup ("");
  else if (!strcmp (c->scaler, "eclutscale") && c->job)
    scaler = g_strdup_printf ("eclutscale n-threads=%u %s ! "
        "video/x-raw,width=%u,height=%u ! ", c->n_threads, eclut_props,
        c->out_w, c->out_h);
  else if (!strcmp (c->scaler, "eclutscale"))
    scaler = g_strdup_printf ("eclutscale scale=%u n-threads=%u %s ! ",
        c->out_w / c->in_w, c->n_threads, eclut_props);
  else
    scaler = g_strdup_printf ("videoscale method=%s n-threads=%u ! "
        "video/x-raw,width=%u,height=%u ! ", c->scaler, c->n_threads,
        c->out_w, c->out_h);
  desc = g_strdup_printf ("filesrc location=\"%s\" ! rawvideoparse "
      "format=%s width=%u height=%u framerate=60/1 "
      "pixel-aspect-ratio=%u/%u ! %sfakesink name=sink sync=false", clip,
      c->format->parse_name, c->in_w, c->in_h, c->par_n, c->par_d, scaler);
  pipe = gst_parse_launch (desc, &err);
  if (pipe == NULL) {
    g_printerr ("%s: %s\n", desc, err->message);
    g_clear_error (&err);
    g_free (desc);
    g_free (scaler);
    return FALSE;
  }
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_buffer, &pr, NULL);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipe),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gst_message_parse_error (msg, &err, NULL);
    g_printerr ("%s: %s\n", desc, err->message);
    g_clear_error (&err);
  } else if (pr.n == frames && pr.t_last > pr.t_first) {
    /* n - 1 frame intervals after the first frame */
    *fps = (pr.n - 1) * 1e6 / (gdouble) (pr.t_last - pr.t_first);
    *cpu_ms = (pr.cpu_last - pr.cpu_first) / 1e3 / (pr.n - 1);
    ok = TRUE;
  } else {
    g_printerr ("%s: %u of %u frames\n", desc, pr.n, frames);
  }
  gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  g_free (desc);
  g_free (scaler);
  return ok;
}

static gint
dbl_cmp (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static gdouble
median (const gdouble * v, guint n)
{
  gdouble *s = g_memdup2 (v, n * sizeof (gdouble)), m;

  qsort (s, n, sizeof (gdouble), dbl_cmp);
  m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  g_free (s);
  return m;
}

static gdouble
vmin (const gdouble * v, guint n)
{
  gdouble m = v[0];
  guint i;

  for (i = 1; i < n; i++)
    m = MIN (m, v[i]);
  return m;
}

static gdouble
vmax (const gdouble * v, guint n)
{
  gdouble m = v[0];
  guint i;

  for (i = 1; i < n; i++)
    m = MAX (m, v[i]);
  return m;
}

/* ---- start-up ---------------------------------------------------------- */

/* Wall time in ms of one gst-launch-1.0 process scaling the first frame of
 * @clip (@w x @h) with @scaler, or a negative value on failure; its CPU
 * time (all threads) in @cpu_ms. */
static gdouble
startup_once (const gchar * clip, guint w, guint h, const gchar * scaler,
    guint n_threads, gchar ** envp, gdouble * cpu_ms)
{
  gchar *loc = g_strdup_printf ("location=%s", clip);
  gchar *bs = g_strdup_printf ("blocksize=%u", w * h * 3 / 2);
  gchar *fmt = g_strdup_printf ("width=%u", w);
  gchar *fmt_h = g_strdup_printf ("height=%u", h);
  gchar *sc = g_strdup_printf ("scale=%u", OUT_W / w);
  gchar *meth = g_strdup_printf ("method=%s", scaler);
  gchar *nt = g_strdup_printf ("n-threads=%u", n_threads);
  gchar *caps = g_strdup_printf ("video/x-raw,width=%u,height=%u", OUT_W,
      OUT_H);
  const gchar *eclut[] = { "eclutscale", sc, nt, NULL };
  const gchar *vs[] = { "videoscale", meth, nt, "!", caps, NULL };
  const gchar *const *mid = !strcmp (scaler, "eclutscale") ? eclut : vs;
  GPtrArray *argv = g_ptr_array_new ();
  GError *err = NULL;
  gint status = 0;
  gint64 t, cpu;
  guint i;

  g_ptr_array_add (argv, (gpointer) "gst-launch-1.0");
  g_ptr_array_add (argv, (gpointer) "-q");
  g_ptr_array_add (argv, (gpointer) "filesrc");
  g_ptr_array_add (argv, loc);
  g_ptr_array_add (argv, bs);
  g_ptr_array_add (argv, (gpointer) "num-buffers=1");
  g_ptr_array_add (argv, (gpointer) "!");
  g_ptr_array_add (argv, (gpointer) "rawvideoparse");
  g_ptr_array_add (argv, (gpointer) "format=i420");
  g_ptr_array_add (argv, fmt);
  g_ptr_array_add (argv, fmt_h);
  g_ptr_array_add (argv, (gpointer) "!");
  for (i = 0; mid[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) mid[i]);
  g_ptr_array_add (argv, (gpointer) "!");
  g_ptr_array_add (argv, (gpointer) "fakesink");
  g_ptr_array_add (argv, NULL);

  t = g_get_monotonic_time ();
  cpu = cpu_us (RUSAGE_CHILDREN);
  if (!g_spawn_sync (NULL, (gchar **) argv->pdata, envp,
          G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
          NULL, NULL, &status, &err)
      || !g_spawn_check_wait_status (status, &err)) {
    g_printerr ("gst-launch-1.0 with %s: %s\n", scaler, err->message);
    g_clear_error (&err);
    t = -1;
  } else {
    t = g_get_monotonic_time () - t;
    *cpu_ms = (cpu_us (RUSAGE_CHILDREN) - cpu) / 1000.0;
  }
  g_ptr_array_free (argv, TRUE);
  g_free (loc);
  g_free (bs);
  g_free (fmt);
  g_free (fmt_h);
  g_free (sc);
  g_free (meth);
  g_free (nt);
  g_free (caps);
  return t < 0 ? -1.0 : t / 1000.0;
}

/* The start-up rows: per clip and n-threads, the median over @rounds of a
 * one-frame gst-launch-1.0 process with eclutscale and with videoscale
 * lanczos, run alternately (after one warm-up run of each, for the page
 * cache and the registry), and their difference, in wall time and in CPU
 * time (which another job on the machine disturbs less).  The plugin from
 * this build, with a registry of its own in @work. */
static gboolean
startup_rows (gchar ** clips, const guint (*wh)[2], const gchar ** names,
    guint n_sizes, const gchar * work, guint rounds)
{
  gchar *reg = g_build_filename (work, "startup-registry.bin", NULL);
  gchar **envp = g_get_environ ();
  guint k, nt, r;

  envp = g_environ_setenv (envp, "GST_PLUGIN_PATH_1_0",
      ECLUT_PLUGIN_BUILD_DIR, TRUE);
  envp = g_environ_setenv (envp, "GST_REGISTRY_1_0", reg, TRUE);
  g_print ("\nstart-up: wall time of gst-launch-1.0 scaling one frame, "
      "median of %u rounds (ms)\n\n", rounds);
  g_print ("| case | n-threads | eclutscale | videoscale lanczos | "
      "eclutscale - lanczos | min-max of the difference | CPU ms: "
      "eclutscale - lanczos |\n");
  g_print ("|---|---:|---:|---:|---:|---:|---:|\n");
  for (k = 0; k < n_sizes; k++)
    for (nt = 1; nt <= 2; nt++) {
      gdouble *te = g_new0 (gdouble, rounds), *tl = g_new0 (gdouble, rounds);
      gdouble *d = g_new0 (gdouble, rounds), *dc = g_new0 (gdouble, rounds);

      for (r = 0; r <= rounds; r++) {
        gdouble ca = 0, cb = 0;
        gdouble a = startup_once (clips[k], wh[k][0], wh[k][1], "eclutscale",
            nt, envp, &ca);
        gdouble b = startup_once (clips[k], wh[k][0], wh[k][1], "lanczos",
            nt, envp, &cb);

        if (a < 0 || b < 0) {
          g_free (te);
          g_free (tl);
          g_free (d);
          g_free (dc);
          g_strfreev (envp);
          g_free (reg);
          return FALSE;
        }
        if (r == 0)
          continue;             /* warm-up */
        te[r - 1] = a;
        tl[r - 1] = b;
        d[r - 1] = a - b;
        dc[r - 1] = ca - cb;
      }
      g_print ("| %s | %u | %.0f | %.0f | %.0f | %.0f-%.0f | %.0f |\n",
          names[k], nt, median (te, rounds), median (tl, rounds),
          median (d, rounds), vmin (d, rounds), vmax (d, rounds),
          median (dc, rounds));
      g_free (te);
      g_free (tl);
      g_free (d);
      g_free (dc);
    }
  g_strfreev (envp);
  g_free (reg);
  return TRUE;
}

static const Case *
find_case (const Case * cases, guint n, const gchar * name,
    const gchar * scaler, guint nt)
{
  guint i;

  for (i = 0; i < n; i++)
    if (!strcmp (cases[i].name, name) && !strcmp (cases[i].scaler, scaler)
        && cases[i].n_threads == nt)
      return &cases[i];
  return NULL;
}

int
main (int argc, char **argv)
{
  gchar *data_dir = g_build_filename (ECLUT_SOURCE_ROOT, "..", "shared",
      "datasets", "train", NULL);
  const gchar *work = ".", *csv_path = NULL;
  guint frames = 60, rounds = 5, i, k, n_cases = 0, n_sizes = 2;
  gboolean jobs = FALSE;
  /* per size and format (size k, format f: k * n_formats + f) */
  gchar *clips[4 * G_N_ELEMENTS (formats)];
  const Format *fmts[G_N_ELEMENTS (formats)] = { &formats[0] };
  guint n_formats = 1, f;
  GArray *photos;
  Case cases[4 * G_N_ELEMENTS (formats) * 7];
  static const struct
  {
    const gchar *name;
    guint w, h, par_n, par_d, out_w, out_h;
  } integer_sizes[3] = {
    {"x4 960x540", 960, 540, 1, 1, OUT_W, OUT_H},
    {"x2 1920x1080", 1920, 1080, 1, 1, OUT_W, OUT_H},
    {"x3 1280x720", 1280, 720, 1, 1, OUT_W, OUT_H}
  }, job_sizes[4] = {
    {"1280x720 -> 1920x1080", 1280, 720, 1, 1, 1920, 1080},
    /* a 16:9 DVD */
    {"720x480 -> 1920x1080", 720, 480, 32, 27, 1920, 1080},
    {"1920x1080 -> 2560x1440", 1920, 1080, 1, 1, 2560, 1440},
    {"960x540 -> 3840x2160", 960, 540, 1, 1, 3840, 2160}
  }, *sizes = integer_sizes;
  static const gchar *scalers[] = { "eclutscale", "bilinear", "lanczos" };
  FILE *csv = NULL;
  gboolean startup = FALSE;

  for (i = 1; i < (guint) argc; i++) {
    if (!strcmp (argv[i], "-d") && i + 1 < (guint) argc) {
      g_free (data_dir);
      data_dir = g_strdup (argv[++i]);
    } else if (!strcmp (argv[i], "-w") && i + 1 < (guint) argc)
      work = argv[++i];
    else if (!strcmp (argv[i], "-f") && i + 1 < (guint) argc)
      frames = (guint) atoi (argv[++i]);
    else if (!strcmp (argv[i], "-r") && i + 1 < (guint) argc)
      rounds = (guint) atoi (argv[++i]);
    else if (!strcmp (argv[i], "-c") && i + 1 < (guint) argc)
      csv_path = argv[++i];
    else if (!strcmp (argv[i], "-3"))
      n_sizes = 3;
    else if (!strcmp (argv[i], "-j"))
      jobs = TRUE;
    else if (!strcmp (argv[i], "-s"))
      startup = TRUE;
    else if (!strcmp (argv[i], "-p") && i + 1 < (guint) argc)
      eclut_props = argv[++i];
    else if (!strcmp (argv[i], "-F") && i + 1 < (guint) argc) {
      gchar **names = g_strsplit (argv[++i], ",", -1);

      for (n_formats = 0; names[n_formats] != NULL; n_formats++) {
        fmts[n_formats] = NULL;
        for (f = 0; f < G_N_ELEMENTS (formats); f++)
          if (n_formats < G_N_ELEMENTS (formats) &&
              !g_ascii_strcasecmp (names[n_formats], formats[f].opt))
            fmts[n_formats] = &formats[f];
        if (fmts[n_formats] == NULL) {
          g_printerr ("-F: '%s' is not one of i420, i420_10le, p010_10le "
              "(each at most once)\n", names[n_formats]);
          g_strfreev (names);
          return 2;
        }
      }
      g_strfreev (names);
      if (n_formats == 0)
        return 2;
    } else {
      g_printerr ("usage: %s [-d DATASET_DIR] [-w WORK_DIR] [-f FRAMES] "
          "[-r ROUNDS] [-c CSV] [-F FORMAT[,FORMAT...]] [-3 | -j] [-s] "
          "[-p 'PROP=VALUE ...']\n", argv[0]);
      return 2;
    }
  }
  if (startup && (n_formats > 1 || fmts[0] != &formats[0])) {
    g_printerr ("-s measures the start-up on the I420 clips only\n");
    return 2;
  }
  if (jobs && startup) {
    g_printerr ("-j and -s: one at a time (start-up is measured on the "
        "integer-scale clips)\n");
    return 2;
  }
  if (jobs) {
    sizes = job_sizes;
    n_sizes = G_N_ELEMENTS (job_sizes);
  }
  if (frames < 2 || rounds < 1) {
    g_printerr ("need at least 2 frames and 1 round\n");
    return 2;
  }

  /* this source tree's tables unless ECLUT_LUT_DIR names others: the
   * plugin does not have the source tree compiled in (meson.build) */
  g_setenv ("ECLUT_LUT_DIR", ECLUT_LUT_SOURCE_DIR, FALSE);
  gst_init (&argc, &argv);
  /* the plugin from this build, whatever GST_PLUGIN_PATH says */
  gst_registry_scan_path (gst_registry_get (), ECLUT_PLUGIN_BUILD_DIR);
  {
    GstElementFactory *f = gst_element_factory_find ("eclutscale");

    if (f == NULL) {
      g_printerr ("eclutscale not found in %s\n", ECLUT_PLUGIN_BUILD_DIR);
      return 1;
    }
    gst_object_unref (f);
  }

  photos = pick_photos (data_dir, 4);
  if (photos->len == 0) {
    g_print ("no photos in '%s' (manifest.csv): skipping the benchmark; "
        "pass -d DATASET_DIR\n", data_dir);
    return 77;
  }
  g_print ("clips: %u frames panning over", frames);
  for (i = 0; i < photos->len; i++)
    g_print (" %s", g_array_index (photos, Photo, i).path);
  g_print ("\n");
  for (k = 0; k < n_sizes; k++) {
    gchar *clip8 = make_clip (photos, work, sizes[k].w, sizes[k].h, frames);

    if (clip8 == NULL)
      return 1;
    for (f = 0; f < n_formats; f++) {
      clips[k * n_formats + f] = fmts[f]->bytes == 1 ? g_strdup (clip8) :
          make_clip_format (clip8, fmts[f], work, sizes[k].w, sizes[k].h,
          frames);
      if (clips[k * n_formats + f] == NULL)
        return 1;
    }
    g_free (clip8);
  }

  if (startup) {
    const gchar *names[3];
    guint wh[3][2];

    for (k = 0; k < n_sizes; k++) {
      names[k] = sizes[k].name;
      wh[k][0] = sizes[k].w;
      wh[k][1] = sizes[k].h;
    }
    i = startup_rows (clips, (const guint (*)[2]) wh, names, n_sizes, work,
        rounds) ? 0 : 1;
    for (k = 0; k < n_sizes; k++)
      g_free (clips[k]);
    for (k = 0; k < photos->len; k++)
      g_free (g_array_index (photos, Photo, k).path);
    g_array_free (photos, TRUE);
    g_free (data_dir);
    return (int) i;
  }

  for (k = 0; k < n_sizes * n_formats; k++) {
    Case *c = &cases[n_cases++];
    /* the case's name carries the format when there are several */
    gchar *full = g_strdup_printf ("%s %s", sizes[k / n_formats].name,
        fmts[k % n_formats]->gst_name);
    const gchar *name = n_formats == 1 ? sizes[k / n_formats].name :
        g_intern_string (full);
    const Format *fmt = fmts[k % n_formats];

    g_free (full);

    memset (c, 0, sizeof (*c));
    c->name = name;
    c->format = fmt;
    c->clip = k;
    c->in_w = sizes[k / n_formats].w;
    c->in_h = sizes[k / n_formats].h;
    c->par_n = sizes[k / n_formats].par_n;
    c->par_d = sizes[k / n_formats].par_d;
    c->scaler = "pass";
    c->n_threads = 1;
    for (i = 0; i < G_N_ELEMENTS (scalers); i++) {
      guint nt;

      for (nt = 1; nt <= 2; nt++) {
        c = &cases[n_cases++];
        memset (c, 0, sizeof (*c));
        c->name = name;
        c->format = fmt;
        c->clip = k;
        c->in_w = sizes[k / n_formats].w;
        c->in_h = sizes[k / n_formats].h;
        c->par_n = sizes[k / n_formats].par_n;
        c->par_d = sizes[k / n_formats].par_d;
        c->out_w = sizes[k / n_formats].out_w;
        c->out_h = sizes[k / n_formats].out_h;
        c->job = jobs;
        c->scaler = scalers[i];
        c->n_threads = nt;
      }
    }
  }
  for (i = 0; i < n_cases; i++) {
    cases[i].fps = g_new0 (gdouble, rounds);
    cases[i].cpu_ms = g_new0 (gdouble, rounds);
  }

  /* a warm-up round (page cache, table files, ORC), then the timed ones,
   * each running every case once */
  for (k = 0; k <= rounds; k++) {
    g_printerr ("round %u/%u%s\n", k, rounds, k == 0 ? " (warm-up)" : "");
    for (i = 0; i < n_cases; i++) {
      Case *c = &cases[i];
      gdouble fps = 0, cpu = 0;

      if (!run_case (c, clips[c->clip], frames, &fps, &cpu))
        return 1;
      if (k > 0) {
        c->fps[k - 1] = fps;
        c->cpu_ms[k - 1] = cpu;
      }
    }
  }

  if (csv_path != NULL) {
    csv = g_fopen (csv_path, "w");
    if (csv == NULL) {
      g_printerr ("cannot write '%s': %s\n", csv_path, g_strerror (errno));
      return 1;
    }
    fprintf (csv, "case,scaler,n_threads,median_fps,min_fps,max_fps,"
        "cpu_ms_per_frame,net_ms_per_frame,ratio_lanczos,ratio_bilinear\n");
  }
  g_print ("\n%u frames, %u rounds, medians; net = ms/frame minus the "
      "pass-through's\n\n", frames, rounds);
  g_print ("| case | scaler | n-threads | fps (median) | fps min-max | "
      "CPU ms/frame | net ms/frame | x lanczos | x bilinear |\n");
  g_print ("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
  for (i = 0; i < n_cases; i++) {
    const Case *c = &cases[i];
    const Case *pass = find_case (cases, n_cases, c->name, "pass", 1);
    const Case *lan = find_case (cases, n_cases, c->name, "lanczos",
        c->n_threads);
    const Case *bil = find_case (cases, n_cases, c->name, "bilinear",
        c->n_threads);
    gdouble fps = median (c->fps, rounds), cpu = median (c->cpu_ms, rounds);
    gdouble net = 1000.0 / fps - 1000.0 / median (pass->fps, rounds);
    gboolean is_pass = !strcmp (c->scaler, "pass");
    gdouble rl = is_pass ? 0 : fps / median (lan->fps, rounds);
    gdouble rb = is_pass ? 0 : fps / median (bil->fps, rounds);
    gchar *label = is_pass ? g_strdup ("pass-through") :
        !strcmp (c->scaler, "eclutscale") ? g_strdup ("**eclutscale**") :
        g_strdup_printf ("videoscale %s", c->scaler);

    if (is_pass)
      g_print ("| %s | %s | - | %.1f | %.1f-%.1f | %.2f | - | - | - |\n",
          c->name, label, fps, vmin (c->fps, rounds), vmax (c->fps, rounds),
          cpu);
    else
      g_print ("| %s | %s | %u | %.1f | %.1f-%.1f | %.2f | %.2f | %.2f | "
          "%.2f |\n", c->name, label, c->n_threads, fps, vmin (c->fps,
              rounds), vmax (c->fps, rounds), cpu, net, rl, rb);
    if (csv)
      fprintf (csv, "%s,%s,%u,%.3f,%.3f,%.3f,%.3f,%.3f,%.4f,%.4f\n",
          c->name, c->scaler, c->n_threads, fps, vmin (c->fps, rounds),
          vmax (c->fps, rounds), cpu, is_pass ? 0.0 : net, rl, rb);
    g_free (label);
  }
  if (csv && fclose (csv) != 0) {
    g_printerr ("write error on '%s'\n", csv_path);
    return 1;
  }

  for (i = 0; i < n_cases; i++) {
    g_free (cases[i].fps);
    g_free (cases[i].cpu_ms);
  }
  for (k = 0; k < n_sizes * n_formats; k++)
    g_free (clips[k]);
  for (i = 0; i < photos->len; i++)
    g_free (g_array_index (photos, Photo, i).path);
  g_array_free (photos, TRUE);
  g_free (data_dir);
  return 0;
}
