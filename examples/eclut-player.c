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

/* eclut-player: a minimal media player that upscales the video with
 * eclutscale.
 *
 * It is playbin with eclutscale as its "video-filter": playbin demuxes and
 * decodes the file, converts the decoded video to a format the filter
 * accepts, runs the filter and shows the result in "video-sink"; audio
 * plays as usual.
 *
 *   eclut-player [--scale N] [--lut-path FILE] [--sink ELEMENT]
 *                [--frames N] FILE-OR-URI
 *
 * --sink replaces the default autovideosink (e.g. "fakesink" in tests),
 * --frames stops after N upscaled frames.  The program prints the caps
 * eclutscale negotiated (input -> output size and format) and, at the
 * end, the number of frames it upscaled.
 *
 * Build: the project's meson build (build/examples/eclut-player), or
 *   cc eclut-player.c -o eclut-player $(pkg-config --cflags --libs gstreamer-1.0)
 */

#include <stdlib.h>
#include <gst/gst.h>

typedef struct
{
  GstElement *playbin;
  GMainLoop *loop;
  gint exit_code;
  guint max_frames;             /* 0: play to the end */
  gint frames;                  /* atomic: buffers seen on eclutscale's src pad */
  gint limit_posted;            /* atomic */
} Player;

static void
print_caps (GstElement * filter)
{
  GstPad *sinkpad = gst_element_get_static_pad (filter, "sink");
  GstPad *srcpad = gst_element_get_static_pad (filter, "src");
  GstCaps *in = gst_pad_get_current_caps (sinkpad);
  GstCaps *out = gst_pad_get_current_caps (srcpad);

  if (in != NULL && out != NULL) {
    GstStructure *si = gst_caps_get_structure (in, 0);
    GstStructure *so = gst_caps_get_structure (out, 0);
    gint iw = 0, ih = 0, ow = 0, oh = 0;

    gst_structure_get_int (si, "width", &iw);
    gst_structure_get_int (si, "height", &ih);
    gst_structure_get_int (so, "width", &ow);
    gst_structure_get_int (so, "height", &oh);
    g_print ("eclut-player: eclutscale %dx%d %s -> %dx%d %s\n", iw, ih,
        gst_structure_get_string (si, "format"), ow, oh,
        gst_structure_get_string (so, "format"));
  }
  if (in != NULL)
    gst_caps_unref (in);
  if (out != NULL)
    gst_caps_unref (out);
  gst_object_unref (sinkpad);
  gst_object_unref (srcpad);
}

/* Called in the streaming thread for every buffer eclutscale pushes. */
static GstPadProbeReturn
count_frames (GstPad * pad, G_GNUC_UNUSED GstPadProbeInfo * info,
    gpointer user_data)
{
  Player *player = user_data;
  gint n;

  if (player->max_frames > 0 &&
      (guint) g_atomic_int_get (&player->frames) >= player->max_frames)
    return GST_PAD_PROBE_DROP;

  n = g_atomic_int_add (&player->frames, 1) + 1;
  if (n == 1) {
    GstElement *filter = gst_pad_get_parent_element (pad);

    print_caps (filter);
    gst_object_unref (filter);
  }
  if (player->max_frames > 0 && (guint) n == player->max_frames &&
      g_atomic_int_compare_and_exchange (&player->limit_posted, 0, 1)) {
    /* the main loop stops the player when it sees this message */
    gst_element_post_message (player->playbin,
        gst_message_new_application (GST_OBJECT (player->playbin),
            gst_structure_new_empty ("eclut-player-frame-limit")));
  }
  return GST_PAD_PROBE_OK;
}

