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

/**
 * SECTION:element-eclutscale
 * @title: eclutscale
 *
 * Upscales video by an integer factor (2, 3 or 4).  The luma plane goes
 * through a learned lookup table (ECLUT: a 2-pixel kernel evaluated in four
 * rotations, with an expand stage; see docs/lut-format.md), the chroma planes
 * are scaled bilinearly with centre-aligned sampling that follows the
 * stream's chroma siting.
 *
 * The output is always exactly @scale times the input in both directions;
 * in reverse negotiation, downstream sizes that @scale does not divide are
 * refused.  Framerate, pixel-aspect-ratio, colorimetry and chroma-site are
 * passed through unchanged.
 *
 * The table is loaded when the element goes from READY to PAUSED: either
 * the file named by #GstEclutScale:lut-path, or the table shipped for the
 * scale (eclut-x2.lut, eclut-x3.lut, eclut-x4.lut), looked up in the
 * directory named by the `ECLUT_LUT_DIR` environment variable, then the
 * installed data directory, then the source tree the plugin was built from.
 * A missing, unreadable or corrupt table, or one made for another scale, is
 * an error naming the file and the reason.
 *
 * ## Example pipelines
 * |[
 * gst-launch-1.0 filesrc location=in.png ! pngdec ! videoconvert ! \
 *     video/x-raw,format=GRAY8 ! eclutscale scale=4 ! pngenc ! \
 *     filesink location=out.png
 * ]| Upscales a PNG picture four times (as grey).
 * |[
 * gst-launch-1.0 filesrc location=in.mkv ! decodebin ! videoconvert ! \
 *     video/x-raw,format=I420 ! eclutscale scale=2 n-threads=0 ! \
 *     x264enc ! matroskamux ! filesink location=out.mkv
 * ]| Upscales a video file two times using all CPU cores and encodes it.
 * |[
 * gst-launch-1.0 playbin uri=file:///path/to/in.mkv \
 *     video-filter="videoconvert ! eclutscale"
 * ]| Plays a file upscaled two times.
 * |[
 * gst-launch-1.0 videotestsrc ! video/x-raw,width=320,height=240 ! \
 *     eclutscale scale=3 ! videoconvert ! autovideosink
 * ]| Shows a test pattern upscaled to 960x720.
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/video/navigation.h>

#include "gsteclutscale.h"
#include "eclut-lut.h"
#include "eclut-luma.h"
#include "eclut-chroma.h"

GST_DEBUG_CATEGORY_STATIC (gst_eclut_scale_debug);
#define GST_CAT_DEFAULT gst_eclut_scale_debug

#define DEFAULT_SCALE 2
#define DEFAULT_LUT_PATH NULL
#define DEFAULT_N_THREADS 0

enum
{
  PROP_0,
  PROP_SCALE,
  PROP_LUT_PATH,
  PROP_N_THREADS
};

/* Per output plane: the luma plane goes through the table, the others
 * through the bilinear chroma core. */
typedef struct
{
  gboolean is_luma;
  guint in_width, in_height;    /* luma only */
  guint out_height;             /* rows to produce, split over the stripes */
  EclutChromaParams chroma;     /* chroma only */
} GstEclutScalePlane;

struct _GstEclutScale
{
  GstVideoFilter parent;

  /* properties, protected by the object lock */
  guint scale;
  gchar *lut_path;
  guint n_threads;
  /* TRUE from start() to stop(): the loaded table fixes the scale, so
   * scale and lut-path may not change (also covers the moment start() runs
   * while GST_STATE is still READY) */
  gboolean started;

  /* streaming state: touched only by start/stop (pads inactive) and by the
   * streaming thread (set_info, transform_frame) */
  EclutLut *lut;
  EclutLumaPlan *luma_plan;     /* the luma code for this stream */
  guint n_planes;
  GstEclutScalePlane planes[GST_VIDEO_MAX_PLANES];
  gsize scratch_size;
  guint n_scratch;
  gpointer *scratch_mem;        /* n_scratch raw allocations */
  GstTaskPool *pool;
  guint pool_threads;
};

/* One stripe of output rows: every plane is cut into n_stripes bands of
 * ceil(height / n_stripes) rows, as GstVideoConverter does; stripe i
 * writes band i of each plane with its own scratch memory. */
typedef struct
{
  GstEclutScale *self;
  GstVideoFrame *in_frame;
  GstVideoFrame *out_frame;
  guint index;
  guint n_stripes;
  gpointer scratch;
} GstEclutScaleStripe;

#define ECLUT_SCALE_FORMATS "{ GRAY8, I420, YV12, NV12, NV21, Y42B, Y444 }"
#define ECLUT_SCALE_CAPS \
    GST_VIDEO_CAPS_MAKE (ECLUT_SCALE_FORMATS) \
    ", interlace-mode = (string) progressive"

static GstStaticPadTemplate gst_eclut_scale_sink_template =
GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (ECLUT_SCALE_CAPS));

static GstStaticPadTemplate gst_eclut_scale_src_template =
GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (ECLUT_SCALE_CAPS));

#define gst_eclut_scale_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstEclutScale, gst_eclut_scale,
    GST_TYPE_VIDEO_FILTER,
    GST_DEBUG_CATEGORY_INIT (gst_eclut_scale_debug, "eclut", 0,
        "ECLUT upscaler"));
GST_ELEMENT_REGISTER_DEFINE (eclutscale, "eclutscale", GST_RANK_NONE,
    GST_TYPE_ECLUT_SCALE);

static void gst_eclut_scale_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_eclut_scale_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_eclut_scale_finalize (GObject * object);

static gboolean gst_eclut_scale_start (GstBaseTransform * trans);
static gboolean gst_eclut_scale_stop (GstBaseTransform * trans);
static GstCaps *gst_eclut_scale_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter);
static gboolean gst_eclut_scale_accept_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps);
static gboolean gst_eclut_scale_src_event (GstBaseTransform * trans,
    GstEvent * event);
static gboolean gst_eclut_scale_transform_meta (GstBaseTransform * trans,
    GstBuffer * outbuf, GstMeta * meta, GstBuffer * inbuf);
static gboolean gst_eclut_scale_set_info (GstVideoFilter * filter,
    GstCaps * incaps, GstVideoInfo * in_info, GstCaps * outcaps,
    GstVideoInfo * out_info);
static GstFlowReturn gst_eclut_scale_transform_frame (GstVideoFilter *
    filter, GstVideoFrame * in_frame, GstVideoFrame * out_frame);

static void
gst_eclut_scale_class_init (GstEclutScaleClass * klass)
{
  GObjectClass *gobject_class = (GObjectClass *) klass;
  GstElementClass *element_class = (GstElementClass *) klass;
  GstBaseTransformClass *trans_class = (GstBaseTransformClass *) klass;
  GstVideoFilterClass *filter_class = (GstVideoFilterClass *) klass;

  gobject_class->set_property = gst_eclut_scale_set_property;
  gobject_class->get_property = gst_eclut_scale_get_property;
  gobject_class->finalize = gst_eclut_scale_finalize;

  /**
   * GstEclutScale:scale:
   *
   * The upscaling factor r: the output is r times the input in width and
   * height.  Selects the shipped table eclut-x<r>.lut when
   * #GstEclutScale:lut-path is empty; a table given in lut-path must be made
   * for this scale.  Changeable only in the NULL and READY states.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_SCALE,
      g_param_spec_uint ("scale", "Scale",
          "Upscaling factor (output is scale times the input in both "
          "directions)", ECLUT_LUT_MIN_SCALE, ECLUT_LUT_MAX_SCALE,
          DEFAULT_SCALE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstEclutScale:lut-path:
   *
   * Path of an ECLUT table file (format: docs/lut-format.md).  When empty
   * (the default), the table shipped for #GstEclutScale:scale is used,
   * looked up in $ECLUT_LUT_DIR, the installed data directory and the
   * source tree, in this order.  The table is read when the element goes
   * to PAUSED.  Changeable only in the NULL and READY states.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_LUT_PATH,
      g_param_spec_string ("lut-path", "Table path",
          "ECLUT table file (empty: the table shipped for the scale)",
          DEFAULT_LUT_PATH, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstEclutScale:n-threads:
   *
   * Maximum number of threads used to process one frame; 0 uses one per
   * CPU core.  The output is identical for every value.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_N_THREADS,
      g_param_spec_uint ("n-threads", "Threads",
          "Maximum number of threads (0 = one per CPU core)",
          0, G_MAXUINT, DEFAULT_N_THREADS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_add_static_pad_template (element_class,
      &gst_eclut_scale_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &gst_eclut_scale_src_template);
  gst_element_class_set_static_metadata (element_class,
      "ECLUT upscaler", "Filter/Converter/Video/Scaler",
      "Upscales video 2, 3 or 4 times: luma with a learned lookup table, "
      "chroma bilinearly", "The eclut authors");

  trans_class->start = GST_DEBUG_FUNCPTR (gst_eclut_scale_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_eclut_scale_stop);
  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_eclut_scale_transform_caps);
  trans_class->accept_caps = GST_DEBUG_FUNCPTR (gst_eclut_scale_accept_caps);
  trans_class->src_event = GST_DEBUG_FUNCPTR (gst_eclut_scale_src_event);
  trans_class->transform_meta =
      GST_DEBUG_FUNCPTR (gst_eclut_scale_transform_meta);
  /* The output is never the input buffer: no in-place, no passthrough. */
  trans_class->passthrough_on_same_caps = FALSE;

  filter_class->set_info = GST_DEBUG_FUNCPTR (gst_eclut_scale_set_info);
  filter_class->transform_frame =
      GST_DEBUG_FUNCPTR (gst_eclut_scale_transform_frame);
}

static void
gst_eclut_scale_init (GstEclutScale * self)
{
  self->scale = DEFAULT_SCALE;
  self->lut_path = g_strdup (DEFAULT_LUT_PATH);
  self->n_threads = DEFAULT_N_THREADS;

  /* a slow upscaler is exactly where dropping late frames pays off */
  gst_base_transform_set_qos_enabled (GST_BASE_TRANSFORM (self), TRUE);
}