static gboolean
on_bus_message (G_GNUC_UNUSED GstBus * bus, GstMessage * msg,
    gpointer user_data)
{
  Player *player = user_data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:{
      GError *err = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (msg, &err, &debug);
      g_printerr ("eclut-player: error from %s: %s\n%s\n",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message,
          debug ? debug : "");
      g_clear_error (&err);
      g_free (debug);
      player->exit_code = 1;
      g_main_loop_quit (player->loop);
      break;
    }
    case GST_MESSAGE_EOS:
      g_main_loop_quit (player->loop);
      break;
    case GST_MESSAGE_APPLICATION:
      if (gst_message_has_name (msg, "eclut-player-frame-limit"))
        g_main_loop_quit (player->loop);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  Player player = { NULL, };
  guint scale = 2, max_frames = 0;
  gchar *lut_path = NULL, *sink_name = NULL, *uri;
  GstElement *filter, *sink;
  GstPad *srcpad;
  GstBus *bus;
  GError *err = NULL;
  GOptionContext *ctx;
  GOptionEntry entries[] = {
    {"scale", 's', 0, G_OPTION_ARG_INT, &scale,
        "Upscaling factor: 2, 3 or 4 (default 2)", "N"},
    {"lut-path", 'l', 0, G_OPTION_ARG_FILENAME, &lut_path,
        "Table file (default: the table shipped for the scale)", "FILE"},
    {"sink", 0, 0, G_OPTION_ARG_STRING, &sink_name,
        "Video sink element (default autovideosink)", "ELEMENT"},
    {"frames", 'n', 0, G_OPTION_ARG_INT, &max_frames,
        "Stop after N frames (default: play to the end)", "N"},
    {NULL}
  };

  ctx = g_option_context_new ("FILE-OR-URI - play a video upscaled with "
      "eclutscale");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    g_printerr ("eclut-player: %s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);
  if (argc != 2) {
    g_printerr ("usage: %s [OPTION...] FILE-OR-URI (see --help)\n", argv[0]);
    return 2;
  }

  if (gst_uri_is_valid (argv[1])) {
    uri = g_strdup (argv[1]);
  } else {
    uri = gst_filename_to_uri (argv[1], &err);
    if (uri == NULL) {
      g_printerr ("eclut-player: %s\n", err->message);
      return 2;
    }
  }

  player.playbin = gst_element_factory_make ("playbin", NULL);
  filter = gst_element_factory_make ("eclutscale", NULL);
  sink = gst_element_factory_make (sink_name ? sink_name : "autovideosink",
      NULL);
  if (player.playbin == NULL || filter == NULL || sink == NULL) {
    g_printerr ("eclut-player: missing element: %s\n",
        player.playbin == NULL ? "playbin" : filter == NULL ? "eclutscale" :
        (sink_name ? sink_name : "autovideosink"));
    return 1;
  }

  /* scale and lut-path can only be set before the element starts */
  g_object_set (filter, "scale", scale, NULL);
  if (lut_path != NULL)
    g_object_set (filter, "lut-path", lut_path, NULL);
  /* playbin puts a videoconvert in front of the filter, so any decoder
   * output format works */
  g_object_set (player.playbin, "uri", uri, "video-filter", filter,
      "video-sink", sink, NULL);

  player.max_frames = max_frames;
  srcpad = gst_element_get_static_pad (filter, "src");
  gst_pad_add_probe (srcpad, GST_PAD_PROBE_TYPE_BUFFER, count_frames,
      &player, NULL);
  gst_object_unref (srcpad);

  player.loop = g_main_loop_new (NULL, FALSE);
  bus = gst_element_get_bus (player.playbin);
  gst_bus_add_watch (bus, on_bus_message, &player);

  g_print ("eclut-player: playing %s upscaled x%u\n", uri, scale);
  if (gst_element_set_state (player.playbin, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    /* the reason (e.g. a table that cannot be loaded) is on the bus */
    player.exit_code = 1;
    while (TRUE) {
      GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (msg == NULL)
        break;
      on_bus_message (bus, msg, &player);
      gst_message_unref (msg);
    }
  } else {
    g_main_loop_run (player.loop);
  }

  gst_element_set_state (player.playbin, GST_STATE_NULL);
  g_print ("eclut-player: %d frames upscaled\n",
      g_atomic_int_get (&player.frames));

  gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (player.playbin);
  g_main_loop_unref (player.loop);
  g_free (uri);
  g_free (lut_path);
  g_free (sink_name);
  return player.exit_code;
}