static void
gst_eclut_scale_free_scratch (GstEclutScale * self)
{
  guint i;

  for (i = 0; i < self->n_scratch; i++)
    g_free (self->scratch_mem[i]);
  g_free (self->scratch_mem);
  self->scratch_mem = NULL;
  self->n_scratch = 0;
}

static void
gst_eclut_scale_free_pool (GstEclutScale * self)
{
  if (self->pool) {
    gst_task_pool_cleanup (self->pool);
    gst_object_unref (self->pool);
    self->pool = NULL;
    self->pool_threads = 0;
  }
}

static void
gst_eclut_scale_finalize (GObject * object)
{
  GstEclutScale *self = GST_ECLUT_SCALE (object);

  gst_eclut_scale_free_scratch (self);
  gst_eclut_scale_free_pool (self);
  g_clear_pointer (&self->luma_plan, eclut_luma_plan_free);
  g_clear_pointer (&self->lut, eclut_lut_unref);
  g_free (self->lut_path);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* Properties that decide which table is loaded are frozen from start() on,
 * as filesrc freezes its location: the caller is warned and the value is
 * kept.  Called with the object lock held. */
static gboolean
gst_eclut_scale_can_change_table (GstEclutScale * self)
{
  GstState state = GST_STATE (self);

  return !self->started && (state == GST_STATE_NULL
      || state == GST_STATE_READY);
}

static void
gst_eclut_scale_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstEclutScale *self = GST_ECLUT_SCALE (object);

  switch (prop_id) {
    case PROP_SCALE:
    case PROP_LUT_PATH:
      GST_OBJECT_LOCK (self);
      if (!gst_eclut_scale_can_change_table (self)) {
        GST_OBJECT_UNLOCK (self);
        GST_WARNING_OBJECT (self, "refusing to change '%s' in state %s",
            pspec->name, gst_element_state_get_name (GST_STATE (self)));
        g_warning ("Changing the '%s' property on eclutscale when PAUSED or "
            "PLAYING is not supported", pspec->name);
        return;
      }
      if (prop_id == PROP_SCALE) {
        self->scale = g_value_get_uint (value);
      } else {
        g_free (self->lut_path);
        self->lut_path = g_value_dup_string (value);
      }
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_N_THREADS:
      GST_OBJECT_LOCK (self);
      self->n_threads = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_eclut_scale_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstEclutScale *self = GST_ECLUT_SCALE (object);

  switch (prop_id) {
    case PROP_SCALE:
      GST_OBJECT_LOCK (self);
      g_value_set_uint (value, self->scale);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_LUT_PATH:
      GST_OBJECT_LOCK (self);
      g_value_set_string (value, self->lut_path);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_N_THREADS:
      GST_OBJECT_LOCK (self);
      g_value_set_uint (value, self->n_threads);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static guint
gst_eclut_scale_get_scale (GstEclutScale * self)
{
  guint scale;

  GST_OBJECT_LOCK (self);
  scale = self->scale;
  GST_OBJECT_UNLOCK (self);

  return scale;
}

/* The shipped table for @scale: the first of $ECLUT_LUT_DIR, the installed
 * data dir and the source tree that holds eclut-x<scale>.lut.  Returns NULL
 * and lists the places tried in @tried when none does. */
static gchar *
gst_eclut_scale_find_shipped_lut (guint scale, GString * tried)
{
  const gchar *dirs[3];
  gchar *name, *path = NULL;
  guint i;

  dirs[0] = g_getenv ("ECLUT_LUT_DIR");
  dirs[1] = ECLUT_LUT_INSTALL_DIR;
  dirs[2] = ECLUT_LUT_SOURCE_DIR;
  name = g_strdup_printf ("eclut-x%u.lut", scale);

  for (i = 0; i < G_N_ELEMENTS (dirs); i++) {
    if (dirs[i] == NULL || dirs[i][0] == '\0')
      continue;
    path = g_build_filename (dirs[i], name, NULL);
    if (g_file_test (path, G_FILE_TEST_EXISTS))
      break;
    GST_DEBUG ("no table at %s", path);
    g_string_append_printf (tried, "%s'%s'", tried->len ? ", " : "", path);
    g_clear_pointer (&path, g_free);
  }
  g_free (name);

  return path;
}

static gboolean
gst_eclut_scale_start (GstBaseTransform * trans)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);
  GError *err = NULL;
  gchar *path;
  guint scale;

  GST_OBJECT_LOCK (self);
  scale = self->scale;
  path = g_strdup (self->lut_path);
  self->started = TRUE;
  GST_OBJECT_UNLOCK (self);

  if (path == NULL || path[0] == '\0') {
    GString *tried = g_string_new (NULL);

    g_free (path);
    path = gst_eclut_scale_find_shipped_lut (scale, tried);
    if (path == NULL) {
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
          ("No ECLUT table for scale %u: eclut-x%u.lut not found (tried %s)",
              scale, scale, tried->str),
          ("set the lut-path property or the ECLUT_LUT_DIR environment "
              "variable"));
      g_string_free (tried, TRUE);
      goto failed;
    }
    g_string_free (tried, TRUE);
  }

  GST_DEBUG_OBJECT (self, "loading table %s for scale %u", path, scale);
  /* shared with other elements that use the same file (one copy of the
   * 20-50 MB of rotated and edge tables per process) */
  self->lut = eclut_lut_load_file_shared (path, scale, &err);
  if (self->lut == NULL) {
    /* err->message names the file and the first rule broken */
    if (g_error_matches (err, ECLUT_LUT_ERROR, ECLUT_LUT_ERROR_IO)) {
      if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
        GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
            ("Could not load ECLUT table: %s", err->message),
            ("lut-path '%s', scale %u", path, scale));
      } else {
        GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
            ("Could not load ECLUT table: %s", err->message),
            ("lut-path '%s', scale %u", path, scale));
      }
    } else {
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("Could not load ECLUT table: %s", err->message),
          ("lut-path '%s', scale %u", path, scale));
    }
    g_clear_error (&err);
    g_free (path);
    goto failed;
  }

  GST_INFO_OBJECT (self, "loaded table %s: scale %u, expand step %u, "
      "rescale (+%d) >> %u", path, eclut_lut_get_scale (self->lut),
      eclut_lut_get_expand_step (self->lut),
      eclut_lut_get_rescale_bias (self->lut),
      eclut_lut_get_rescale_shift (self->lut));
  g_free (path);

  return TRUE;

failed:
  GST_OBJECT_LOCK (self);
  self->started = FALSE;
  GST_OBJECT_UNLOCK (self);
  return FALSE;
}

static gboolean
gst_eclut_scale_stop (GstBaseTransform * trans)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);

  gst_eclut_scale_free_scratch (self);
  gst_eclut_scale_free_pool (self);
  self->scratch_size = 0;
  self->n_planes = 0;
  g_clear_pointer (&self->luma_plan, eclut_luma_plan_free);
  g_clear_pointer (&self->lut, eclut_lut_unref);

  GST_OBJECT_LOCK (self);
  self->started = FALSE;
  GST_OBJECT_UNLOCK (self);

  return TRUE;
}

/* floor and ceiling of a / b for b > 0 */
static gint64
floor_div (gint64 a, gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static gint64
ceil_div (gint64 a, gint64 b)
{
  return -floor_div (-a, b);
}

static gint64
gcd64 (gint64 a, gint64 b)
{
  while (b != 0) {
    gint64 t = a % b;

    a = b;
    b = t;
  }
  return a;
}

static void
set_int_or_range (GValue * dest, gint64 min, gint64 max, gint64 step)
{
  if (min == max) {
    g_value_init (dest, G_TYPE_INT);
    g_value_set_int (dest, (gint) min);
  } else {
    g_value_init (dest, GST_TYPE_INT_RANGE);
    gst_value_set_int_range_step (dest, (gint) min, (gint) max, (gint) step);
  }
}

/* Maps one width or height value (int, range or list of those) through the
 * scale: times @scale towards the source pad, exactly divided by @scale
 * towards the sink pad.  Values with no exact image (not divisible, or
 * beyond G_MAXINT once multiplied) are left out; returns FALSE and leaves
 * @dest unset when nothing is left. */
static gboolean
gst_eclut_scale_transform_dimension (const GValue * src, GValue * dest,
    gint64 scale, GstPadDirection direction)
{
  if (G_VALUE_HOLDS_INT (src)) {
    gint64 v = g_value_get_int (src);

    if (direction == GST_PAD_SINK) {
      if (v * scale > G_MAXINT)
        return FALSE;
      v *= scale;
    } else {
      if (v % scale != 0)
        return FALSE;
      v /= scale;
    }
    g_value_init (dest, G_TYPE_INT);
    g_value_set_int (dest, (gint) v);
    return TRUE;
  }

  if (GST_VALUE_HOLDS_INT_RANGE (src)) {
    gint64 min = gst_value_get_int_range_min (src);
    gint64 max = gst_value_get_int_range_max (src);
    gint64 step = gst_value_get_int_range_step (src);

    if (direction == GST_PAD_SINK) {
      /* keep the values whose image fits in a gint; min and max of a
       * GstIntRange are multiples of its step */
      if (max * scale > G_MAXINT) {
        max = G_MAXINT / scale;
        max = floor_div (max, step) * step;
      }
      if (min > max)
        return FALSE;
      set_int_or_range (dest, min * scale, max * scale, step * scale);
    } else {
      /* the values v = k * step of the range that scale divides are the
       * multiples of lcm (step, scale); their images are the multiples of
       * lcm / scale */
      gint64 lcm = step / gcd64 (step, scale) * scale;

      min = ceil_div (min, lcm) * lcm;
      max = floor_div (max, lcm) * lcm;
      if (min > max)
        return FALSE;
      set_int_or_range (dest, min / scale, max / scale, lcm / scale);
    }
    return TRUE;
  }

  if (GST_VALUE_HOLDS_LIST (src)) {
    GValue list = G_VALUE_INIT;
    guint i, n = gst_value_list_get_size (src);

    g_value_init (&list, GST_TYPE_LIST);
    for (i = 0; i < n; i++) {
      GValue v = G_VALUE_INIT;

      if (gst_eclut_scale_transform_dimension (gst_value_list_get_value (src,
                  i), &v, scale, direction))
        gst_value_list_append_and_take_value (&list, &v);
    }

    n = gst_value_list_get_size (&list);
    if (n == 0) {
      g_value_unset (&list);
      return FALSE;
    }
    if (n == 1) {
      g_value_init (dest, G_VALUE_TYPE (gst_value_list_get_value (&list, 0)));
      g_value_copy (gst_value_list_get_value (&list, 0), dest);
      g_value_unset (&list);
    } else {
      *dest = list;
    }
    return TRUE;
  }

  GST_WARNING ("cannot transform a size of type %s", G_VALUE_TYPE_NAME (src));
  return FALSE;
}

static gboolean
gst_eclut_scale_transform_field (GstStructure * s, const gchar * field,
    guint scale, GstPadDirection direction)
{
  const GValue *v = gst_structure_get_value (s, field);
  GValue dest = G_VALUE_INIT;

  /* no field: any size, which maps to any size */
  if (v == NULL)
    return TRUE;
  if (!gst_eclut_scale_transform_dimension (v, &dest, scale, direction))
    return FALSE;
  gst_structure_take_value (s, field, &dest);
  return TRUE;
}

static GstCaps *
gst_eclut_scale_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);
  GstCaps *ret;
  guint scale, i, n;

  scale = gst_eclut_scale_get_scale (self);

  if (gst_caps_is_any (caps)) {
    ret = gst_caps_ref (caps);
    goto filter;
  }

  ret = gst_caps_new_empty ();
  n = gst_caps_get_size (caps);
  for (i = 0; i < n; i++) {
    GstStructure *s = gst_structure_copy (gst_caps_get_structure (caps, i));
    GstCapsFeatures *f = gst_caps_get_features (caps, i);

    /* Both axes scale by the same factor, so pixel-aspect-ratio, framerate,
     * colorimetry and chroma-site stay as they are. */
    if (!gst_eclut_scale_transform_field (s, "width", scale, direction) ||
        !gst_eclut_scale_transform_field (s, "height", scale, direction)) {
      GST_DEBUG_OBJECT (self, "no size in %" GST_PTR_FORMAT " has an "
          "image at scale %u", gst_caps_get_structure (caps, i), scale);
      gst_structure_free (s);
      continue;
    }
    ret = gst_caps_merge_structure_full (ret, s,
        f ? gst_caps_features_copy (f) : NULL);
  }

filter:
  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, ret,
        GST_CAPS_INTERSECT_FIRST);

    gst_caps_unref (ret);
    ret = tmp;
  }

  GST_DEBUG_OBJECT (self, "scale %u, %s: transformed %" GST_PTR_FORMAT
      " into %" GST_PTR_FORMAT, scale,
      direction == GST_PAD_SINK ? "downstream" : "upstream", caps, ret);

  return ret;
}

/* Input sizes whose output would not fit GStreamer's frame description are
 * left out by transform_caps, so the accept-caps query for such input caps
 * fails.  Say why, instead of leaving upstream with a bare not-negotiated:
 * only fixed caps get here, and a fixed input size that cannot be upscaled
 * is fatal for the stream anyway. */
static gboolean
gst_eclut_scale_check_input_caps (GstEclutScale * self, GstCaps * caps)
{
  GstVideoInfo in_info, out_info;
  guint scale = gst_eclut_scale_get_scale (self);
  guint64 out_w, out_h;

  if (!gst_video_info_from_caps (&in_info, caps)) {
    GstStructure *s = gst_caps_get_structure (caps, 0);
    const gchar *format = gst_structure_get_string (s, "format");
    gint w, h;

    /* a size GStreamer cannot describe even before upscaling (e.g. an
     * I420 width whose rounded-up stride overflows): say so; anything
     * else is not our business, the base class refuses it */
    if (format != NULL && gst_structure_get_int (s, "width", &w) &&
        gst_structure_get_int (s, "height", &h) && w > 0 && h > 0 &&
        !gst_video_info_set_format (&out_info,
            gst_video_format_from_string (format), w, h)) {
      GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
          ("Cannot upscale %dx%d %s by %u: the input size exceeds the "
              "largest video frame GStreamer can describe", w, h, format,
              scale), ("input caps %" GST_PTR_FORMAT, caps));
      return FALSE;
    }
    return TRUE;
  }

  out_w = (guint64) GST_VIDEO_INFO_WIDTH (&in_info) * scale;
  out_h = (guint64) GST_VIDEO_INFO_HEIGHT (&in_info) * scale;
  if (out_w > G_MAXINT || out_h > G_MAXINT ||
      !gst_video_info_set_format (&out_info,
          GST_VIDEO_INFO_FORMAT (&in_info), (guint) out_w, (guint) out_h)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot upscale %dx%d by %u: the output size %" G_GUINT64_FORMAT
            "x%" G_GUINT64_FORMAT " exceeds the largest video frame "
            "GStreamer can describe", GST_VIDEO_INFO_WIDTH (&in_info),
            GST_VIDEO_INFO_HEIGHT (&in_info), scale, out_w, out_h),
        ("input caps %" GST_PTR_FORMAT, caps));
    return FALSE;
  }

  return TRUE;
}

static gboolean
gst_eclut_scale_accept_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);

  if (direction == GST_PAD_SINK && gst_caps_is_fixed (caps) &&
      !gst_eclut_scale_check_input_caps (self, caps))
    return FALSE;

  return GST_BASE_TRANSFORM_CLASS (parent_class)->accept_caps (trans,
      direction, caps);
}

/* Pointer positions from downstream are in output pixels; upstream wants
 * them in its own (input) pixels. */
static gboolean
gst_eclut_scale_src_event (GstBaseTransform * trans, GstEvent * event)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);

  if (GST_EVENT_TYPE (event) == GST_EVENT_NAVIGATION) {
    guint scale = gst_eclut_scale_get_scale (self);
    gdouble x, y;

    event = gst_event_make_writable (event);
    if (gst_navigation_event_get_coordinates (event, &x, &y)) {
      GST_TRACE_OBJECT (self, "navigation %g,%g -> %g,%g", x, y, x / scale,
          y / scale);
      gst_navigation_event_set_coordinates (event, x / scale, y / scale);
    }
  }

  return GST_BASE_TRANSFORM_CLASS (parent_class)->src_event (trans, event);
}

/* As videoconvertscale: metas that only describe the video (orientation,
 * colorspace) are copied, size-dependent ones are scaled with
 * gst_video_meta_transform_scale, anything else is left to the base class. */
static gboolean
gst_eclut_scale_transform_meta (GstBaseTransform * trans, GstBuffer * outbuf,
    GstMeta * meta, GstBuffer * inbuf)
{
  GstVideoFilter *filter = GST_VIDEO_FILTER (trans);
  const GstMetaInfo *info = meta->info;
  const gchar *const *tags;
  const gchar *const *tag;
  const gchar *const known_tags[] = {
    GST_META_TAG_VIDEO_STR,
    GST_META_TAG_VIDEO_COLORSPACE_STR,
    GST_META_TAG_VIDEO_ORIENTATION_STR,
    GST_META_TAG_VIDEO_SIZE_STR,
    NULL
  };

  tags = gst_meta_api_type_get_tags (info->api);
  if (tags == NULL || tags[0] == NULL)
    return TRUE;

  for (tag = tags; *tag; tag++) {
    if (!g_strv_contains (known_tags, *tag))
      return GST_BASE_TRANSFORM_CLASS (parent_class)->transform_meta (trans,
          outbuf, meta, inbuf);
  }

  if (gst_meta_api_type_has_tag (info->api,
          g_quark_from_static_string (GST_META_TAG_VIDEO_SIZE_STR))) {
    GstVideoMetaTransform scale_data = { &filter->in_info, &filter->out_info };

    if (info->transform_func)
      info->transform_func (outbuf, meta, inbuf,
          gst_video_meta_transform_scale_get_quark (), &scale_data);
    /* done here: the base class must not copy it unscaled as well */
    return FALSE;
  }

  return TRUE;
}

/* The chroma siting of the input.  GStreamer 1.22.0's
 * gst_video_info_from_caps() ignores the caps' chroma-site field (the info
 * gets a default derived from the colorimetry, e.g. "jpeg" for bt601 and
 * "mpeg2" for bt709), so the field is parsed here and the info's value is
 * only the fallback when the caps say nothing usable. */
static GstVideoChromaSite
gst_eclut_scale_get_chroma_site (GstEclutScale * self, GstCaps * caps,
    const GstVideoInfo * info)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  const gchar *str = gst_structure_get_string (s, "chroma-site");

  if (str != NULL) {
    GstVideoChromaSite site = gst_video_chroma_site_from_string (str);

    if (site != GST_VIDEO_CHROMA_SITE_UNKNOWN)
      return site;
    GST_WARNING_OBJECT (self, "unknown chroma-site '%s', using the default",
        str);
  }

  return GST_VIDEO_INFO_CHROMA_SITE (info);
}

static gboolean
gst_eclut_scale_set_info (GstVideoFilter * filter, GstCaps * incaps,
    GstVideoInfo * in_info, GstCaps * outcaps, GstVideoInfo * out_info)
{
  GstEclutScale *self = GST_ECLUT_SCALE (filter);
  const GstVideoFormatInfo *finfo = in_info->finfo;
  GstVideoChromaSite site;
  gsize scratch_size = 0;
  guint scale, p;

  if (self->lut == NULL) {
    GST_ERROR_OBJECT (self, "caps set before a table was loaded");
    return FALSE;
  }
  scale = eclut_lut_get_scale (self->lut);
  site = gst_eclut_scale_get_chroma_site (self, incaps, in_info);

  if (GST_VIDEO_INFO_FORMAT (in_info) != GST_VIDEO_INFO_FORMAT (out_info)) {
    GST_ERROR_OBJECT (self, "input format %s differs from output format %s",
        GST_VIDEO_INFO_NAME (in_info), GST_VIDEO_INFO_NAME (out_info));
    return FALSE;
  }
  if (GST_VIDEO_INFO_IS_INTERLACED (in_info)) {
    GST_ERROR_OBJECT (self, "interlaced video is not supported");
    return FALSE;
  }
  if ((guint64) GST_VIDEO_INFO_WIDTH (in_info) * scale !=
      (guint64) GST_VIDEO_INFO_WIDTH (out_info) ||
      (guint64) GST_VIDEO_INFO_HEIGHT (in_info) * scale !=
      (guint64) GST_VIDEO_INFO_HEIGHT (out_info)) {
    GST_ERROR_OBJECT (self, "output %dx%d is not %u times the input %dx%d",
        GST_VIDEO_INFO_WIDTH (out_info), GST_VIDEO_INFO_HEIGHT (out_info),
        scale, GST_VIDEO_INFO_WIDTH (in_info), GST_VIDEO_INFO_HEIGHT (in_info));
    return FALSE;
  }

  self->n_planes = GST_VIDEO_INFO_N_PLANES (in_info);
  for (p = 0; p < self->n_planes; p++) {
    GstEclutScalePlane *plane = &self->planes[p];
    gint comp[GST_VIDEO_MAX_COMPONENTS];
    gsize size;
    gint c;

    memset (plane, 0, sizeof (*plane));
    gst_video_format_info_component (finfo, p, comp);
    c = comp[0];
    g_assert (c >= 0);

    /* per-plane sizes come from the infos, not from multiplying: an I420
     * chroma plane of an odd width w is ceil (r * w / 2) wide, which is not
     * r * ceil (w / 2) */
    plane->out_height = GST_VIDEO_INFO_COMP_HEIGHT (out_info, c);
    if (c == GST_VIDEO_COMP_Y) {
      plane->is_luma = TRUE;
      plane->in_width = GST_VIDEO_INFO_COMP_WIDTH (in_info, c);
      plane->in_height = GST_VIDEO_INFO_COMP_HEIGHT (in_info, c);
      size = eclut_luma_scratch_size (self->lut, plane->in_width);
      if (size != G_MAXSIZE) {
        g_clear_pointer (&self->luma_plan, eclut_luma_plan_free);
        self->luma_plan = eclut_luma_plan_new (self->lut, plane->in_width,
            plane->in_height);
        size = eclut_luma_plan_scratch_size (self->luma_plan);
        GST_INFO_OBJECT (self, "luma: %s",
            eclut_luma_plan_describe (self->luma_plan));
      }
    } else {
      EclutChromaParams *cp = &plane->chroma;

      cp->scale = scale;
      cp->sub_x = 1u << GST_VIDEO_FORMAT_INFO_W_SUB (finfo, c);
      cp->sub_y = 1u << GST_VIDEO_FORMAT_INFO_H_SUB (finfo, c);
      cp->centred_x = !(site & GST_VIDEO_CHROMA_SITE_H_COSITED);
      cp->centred_y = !(site & GST_VIDEO_CHROMA_SITE_V_COSITED);
      cp->n_components = comp[1] >= 0 ? 2 : 1;
      cp->in_width = GST_VIDEO_INFO_COMP_WIDTH (in_info, c);
      cp->in_height = GST_VIDEO_INFO_COMP_HEIGHT (in_info, c);
      cp->out_width = GST_VIDEO_INFO_COMP_WIDTH (out_info, c);
      cp->out_height = plane->out_height;
      size = eclut_chroma_scratch_size (cp);
    }
    if (size == G_MAXSIZE) {
      GST_ERROR_OBJECT (self, "plane %u of %" GST_PTR_FORMAT " is not "
          "supported by the core", p, incaps);
      self->n_planes = 0;
      return FALSE;
    }
    scratch_size = MAX (scratch_size, size);
  }

  if (scratch_size != self->scratch_size) {
    gst_eclut_scale_free_scratch (self);
    self->scratch_size = scratch_size;
  }

  GST_DEBUG_OBJECT (self, "%" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT
      ": chroma site 0x%x, %u planes, %" G_GSIZE_FORMAT " bytes of scratch "
      "per thread", incaps, outcaps, site, self->n_planes, scratch_size);

  return TRUE;
}

/* The cores want 16-byte aligned scratch: over-allocate and align. */
static gpointer
gst_eclut_scale_scratch (GstEclutScale * self, guint i)
{
  guintptr p = (guintptr) self->scratch_mem[i];

  return (gpointer) ((p + 15) & ~(guintptr) 15);
}

static void
gst_eclut_scale_ensure_scratch (GstEclutScale * self, guint n)
{
  guint i;

  if (self->n_scratch >= n)
    return;

  self->scratch_mem = g_renew (gpointer, self->scratch_mem, n);
  for (i = self->n_scratch; i < n; i++)
    self->scratch_mem[i] = g_malloc (self->scratch_size + 15);
  self->n_scratch = n;
}

/* A shared pool with @n_extra threads besides the streaming thread, which
 * always runs one stripe itself.  FALSE: run everything in this thread. */
static gboolean
gst_eclut_scale_ensure_pool (GstEclutScale * self, guint n_extra)
{
  GError *err = NULL;

  if (self->pool == NULL) {
    self->pool = gst_shared_task_pool_new ();
    gst_shared_task_pool_set_max_threads (GST_SHARED_TASK_POOL (self->pool),
        n_extra);
    gst_task_pool_prepare (self->pool, &err);
    if (err != NULL) {
      GST_WARNING_OBJECT (self, "no thread pool, using one thread: %s",
          err->message);
      g_clear_error (&err);
      gst_object_unref (self->pool);
      self->pool = NULL;
      return FALSE;
    }
    self->pool_threads = n_extra;
  } else if (self->pool_threads != n_extra) {
    gst_shared_task_pool_set_max_threads (GST_SHARED_TASK_POOL (self->pool),
        n_extra);
    self->pool_threads = n_extra;
  }

  return TRUE;
}

static void
gst_eclut_scale_process_stripe (gpointer data)
{
  GstEclutScaleStripe *stripe = data;
  GstEclutScale *self = stripe->self;
  guint p;

  for (p = 0; p < self->n_planes; p++) {
    const GstEclutScalePlane *plane = &self->planes[p];
    guint64 h = plane->out_height;
    guint64 rows = (h + stripe->n_stripes - 1) / stripe->n_stripes;
    guint y0 = (guint) MIN (rows * stripe->index, h);
    guint y1 = (guint) MIN (rows * (stripe->index + 1), h);
    const guint8 *src = GST_VIDEO_FRAME_PLANE_DATA (stripe->in_frame, p);
    guint8 *dst = GST_VIDEO_FRAME_PLANE_DATA (stripe->out_frame, p);
    gint src_stride = GST_VIDEO_FRAME_PLANE_STRIDE (stripe->in_frame, p);
    gint dst_stride = GST_VIDEO_FRAME_PLANE_STRIDE (stripe->out_frame, p);

    if (y0 >= y1)
      continue;

    if (plane->is_luma)
      eclut_luma_plan_upscale_rows (self->luma_plan, src, src_stride, dst,
          dst_stride, y0, y1, stripe->scratch);
    else
      eclut_chroma_upscale_rows (&plane->chroma, src, src_stride, dst,
          dst_stride, y0, y1, stripe->scratch);
  }
}

static GstFlowReturn
gst_eclut_scale_transform_frame (GstVideoFilter * filter,
    GstVideoFrame * in_frame, GstVideoFrame * out_frame)
{
  GstEclutScale *self = GST_ECLUT_SCALE (filter);
  GstEclutScaleStripe *stripes;
  gpointer *handles;
  guint n_threads, n_stripes, i;

  if (self->lut == NULL || self->n_planes == 0) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("transform called before the format was set"));
    return GST_FLOW_NOT_NEGOTIATED;
  }

  GST_OBJECT_LOCK (self);
  n_threads = self->n_threads;
  GST_OBJECT_UNLOCK (self);
  if (n_threads == 0)
    n_threads = g_get_num_processors ();

  /* never more stripes than output rows; the split does not change the
   * result, the cores give the same bytes for any row range */
  n_stripes = MAX (1, MIN (n_threads, self->planes[0].out_height));
  if (n_stripes > 1 && !gst_eclut_scale_ensure_pool (self, n_stripes - 1))
    n_stripes = 1;

  gst_eclut_scale_ensure_scratch (self, n_stripes);
  stripes = g_new (GstEclutScaleStripe, n_stripes);
  handles = g_new0 (gpointer, n_stripes);
  for (i = 0; i < n_stripes; i++) {
    stripes[i].self = self;
    stripes[i].in_frame = in_frame;
    stripes[i].out_frame = out_frame;
    stripes[i].index = i;
    stripes[i].n_stripes = n_stripes;
    stripes[i].scratch = gst_eclut_scale_scratch (self, i);
  }

  /* as GstVideoConverter's task runner: push stripes 1..n-1 to the pool,
   * do stripe 0 here, then wait for the others */
  for (i = 1; i < n_stripes; i++) {
    GError *err = NULL;

    handles[i] = gst_task_pool_push (self->pool,
        gst_eclut_scale_process_stripe, &stripes[i], &err);
    if (err != NULL) {
      /* GThreadPool keeps the task queued even when it could not start a
       * new thread, so a handle still has to be joined */
      GST_WARNING_OBJECT (self, "thread pool: %s", err->message);
      g_clear_error (&err);
    }
    if (handles[i] == NULL)
      gst_eclut_scale_process_stripe (&stripes[i]);
  }
  gst_eclut_scale_process_stripe (&stripes[0]);
  for (i = 1; i < n_stripes; i++) {
    if (handles[i] != NULL)
      gst_task_pool_join (self->pool, handles[i]);
  }

  g_free (handles);
  g_free (stripes);

  return GST_FLOW_OK;
}
