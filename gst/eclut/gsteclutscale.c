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
 * Scales video to any size, like videoscale, and upscales with a learned
 * lookup table (ECLUT) where that makes a better picture.  The luma plane
 * goes through the table (a 2-pixel kernel evaluated in four rotations,
 * with an expand stage; see docs/lut-format.md) for a factor r of 2, 3 or
 * 4; the chroma planes are scaled bilinearly by r with centre-aligned
 * sampling that follows the stream's chroma siting.
 *
 * What runs for a stream is chosen once per caps:
 *
 * * the output is exactly r times the input: the table's output as it is
 *   (without a downstream constraint this is what is negotiated, r being
 *   #GstEclutScale:scale, or 2 in auto mode);
 * * the output is larger than the input on either axis: the table makes an
 *   r times larger luma, which GstVideoScaler's filters then resample to
 *   the output size with #GstEclutScale:method (row by row, as the table
 *   writes them, through a ring of a few rows per thread instead of a
 *   whole plane); the chroma planes are resampled from the input.  In auto
 *   mode (#GstEclutScale:scale = 0) r is the largest of 2, 3 and 4 not
 *   above the scaling ratio (2 below 2x, 4 above 4x): with the default
 *   lanczos resampling a larger table gains almost nothing
 *   (docs/quality.md);
 * * the output is not larger than the input on either axis: no table,
 *   only the resampling (as videoscale); the same size is passthrough.
 *
 * 10-bit video (I420_10LE, I422_10LE, Y444_10LE, P010_10LE) is scaled at
 * 10 bits into the same format: the table (and each refine stage) reads
 * the top 8 bits of each luma sample and the 2 low bits are kept, the
 * chroma and the resampling keep the 10 bits.  The colorimetry (BT.2020,
 * PQ, HLG, ...) passes through: the element scales code values.
 *
 * Sizes and pixel-aspect-ratio are negotiated as videoconvertscale does:
 * the display aspect ratio is kept by choosing the pixel-aspect-ratio or
 * the free side, and by black borders (#GstEclutScale:add-borders) where
 * downstream fixes both.  Interlaced video is refused: the tables are made
 * for whole frames; deinterlace first.
 *
 * The table for a forced scale (or the x2 table in auto mode) is loaded
 * when the element goes from READY to PAUSED, others when a stream needs
 * them: either the file named by #GstEclutScale:lut-path, or the table
 * shipped for the scale (eclut-x2.lut, eclut-x3.lut, eclut-x4.lut), looked
 * up in the directory named by the `ECLUT_LUT_DIR` environment variable,
 * then the installed data directory (a plugin used from a build tree needs
 * `ECLUT_LUT_DIR`, which the tests and `meson devenv` set).  A missing,
 * unreadable or corrupt table, or one made for another scale, is an error
 * naming the file and the reason.
 *
 * ## Example pipelines
 * |[
 * gst-launch-1.0 filesrc location=in.png ! pngdec ! videoconvert ! \
 *     video/x-raw,format=GRAY8 ! eclutscale scale=4 ! pngenc ! \
 *     filesink location=out.png
 * ]| Upscales a PNG picture four times (as grey).
 * |[
 * gst-launch-1.0 filesrc location=in.mkv ! decodebin ! videoconvert ! \
 *     video/x-raw,format=I420 ! eclutscale n-threads=0 ! \
 *     video/x-raw,width=1920,height=1080 ! x264enc ! matroskamux ! \
 *     filesink location=out.mkv
 * ]| Scales a 720p (or any 16:9) video file to 1080p using all CPU cores
 * and encodes it.
 * |[
 * gst-launch-1.0 playbin uri=file:///path/to/in.mkv \
 *     video-filter="videoconvert ! eclutscale"
 * ]| Plays a file upscaled two times, or fitted to the window where the
 * video sink asks for a size.
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
#include "gsteclutscalecaps.h"
#include "gsteclutscaleresample.h"
#include "eclut-lut.h"
#include "eclut-luma.h"
#include "eclut-chroma.h"

GST_DEBUG_CATEGORY (gst_eclut_scale_debug);
#define GST_CAT_DEFAULT gst_eclut_scale_debug

#define DEFAULT_SCALE 0
#define DEFAULT_LUT_PATH NULL
#define DEFAULT_N_THREADS 0
#define DEFAULT_METHOD GST_ECLUT_SCALE_METHOD_LANCZOS
#define DEFAULT_ADD_BORDERS TRUE
#define DEFAULT_QUALITY GST_ECLUT_SCALE_QUALITY_FAST

/* the factor auto mode offers first, when nothing asks for a size */
#define AUTO_PREFERRED_SCALE 2

/* Fewer output rows per thread cost more in start-up than they save (the
 * same rule as GstVideoConverter's, which uses 200 lines; the table stage
 * works on fewer, larger rows). */
#define MIN_ROWS_PER_THREAD 64

enum
{
  PROP_0,
  PROP_SCALE,
  PROP_LUT_PATH,
  PROP_N_THREADS,
  PROP_METHOD,
  PROP_ADD_BORDERS,
  PROP_QUALITY
};

/* Which stages of a table run (a version 1 table has only the first) */
typedef enum
{
  GST_ECLUT_SCALE_QUALITY_FAST,
  GST_ECLUT_SCALE_QUALITY_HIGH,
  /* after high: the values of the older two stay */
  GST_ECLUT_SCALE_QUALITY_MEDIUM
} GstEclutScaleQuality;

#define GST_TYPE_ECLUT_SCALE_QUALITY (gst_eclut_scale_quality_get_type ())
static GType
gst_eclut_scale_quality_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    {GST_ECLUT_SCALE_QUALITY_FAST, "The table's upscaling stage only",
        "fast"},
    {GST_ECLUT_SCALE_QUALITY_MEDIUM, "The upscaling stage and the table's "
          "first refine stage", "medium"},
    {GST_ECLUT_SCALE_QUALITY_HIGH, "Every stage of the table: the upscaling "
          "stage, then its refine stages", "high"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type,
        g_enum_register_static ("GstEclutScaleQuality", values));
  return (GType) type;
}

/* Which code runs for the stream: chosen in set_info */
typedef enum
{
  /* output = r x input: the table's output, written straight to the
   * output frame */
  GST_ECLUT_SCALE_PATH_TABLE,
  /* the luma through the table into one r x input plane, then through
   * the refine stages, then resampled to the output; the chroma resampled
   * from the input */
  GST_ECLUT_SCALE_PATH_TABLE_RESAMPLE,
  /* as TABLE_RESAMPLE, but each band's table rows go into a ring of rows
   * that the resampling reads as soon as they are written, while they are
   * in the caches (without refine stages) */
  GST_ECLUT_SCALE_PATH_TABLE_STREAM,
  /* the output is not larger than the input: resampling only */
  GST_ECLUT_SCALE_PATH_RESAMPLE
} GstEclutScalePath;

/* Per plane of the table's output: the luma plane goes through the table,
 * the others through the bilinear chroma core. */
typedef struct
{
  gboolean is_luma;
  guint in_width, in_height;    /* luma only */
  guint out_height;             /* rows to produce, split over the stripes */
  EclutChromaParams chroma;     /* chroma only */
  EclutChromaPlan *chroma_plan; /* chroma only: the code of this stream */
} GstEclutScalePlane;

struct _GstEclutScale
{
  GstVideoFilter parent;

  /* properties, protected by the object lock */
  guint scale;
  gchar *lut_path;
  guint n_threads;
  GstEclutScaleMethod method;
  gboolean add_borders;
  GstEclutScaleQuality quality;
  /* method, add-borders or quality changed since set_info () read them:
   * the next frame sets the stream up again with them */
  gboolean settings_changed;
  /* TRUE from start() to stop(): the loaded table fixes the scale, so
   * scale and lut-path may not change (also covers the moment start() runs
   * while GST_STATE is still READY) */
  gboolean started;
  /* object lock: the factor offered first in the caps (the scale, else the
   * factor of the table in lut-path once loaded, else 2) */
  guint preferred_scale;
  /* object lock (read by src_event): where the picture lies in the output
   * frame; the rest is borders */
  GstVideoRectangle dest;

  /* streaming state: touched only by start/stop (pads inactive) and by the
   * streaming thread (set_info, transform_frame) */
  EclutLut *luts[ECLUT_LUT_MAX_SCALE + 1];
  /* auto mode with lut-path: the factor of that table, the only one used */
  guint path_scale;
  GstEclutScalePath path;
  EclutLut *lut;                /* the table of this stream, in luts */
  EclutSamples samples;         /* how the stream's samples are stored */
  EclutLumaPlan *luma_plan;     /* the luma code of this stream */
  guint n_planes;
  GstEclutScalePlane planes[GST_VIDEO_MAX_PLANES];
  gsize scratch_size;
  guint n_scratch;
  gpointer *scratch_mem;        /* n_scratch raw allocations */
  GstTaskPool *pool;
  guint pool_threads;
  /* TABLE_RESAMPLE: the table's r x input luma plane, one per stream, in
   * the stream's sample layout */
  guint8 *table_luma;
  guint table_width, table_height;
  gint table_stride;
  /* TABLE_STREAM: per stripe of the resampler, a ring of ring_rows rows
   * of the table's luma (table_stride apart), made with the resampler */
  guint8 *rings;
  guint ring_rows;
  /* TABLE_RESAMPLE, TABLE_STREAM and RESAMPLE: the infos of the stream,
   * the method, and the resampler (made for as many stripes as threads are
   * used) */
  GstVideoInfo in_info, out_info;
  GstEclutScaleMethod method_used;
  GstEclutScaleResampler *resampler;
  /* quality=medium or high with a version 2 table: the refine stages that
   * run, and the table stage's luma and the stages' outputs but the last,
   * in two planes used in turn (the last stage writes where the table
   * stage writes without them) */
  guint n_refine;
  const EclutRefine *refine[ECLUT_LUT_MAX_REFINE];
  guint8 *refine_luma[2];
  guint refine_width, refine_height;
  gint refine_stride;
};

/* One stripe of output rows: every plane is cut into n_stripes bands of
 * ceil(height / n_stripes) rows, as GstVideoConverter does; stripe i
 * writes band i of each plane (with its own scratch memory for the table
 * stage, its own scalers for the resampling stage). */
typedef struct
{
  GstEclutScale *self;
  GstVideoFrame *in_frame;
  /* table stage: where each plane of the table's output goes */
  guint8 *dst[GST_VIDEO_MAX_PLANES];
  gint dst_stride[GST_VIDEO_MAX_PLANES];
  /* resampling stage (when set) */
  GstVideoFrame *out_frame;
  /* with out_frame: the luma through the table streamed into it
   * (TABLE_STREAM) */
  gboolean stream;
  /* refine stage (when set): @refine_src into dst[0] */
  const EclutRefine *refine;
  const guint8 *refine_src;
  gint refine_src_stride;
  guint index;
  guint n_stripes;
  gpointer scratch;
} GstEclutScaleStripe;

/* 10-bit formats: the same code on 16-bit words, the value in the low bits
 * or (P010) the high bits; the output keeps the input's format */
#define ECLUT_SCALE_FORMATS "{ GRAY8, I420, YV12, NV12, NV21, Y42B, Y444, " \
    "I420_10LE, I422_10LE, Y444_10LE, P010_10LE }"
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
static GstCaps *gst_eclut_scale_fixate_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * othercaps);
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
   * The table's upscaling factor r: 0 (auto) picks it for each stream (the
   * largest of 2, 3 and 4 not above the scaling ratio of the larger axis; 2
   * below 2x); 2, 3 or 4 forces it, whatever the output size (the table's
   * r times larger luma is then resampled to the output size).  With no
   * downstream constraint the output is r times the input (2 in auto
   * mode).  Selects the shipped table eclut-x<r>.lut when
   * #GstEclutScale:lut-path is empty; a table given in lut-path must be
   * made for a forced scale, and is the only one used in auto mode.  1 is
   * not a valid value.  Changeable only in the NULL and READY states.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_SCALE,
      g_param_spec_uint ("scale", "Scale",
          "Table upscaling factor: 0 = auto (chosen from the output size), "
          "2 to 4 = always that table", 0, ECLUT_LUT_MAX_SCALE,
          DEFAULT_SCALE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstEclutScale:lut-path:
   *
   * Path of an ECLUT table file (format: docs/lut-format.md).  When empty
   * (the default), the tables shipped for each scale are used, looked up
   * in $ECLUT_LUT_DIR, then the installed data directory.  The table is
   * read when the element goes to PAUSED.  Changeable only in the NULL and
   * READY states.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_LUT_PATH,
      g_param_spec_string ("lut-path", "Table path",
          "ECLUT table file (empty: the tables shipped for each scale)",
          DEFAULT_LUT_PATH, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstEclutScale:n-threads:
   *
   * Maximum number of threads used to process one frame; 0 uses one per
   * CPU core.  Never more than the number of CPU cores, nor so many that a
   * thread gets only a few rows.  The output is identical for every value.
   *
   * Since: 0.1
   */
  g_object_class_install_property (gobject_class, PROP_N_THREADS,
      g_param_spec_uint ("n-threads", "Threads",
          "Maximum number of threads (0 = one per CPU core)",
          0, G_MAXUINT, DEFAULT_N_THREADS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstEclutScale:method:
   *
   * How the table's luma (or the input, when no table is used) and the
   * chroma planes are resampled to the output size when that is not
   * exactly r times the input: videoscale's methods.  The default is
   * lanczos, not videoscale's bilinear: after the table it scores 0.6 dB
   * (luma) and 2 dB (chroma) more at 1.5x (docs/quality.md).  May change
   * while playing: the next frame uses it.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_METHOD,
      g_param_spec_enum ("method", "Method",
          "Resampling method for sizes the table does not make on its own",
          GST_TYPE_ECLUT_SCALE_METHOD, DEFAULT_METHOD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstEclutScale:add-borders:
   *
   * When downstream fixes a size of another display aspect ratio, add
   * black borders to keep the picture's shape (as videoscale does);
   * otherwise the picture is stretched.  May change while playing: the
   * next frame uses it.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_ADD_BORDERS,
      g_param_spec_boolean ("add-borders", "Add borders",
          "Add black borders if necessary to keep the display aspect ratio",
          DEFAULT_ADD_BORDERS, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstEclutScale:quality:
   *
   * Which stages of the table run.  A version 2 table holds, after the
   * upscaling stage, refine stages: x1 tables that correct the upscaled
   * luma (docs/lut-format.md).  `fast` runs the upscaling stage alone, the
   * same output as the table's version 1 form; `medium` adds the first
   * refine stage, `high` runs them all.  The default is `fast`: each
   * refine stage costs several times the upscaling stage's time
   * (docs/performance.md).  Tables without refine stages give the same
   * output either way.  At 10 bits too.  May change while playing: the
   * next frame uses it (a refine stage's table is re-laid the first time
   * a stream runs it, which takes milliseconds).
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, PROP_QUALITY,
      g_param_spec_enum ("quality", "Quality",
          "Which stages of the table run (fast: the upscaling stage, medium: "
          "and the first refine stage, high: all of them)",
          GST_TYPE_ECLUT_SCALE_QUALITY, DEFAULT_QUALITY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  gst_element_class_add_static_pad_template (element_class,
      &gst_eclut_scale_sink_template);
  gst_element_class_add_static_pad_template (element_class,
      &gst_eclut_scale_src_template);
  gst_element_class_set_static_metadata (element_class,
      "ECLUT upscaler", "Filter/Converter/Video/Scaler",
      "Scales video to any size; upscales luma with a learned lookup table "
      "(2, 3 or 4 times) and resamples the rest", "The eclut authors");

  gst_type_mark_as_plugin_api (GST_TYPE_ECLUT_SCALE_METHOD, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_ECLUT_SCALE_QUALITY, 0);

  trans_class->start = GST_DEBUG_FUNCPTR (gst_eclut_scale_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_eclut_scale_stop);
  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_eclut_scale_transform_caps);
  trans_class->fixate_caps = GST_DEBUG_FUNCPTR (gst_eclut_scale_fixate_caps);
  trans_class->accept_caps = GST_DEBUG_FUNCPTR (gst_eclut_scale_accept_caps);
  trans_class->src_event = GST_DEBUG_FUNCPTR (gst_eclut_scale_src_event);
  trans_class->transform_meta =
      GST_DEBUG_FUNCPTR (gst_eclut_scale_transform_meta);
  /* passthrough is decided in set_info, from the video infos: caps that
   * differ only in fields with default values (interlace-mode added by the
   * pad template) are the same video */
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
  self->method = DEFAULT_METHOD;
  self->quality = DEFAULT_QUALITY;
  self->add_borders = DEFAULT_ADD_BORDERS;
  self->preferred_scale = AUTO_PREFERRED_SCALE;

  /* a slow upscaler is exactly where dropping late frames pays off */
  gst_base_transform_set_qos_enabled (GST_BASE_TRANSFORM (self), TRUE);
  /* the caps queries answer in our order of preference (the table's own
   * size first), not with the peer's caps first: a free upstream then
   * produces what downstream wants divided by the scale, as before sizes
   * were free */
  gst_base_transform_set_prefer_passthrough (GST_BASE_TRANSFORM (self), FALSE);
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
gst_eclut_scale_free_chroma_plans (GstEclutScale * self)
{
  guint p;

  for (p = 0; p < G_N_ELEMENTS (self->planes); p++)
    g_clear_pointer (&self->planes[p].chroma_plan, eclut_chroma_plan_free);
}

/* Drops what set_info made for the last caps */
static void
gst_eclut_scale_free_stream (GstEclutScale * self)
{
  g_clear_pointer (&self->resampler, gst_eclut_scale_resampler_free);
  g_clear_pointer (&self->rings, g_free);
  g_clear_pointer (&self->table_luma, g_free);
  g_clear_pointer (&self->luma_plan, eclut_luma_plan_free);
  gst_eclut_scale_free_chroma_plans (self);
  g_clear_pointer (&self->refine_luma[0], g_free);
  g_clear_pointer (&self->refine_luma[1], g_free);
  self->n_refine = 0;
  memset (self->refine, 0, sizeof (self->refine));
  self->table_width = self->table_height = 0;
  self->lut = NULL;
  self->n_planes = 0;
}

static void
gst_eclut_scale_free_tables (GstEclutScale * self)
{
  guint r;

  for (r = 0; r < G_N_ELEMENTS (self->luts); r++)
    g_clear_pointer (&self->luts[r], eclut_lut_unref);
}

static void
gst_eclut_scale_finalize (GObject * object)
{
  GstEclutScale *self = GST_ECLUT_SCALE (object);

  gst_eclut_scale_free_stream (self);
  gst_eclut_scale_free_scratch (self);
  gst_eclut_scale_free_pool (self);
  gst_eclut_scale_free_tables (self);
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
        guint scale = g_value_get_uint (value);

        if (scale != 0 && scale < ECLUT_LUT_MIN_SCALE) {
          GST_OBJECT_UNLOCK (self);
          g_warning ("eclutscale: scale %u is not valid: 0 (auto) or %u to "
              "%u", scale, ECLUT_LUT_MIN_SCALE, ECLUT_LUT_MAX_SCALE);
          return;
        }
        self->scale = scale;
        self->preferred_scale = scale ? scale : AUTO_PREFERRED_SCALE;
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
    case PROP_METHOD:
      GST_OBJECT_LOCK (self);
      self->settings_changed |=
          self->method != (GstEclutScaleMethod) g_value_get_enum (value);
      self->method = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_ADD_BORDERS:
      GST_OBJECT_LOCK (self);
      self->settings_changed |=
          self->add_borders != g_value_get_boolean (value);
      self->add_borders = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_QUALITY:
      GST_OBJECT_LOCK (self);
      self->settings_changed |=
          self->quality != (GstEclutScaleQuality) g_value_get_enum (value);
      self->quality = g_value_get_enum (value);
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

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_SCALE:
      g_value_set_uint (value, self->scale);
      break;
    case PROP_LUT_PATH:
      g_value_set_string (value, self->lut_path);
      break;
    case PROP_N_THREADS:
      g_value_set_uint (value, self->n_threads);
      break;
    case PROP_METHOD:
      g_value_set_enum (value, self->method);
      break;
    case PROP_ADD_BORDERS:
      g_value_set_boolean (value, self->add_borders);
      break;
    case PROP_QUALITY:
      g_value_set_enum (value, self->quality);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static guint
gst_eclut_scale_get_preferred_scale (GstEclutScale * self)
{
  guint scale;

  GST_OBJECT_LOCK (self);
  scale = self->preferred_scale;
  GST_OBJECT_UNLOCK (self);

  return scale;
}

/* The shipped table for @scale: the first of $ECLUT_LUT_DIR and the
 * installed data dir that holds eclut-x<scale>.lut.  Returns NULL and lists
 * the places tried in @tried when none does. */
static gchar *
gst_eclut_scale_find_shipped_lut (guint scale, GString * tried)
{
  const gchar *dirs[2];
  gchar *name, *path = NULL;
  guint i;

  dirs[0] = g_getenv ("ECLUT_LUT_DIR");
  dirs[1] = ECLUT_LUT_INSTALL_DIR;
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

/* Loads the table for @scale (0: any, from @path only): @path, or the
 * shipped one when @path is empty.  Errors are posted, naming the file and
 * the reason. */
static EclutLut *
gst_eclut_scale_load_table (GstEclutScale * self, const gchar * lut_path,
    guint scale)
{
  GError *err = NULL;
  EclutLut *lut;
  gchar *path;

  if (lut_path == NULL || lut_path[0] == '\0') {
    GString *tried = g_string_new (NULL);

    path = gst_eclut_scale_find_shipped_lut (scale, tried);
    if (path == NULL) {
      GST_ELEMENT_ERROR (self, RESOURCE, NOT_FOUND,
          ("No ECLUT table for scale %u: eclut-x%u.lut not found (tried %s)",
              scale, scale, tried->str),
          ("set the lut-path property or the ECLUT_LUT_DIR environment "
              "variable"));
      g_string_free (tried, TRUE);
      return NULL;
    }
    g_string_free (tried, TRUE);
  } else {
    path = g_strdup (lut_path);
  }

  GST_DEBUG_OBJECT (self, "loading table %s for scale %u", path, scale);
  /* shared with other elements that use the same file (one copy of the
   * 20-50 MB of rotated and edge tables per process) */
  lut = eclut_lut_load_file_shared (path, scale, &err);
  if (lut == NULL) {
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
    return NULL;
  }

  GST_INFO_OBJECT (self, "loaded table %s: scale %u, expand step %u, "
      "rescale (+%d) >> %u", path, eclut_lut_get_scale (lut),
      eclut_lut_get_expand_step (lut), eclut_lut_get_rescale_bias (lut),
      eclut_lut_get_rescale_shift (lut));
  g_free (path);

  return lut;
}

/* A forced scale loads its table here, auto mode the table in lut-path or
 * the x2 table (the one an unconstrained stream uses), so that a missing
 * or broken installation fails when going to PAUSED; auto mode loads the
 * x3 and x4 tables when a stream first needs them. */
static gboolean
gst_eclut_scale_start (GstBaseTransform * trans)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);
  gboolean has_path;
  EclutLut *lut;
  gchar *path;
  guint scale;

  GST_OBJECT_LOCK (self);
  scale = self->scale;
  path = g_strdup (self->lut_path);
  self->started = TRUE;
  GST_OBJECT_UNLOCK (self);

  has_path = path != NULL && path[0] != '\0';
  if (scale == 0 && !has_path)
    lut = gst_eclut_scale_load_table (self, NULL, AUTO_PREFERRED_SCALE);
  else
    lut = gst_eclut_scale_load_table (self, path, scale);
  g_free (path);
  if (lut == NULL) {
    GST_OBJECT_LOCK (self);
    self->started = FALSE;
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }

  self->luts[eclut_lut_get_scale (lut)] = lut;
  self->path_scale = scale == 0 && has_path ? eclut_lut_get_scale (lut) : 0;
  if (self->path_scale) {
    GST_OBJECT_LOCK (self);
    self->preferred_scale = self->path_scale;
    GST_OBJECT_UNLOCK (self);
  }

  return TRUE;
}

static gboolean
gst_eclut_scale_stop (GstBaseTransform * trans)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);

  gst_eclut_scale_free_stream (self);
  gst_eclut_scale_free_scratch (self);
  gst_eclut_scale_free_pool (self);
  self->scratch_size = 0;
  gst_eclut_scale_free_tables (self);
  self->path_scale = 0;

  GST_OBJECT_LOCK (self);
  self->started = FALSE;
  self->preferred_scale = self->scale ? self->scale : AUTO_PREFERRED_SCALE;
  GST_OBJECT_UNLOCK (self);

  return TRUE;
}

static GstCaps *
gst_eclut_scale_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);
  guint scale = gst_eclut_scale_get_preferred_scale (self);
  GstCaps *ret;

  if (gst_caps_is_any (caps))
    ret = gst_caps_ref (caps);
  else
    ret = gst_eclut_scale_caps_transform (caps, direction, scale);

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

static GstCaps *
gst_eclut_scale_fixate_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * othercaps)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);

  GST_DEBUG_OBJECT (self, "fixating %" GST_PTR_FORMAT " for %"
      GST_PTR_FORMAT, othercaps, caps);

  return gst_eclut_scale_caps_fixate_size (trans, direction, caps, othercaps,
      gst_eclut_scale_get_preferred_scale (self));
}

/* Fixed input caps that cannot work are refused here with the reason, not
 * left to a bare not-negotiated: interlaced video, and sizes GStreamer
 * cannot describe even before scaling (e.g. an I420 width whose rounded-up
 * stride overflows).  Only fixed caps get here, and such input is fatal
 * for the stream anyway. */
static gboolean
gst_eclut_scale_check_input_caps (GstEclutScale * self, GstCaps * caps)
{
  GstStructure *s = gst_caps_get_structure (caps, 0);
  const gchar *mode = gst_structure_get_string (s, "interlace-mode");
  const gchar *format = gst_structure_get_string (s, "format");
  GstVideoInfo info;
  gint w, h;

  /* the tables are made for whole progressive frames, and scaling the
   * fields apart would halve the vertical detail they work with: a
   * deinterlacer in front does better */
  if (mode != NULL && strcmp (mode, "progressive") != 0) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("eclutscale does not scale interlaced video (interlace-mode %s): "
            "deinterlace it first, e.g. with the deinterlace element", mode),
        ("input caps %" GST_PTR_FORMAT, caps));
    return FALSE;
  }

  if (format != NULL && gst_structure_get_int (s, "width", &w) &&
      gst_structure_get_int (s, "height", &h) && w > 0 && h > 0 &&
      !gst_video_info_set_format (&info,
          gst_video_format_from_string (format), w, h)) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot upscale %dx%d %s by %u: the input size exceeds the "
            "largest video frame GStreamer can describe", w, h, format,
            gst_eclut_scale_get_preferred_scale (self)),
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
 * them in its own (input) pixels: the picture rectangle of the output
 * (borders left out) maps onto the whole input. */
static gboolean
gst_eclut_scale_src_event (GstBaseTransform * trans, GstEvent * event)
{
  GstEclutScale *self = GST_ECLUT_SCALE (trans);
  GstVideoFilter *filter = GST_VIDEO_FILTER (trans);

  if (GST_EVENT_TYPE (event) == GST_EVENT_NAVIGATION) {
    GstVideoRectangle dest;
    gint in_w, in_h;
    gdouble x, y;

    GST_OBJECT_LOCK (self);
    dest = self->dest;
    in_w = GST_VIDEO_INFO_WIDTH (&filter->in_info);
    in_h = GST_VIDEO_INFO_HEIGHT (&filter->in_info);
    GST_OBJECT_UNLOCK (self);

    if (dest.w > 0 && dest.h > 0 && in_w > 0 && in_h > 0) {
      event = gst_event_make_writable (event);
      if (gst_navigation_event_get_coordinates (event, &x, &y)) {
        gdouble in_x = (x - dest.x) * in_w / dest.w;
        gdouble in_y = (y - dest.y) * in_h / dest.h;

        GST_TRACE_OBJECT (self, "navigation %g,%g -> %g,%g", x, y, in_x,
            in_y);
        gst_navigation_event_set_coordinates (event, in_x, in_y);
      }
    }
  }

  return GST_BASE_TRANSFORM_CLASS (parent_class)->src_event (trans, event);
}

/* The crop rectangle of the input, in output pixels: the whole input frame
 * is scaled into the picture rectangle, so the rectangle moves with it and
 * downstream crops the same part of the picture. */
static void
gst_eclut_scale_transform_crop (GstEclutScale * self, GstBuffer * outbuf,
    const GstVideoCropMeta * in)
{
  GstVideoFilter *filter = GST_VIDEO_FILTER (self);
  gint in_w = GST_VIDEO_INFO_WIDTH (&filter->in_info);
  gint in_h = GST_VIDEO_INFO_HEIGHT (&filter->in_info);
  const GstVideoRectangle *d = &self->dest;
  GstVideoCropMeta *out;
  guint x0, x1, y0, y1;

  if (in_w <= 0 || in_h <= 0)
    return;
  x0 = gst_util_uint64_scale_int_round (MIN (in->x, (guint) in_w), d->w,
      in_w);
  x1 = gst_util_uint64_scale_int_round (MIN (in->x + (guint64) in->width,
          (guint) in_w), d->w, in_w);
  y0 = gst_util_uint64_scale_int_round (MIN (in->y, (guint) in_h), d->h,
      in_h);
  y1 = gst_util_uint64_scale_int_round (MIN (in->y + (guint64) in->height,
          (guint) in_h), d->h, in_h);

  out = gst_buffer_add_video_crop_meta (outbuf);
  out->x = d->x + x0;
  out->y = d->y + y0;
  out->width = x1 - x0;
  out->height = y1 - y0;
  GST_LOG_OBJECT (self, "crop %u,%u %ux%u -> %u,%u %ux%u", in->x, in->y,
      in->width, in->height, out->x, out->y, out->width, out->height);
}

/* Metas that only describe the video (orientation, colorspace) are copied:
 * the colours are not changed (1.20's videoscale copied colorspace metas
 * too; 1.22's videoconvertscale drops them because it may convert the
 * colours).  The crop meta is moved into the output's picture rectangle,
 * other size-dependent metas are scaled with gst_video_meta_transform_scale,
 * anything else is left to the base class. */
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

  if (info->api == GST_VIDEO_CROP_META_API_TYPE) {
    gst_eclut_scale_transform_crop (GST_ECLUT_SCALE (trans), outbuf,
        (const GstVideoCropMeta *) meta);
    return FALSE;
  }

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

/* The chroma siting of the input.  gst_video_info_from_caps() reads the
 * caps' chroma-site field, but when the caps carry no (valid) colorimetry
 * it then overwrites the siting with the default of the default
 * colorimetry (e.g. "jpeg" for small and "mpeg2" for HD sizes), so the
 * field is read here and the info's value is only the fallback. */
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

/* The auto rule: the largest table factor that does not exceed the
 * scaling ratio of the larger axis (2 below 2x, 4 above 4x); the resampler
 * does the rest, down for ratios below 2, up otherwise.  With the default
 * (lanczos) resampling a larger table than that gains at most 0.05 dB from
 * 2x on (0.17 dB at 1.5x, where 2 is the smallest) for up to 2.25 times the
 * table's work: docs/quality.md. */
static guint
gst_eclut_scale_auto_factor (gint in_w, gint in_h, gint out_w, gint out_h)
{
  guint r;

  for (r = ECLUT_LUT_MAX_SCALE; r > ECLUT_LUT_MIN_SCALE; r--) {
    if ((gint64) in_w * r <= out_w || (gint64) in_h * r <= out_h)
      break;
  }
  return r;
}

/* Where the picture lies in the output frame: all of it, or, when
 * @add_borders and the display aspect ratios differ, the largest centred
 * rectangle of the input's display aspect ratio (the rest is black), as
 * videoconvertscale places it. */
static void
gst_eclut_scale_picture_rect (const GstVideoInfo * in_info,
    const GstVideoInfo * out_info, gboolean add_borders,
    GstVideoRectangle * rect)
{
  gint in_dar_n, in_dar_d, out_dar_n, out_dar_d, n, d;
  gint out_w = GST_VIDEO_INFO_WIDTH (out_info);
  gint out_h = GST_VIDEO_INFO_HEIGHT (out_info);
  gint w = out_w, h = out_h;

  if (add_borders &&
      gst_util_fraction_multiply (GST_VIDEO_INFO_WIDTH (in_info),
          GST_VIDEO_INFO_HEIGHT (in_info), GST_VIDEO_INFO_PAR_N (in_info),
          GST_VIDEO_INFO_PAR_D (in_info), &in_dar_n, &in_dar_d) &&
      gst_util_fraction_multiply (out_w, out_h,
          GST_VIDEO_INFO_PAR_N (out_info), GST_VIDEO_INFO_PAR_D (out_info),
          &out_dar_n, &out_dar_d) &&
      gst_util_fraction_compare (in_dar_n, in_dar_d, out_dar_n,
          out_dar_d) != 0 &&
      /* the picture's width / height in output pixels: DAR / PAR */
      gst_util_fraction_multiply (in_dar_n, in_dar_d,
          GST_VIDEO_INFO_PAR_D (out_info), GST_VIDEO_INFO_PAR_N (out_info),
          &n, &d)) {
    h = (gint) gst_util_uint64_scale_int (out_w, d, n);
    if (h > out_h) {
      h = out_h;
      w = (gint) gst_util_uint64_scale_int (out_h, n, d);
    }
    w = MAX (w, 1);
    h = MAX (h, 1);
  }
  rect->x = (out_w - w) / 2;
  rect->y = (out_h - h) / 2;
  rect->w = w;
  rect->h = h;
}

/* The sample layout of the planes of @info: 8 bits, or 10 bits in the low
 * or (P010) the high bits of little-endian words.  Every plane of the
 * template's formats has the same. */
static EclutSamples
gst_eclut_scale_samples (const GstVideoInfo * info)
{
  if (GST_VIDEO_INFO_COMP_DEPTH (info, 0) <= 8)
    return ECLUT_SAMPLES_U8;
  return GST_VIDEO_FORMAT_INFO_SHIFT (info->finfo, 0) ? ECLUT_SAMPLES_U10_MSB :
      ECLUT_SAMPLES_U10_LSB;
}

/* Prepares the table stage: @in_info upscaled by the table of this stream
 * into @out_info (exactly r times as large), or only its luma plane when
 * @out_info is NULL.  Planes and scratch sizes. */
static gboolean
gst_eclut_scale_setup_table (GstEclutScale * self,
    const GstVideoInfo * in_info, const GstVideoInfo * out_info,
    GstVideoChromaSite site)
{
  const GstVideoFormatInfo *finfo = in_info->finfo;
  guint scale = eclut_lut_get_scale (self->lut);
  gsize scratch_size = 0;
  guint p;

  /* the luma is plane 0 in every format of the template */
  gst_eclut_scale_free_chroma_plans (self);
  self->n_planes = out_info ? GST_VIDEO_INFO_N_PLANES (in_info) : 1;
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
    plane->out_height = out_info ?
        (guint) GST_VIDEO_INFO_COMP_HEIGHT (out_info, c) :
        (guint) GST_VIDEO_INFO_HEIGHT (in_info) * scale;
    if (c == GST_VIDEO_COMP_Y) {
      plane->is_luma = TRUE;
      plane->in_width = GST_VIDEO_INFO_COMP_WIDTH (in_info, c);
      plane->in_height = GST_VIDEO_INFO_COMP_HEIGHT (in_info, c);
      size = eclut_luma_scratch_size (self->lut, plane->in_width);
      if (size != G_MAXSIZE) {
        g_clear_pointer (&self->luma_plan, eclut_luma_plan_free);
        /* the one place where the code for the stream's samples is chosen:
         * the stripes call the plan */
        self->luma_plan = eclut_luma_plan_new_for_samples (self->lut,
            plane->in_width, plane->in_height, self->samples);
        if (self->luma_plan == NULL) {
          size = G_MAXSIZE;
        } else {
          size = eclut_luma_plan_scratch_size (self->luma_plan);
          GST_INFO_OBJECT (self, "luma: %s",
              eclut_luma_plan_describe (self->luma_plan));
        }
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
      cp->samples = self->samples;
      /* as for the luma: the code for the plane is chosen here, the
       * stripes call the plan */
      plane->chroma_plan = eclut_chroma_plan_new (cp);
      if (plane->chroma_plan == NULL) {
        size = G_MAXSIZE;
      } else {
        size = eclut_chroma_plan_scratch_size (plane->chroma_plan);
        GST_INFO_OBJECT (self, "chroma plane %u: %s", p,
            eclut_chroma_plan_describe (plane->chroma_plan));
      }
    }
    if (size == G_MAXSIZE) {
      GST_ERROR_OBJECT (self, "plane %u of %s %dx%d is not supported by the "
          "core", p, GST_VIDEO_INFO_NAME (in_info),
          GST_VIDEO_INFO_WIDTH (in_info), GST_VIDEO_INFO_HEIGHT (in_info));
      gst_eclut_scale_free_chroma_plans (self);
      self->n_planes = 0;
      return FALSE;
    }
    scratch_size = MAX (scratch_size, size);
  }

  if (scratch_size != self->scratch_size) {
    gst_eclut_scale_free_scratch (self);
    self->scratch_size = scratch_size;
  }
  GST_DEBUG_OBJECT (self, "table x%u: %u planes, %" G_GSIZE_FORMAT " bytes "
      "of scratch per thread", scale, self->n_planes, scratch_size);

  return TRUE;
}

/* A plane of @size bytes for the stream, or NULL after an element error
 * naming @what (and @hint, may be NULL) */
static guint8 *
gst_eclut_scale_alloc_plane (GstEclutScale * self, guint64 size,
    const gchar * what, const gchar * hint)
{
  guint8 *plane = g_try_malloc (size);

  if (plane == NULL)
    GST_ELEMENT_ERROR (self, RESOURCE, NO_SPACE_LEFT,
        ("Cannot allocate the %" G_GUINT64_FORMAT " bytes of %s", size, what),
        ("%s", hint ? hint : ""));
  return plane;
}

/* The size of the r x input luma of the table stage, when it is not the
 * output, and with @whole_plane its plane (else the stream's rings hold
 * its rows, made with the resampler) */
static gboolean
gst_eclut_scale_setup_table_luma (GstEclutScale * self,
    const GstVideoInfo * in_info, guint scale, gboolean whole_plane)
{
  guint64 w = (guint64) GST_VIDEO_INFO_WIDTH (in_info) * scale;
  guint64 h = (guint64) GST_VIDEO_INFO_HEIGHT (in_info) * scale;
  guint64 stride = (w * eclut_samples_bytes (self->samples) + 15) &
      ~(guint64) 15;
  gchar what[32];

  if (stride > G_MAXINT || h > G_MAXINT || stride * h > G_MAXSIZE / 2) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Cannot upscale %dx%d by %u: the table's frame of %" G_GUINT64_FORMAT
            "x%" G_GUINT64_FORMAT " is too large",
            GST_VIDEO_INFO_WIDTH (in_info), GST_VIDEO_INFO_HEIGHT (in_info),
            scale, w, h), ("use a smaller scale, or scale=0 (auto)"));
    return FALSE;
  }

  self->table_width = (guint) w;
  self->table_height = (guint) h;
  self->table_stride = (gint) stride;
  if (!whole_plane)
    return TRUE;

  /* one plane per stream, shared by the threads, allocated once here */
  g_snprintf (what, sizeof (what), "the x%u luma plane", scale);
  self->table_luma = gst_eclut_scale_alloc_plane (self, stride * h, what,
      NULL);
  return self->table_luma != NULL;
}

/* The refine stages that run with @quality */
static guint
gst_eclut_scale_n_refine (GstEclutScale * self, GstEclutScaleQuality quality)
{
  const guint n = eclut_lut_get_n_refine (self->lut);

  switch (quality) {
    case GST_ECLUT_SCALE_QUALITY_HIGH:
      return n;
    case GST_ECLUT_SCALE_QUALITY_MEDIUM:
      return MIN (n, 1);
    default:
      return 0;
  }
}

/* quality=medium or high: the refine stages of the table that run, and
 * the planes between the stages (x r luma, one per stream and stage output
 * but the last, two at most: each stage reads the one before) */
static gboolean
gst_eclut_scale_setup_refine (GstEclutScale * self,
    const GstVideoInfo * in_info, guint scale, GstEclutScaleQuality quality)
{
  guint n = gst_eclut_scale_n_refine (self, quality);
  guint64 w = (guint64) GST_VIDEO_INFO_WIDTH (in_info) * scale;
  guint64 h = (guint64) GST_VIDEO_INFO_HEIGHT (in_info) * scale;
  guint64 stride = (w * eclut_samples_bytes (self->samples) + 15) &
      ~(guint64) 15;
  gsize scratch;
  guint i;

  if (n == 0)
    return TRUE;

  /* the table stage checked that this plane can be described */
  for (i = 0; i < MIN (n, 2); i++) {
    self->refine_luma[i] = gst_eclut_scale_alloc_plane (self, stride * h,
        "a luma plane of the refine stages", "use quality=fast");
    if (self->refine_luma[i] == NULL)
      return FALSE;
  }
  /* built here, the first time a stream asks for them (quality=fast never
   * does) */
  for (i = 0; i < n; i++)
    self->refine[i] = eclut_lut_get_refine (self->lut, i);
  self->n_refine = n;
  self->refine_width = (guint) w;
  self->refine_height = (guint) h;
  self->refine_stride = (gint) stride;

  scratch = eclut_refine_scratch_size ((guint) w);
  if (scratch > self->scratch_size) {
    gst_eclut_scale_free_scratch (self);
    self->scratch_size = scratch;
  }
  GST_INFO_OBJECT (self, "%u refine stage%s", n, n > 1 ? "s" : "");
  return TRUE;
}

static gboolean
gst_eclut_scale_set_info (GstVideoFilter * filter, GstCaps * incaps,
    GstVideoInfo * in_info, GstCaps * outcaps, GstVideoInfo * out_info)
{
  GstEclutScale *self = GST_ECLUT_SCALE (filter);
  GstVideoChromaSite site;
  GstVideoRectangle dest;
  gboolean add_borders;
  GstEclutScaleQuality quality;
  guint forced, scale;
  gint in_w = GST_VIDEO_INFO_WIDTH (in_info);
  gint in_h = GST_VIDEO_INFO_HEIGHT (in_info);
  gint out_w = GST_VIDEO_INFO_WIDTH (out_info);
  gint out_h = GST_VIDEO_INFO_HEIGHT (out_info);

  gst_eclut_scale_free_stream (self);

  if (GST_VIDEO_INFO_FORMAT (in_info) != GST_VIDEO_INFO_FORMAT (out_info)) {
    GST_ERROR_OBJECT (self, "input format %s differs from output format %s",
        GST_VIDEO_INFO_NAME (in_info), GST_VIDEO_INFO_NAME (out_info));
    return FALSE;
  }
  if (GST_VIDEO_INFO_IS_INTERLACED (in_info) ||
      GST_VIDEO_INFO_IS_INTERLACED (out_info)) {
    GST_ERROR_OBJECT (self, "interlaced video is not supported");
    return FALSE;
  }
  self->samples = gst_eclut_scale_samples (in_info);

  GST_OBJECT_LOCK (self);
  forced = self->scale;
  self->method_used = self->method;
  add_borders = self->add_borders;
  quality = self->quality;
  self->settings_changed = FALSE;
  GST_OBJECT_UNLOCK (self);

  site = gst_eclut_scale_get_chroma_site (self, incaps, in_info);
  self->in_info = *in_info;
  self->out_info = *out_info;

  gst_eclut_scale_picture_rect (in_info, out_info, add_borders, &dest);
  GST_OBJECT_LOCK (self);
  self->dest = dest;
  GST_OBJECT_UNLOCK (self);

  /* which code runs for this stream: nothing when the video does not
   * change (the input buffer goes on untouched) */
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self),
      gst_video_info_is_equal (in_info, out_info));
  if (dest.w <= in_w && dest.h <= in_h)
    scale = 0;
  else if (forced != 0)
    scale = forced;
  else if (self->path_scale != 0)
    scale = self->path_scale;
  else
    scale = gst_eclut_scale_auto_factor (in_w, in_h, dest.w, dest.h);

  if (scale == 0) {
    self->path = GST_ECLUT_SCALE_PATH_RESAMPLE;
  } else {
    if (self->luts[scale] == NULL)
      self->luts[scale] = gst_eclut_scale_load_table (self, NULL, scale);
    self->lut = self->luts[scale];
    if (self->lut == NULL)
      return FALSE;

    if (dest.w == out_w && dest.h == out_h &&
        (gint64) in_w * scale == out_w && (gint64) in_h * scale == out_h) {
      self->path = GST_ECLUT_SCALE_PATH_TABLE;
      if (!gst_eclut_scale_setup_table (self, in_info, out_info, site))
        return FALSE;
    } else {
      if (!gst_eclut_scale_setup_table_luma (self, in_info, scale, FALSE) ||
          !gst_eclut_scale_setup_table (self, in_info, NULL, site))
        return FALSE;
      /* the table's rows straight into the resampling where no refine
       * stage runs between */
      if (gst_eclut_scale_n_refine (self, quality) == 0)
        self->path = GST_ECLUT_SCALE_PATH_TABLE_STREAM;
      else if (gst_eclut_scale_setup_table_luma (self, in_info, scale, TRUE))
        self->path = GST_ECLUT_SCALE_PATH_TABLE_RESAMPLE;
      else
        return FALSE;
    }
    if (!gst_eclut_scale_setup_refine (self, in_info, scale, quality))
      return FALSE;
  }

  GST_DEBUG_OBJECT (self, "%" GST_PTR_FORMAT " -> %" GST_PTR_FORMAT, incaps,
      outcaps);
  GST_INFO_OBJECT (self, "%dx%d -> %dx%d (picture %dx%d at %d,%d): %s, "
      "chroma site 0x%x", in_w, in_h, out_w, out_h, dest.w, dest.h, dest.x,
      dest.y, self->path == GST_ECLUT_SCALE_PATH_TABLE ? "table" :
      self->path == GST_ECLUT_SCALE_PATH_TABLE_RESAMPLE ?
      "table, then resampling" : self->path ==
      GST_ECLUT_SCALE_PATH_TABLE_STREAM ? "table rows streamed into the "
      "resampling" : "resampling only", site);
  if (scale != 0)
    GST_INFO_OBJECT (self, "table x%u%s", scale,
        self->table_luma ? ", intermediate luma plane allocated" : "");

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

/* Band @stripe->index of @height rows: [*y0, *y1), possibly empty */
static void
gst_eclut_scale_stripe_rows (const GstEclutScaleStripe * stripe, guint height,
    guint * y0, guint * y1)
{
  guint64 rows = ((guint64) height + stripe->n_stripes - 1) /
      stripe->n_stripes;

  *y0 = (guint) MIN (rows * stripe->index, height);
  *y1 = (guint) MIN (rows * (stripe->index + 1), height);
}

/* A band of TABLE_STREAM: the resampling told of the table's rows */
typedef struct
{
  GstEclutScaleStripe *stripe;
  guint8 *ring;
  guint y;                      /* the next luma row to resample */
} GstEclutScaleStream;

static void
gst_eclut_scale_stream_rows_done (gpointer data, guint n_done)
{
  GstEclutScaleStream *st = data;
  GstEclutScale *self = st->stripe->self;

  gst_eclut_scale_resampler_run_luma_ring (self->resampler,
      st->stripe->index, st->ring, self->table_stride, self->ring_rows,
      n_done, &st->y, st->stripe->out_frame);
}

/* The luma of band @stripe: the table's rows that it reads into the
 * band's ring, each output row resampled as soon as its rows are there;
 * then the chroma */
static void
gst_eclut_scale_stream_stripe (GstEclutScale * self,
    GstEclutScaleStripe * stripe)
{
  GstEclutScaleStream st = { stripe, self->rings + (gsize) stripe->index *
        self->ring_rows * self->table_stride, 0
  };
  guint first, end, y1;

  gst_eclut_scale_resampler_luma_band (self->resampler, stripe->index, &st.y,
      &y1);
  gst_eclut_scale_resampler_luma_sources (self->resampler, stripe->index,
      &first, &end);
  if (first < end)
    eclut_luma_plan_stream_rows (self->luma_plan,
        GST_VIDEO_FRAME_PLANE_DATA (stripe->in_frame, 0),
        GST_VIDEO_FRAME_PLANE_STRIDE (stripe->in_frame, 0), st.ring,
        self->table_stride, self->ring_rows, first, end, stripe->scratch,
        gst_eclut_scale_stream_rows_done, &st);
  /* the rows that read none (borders) after the last */
  gst_eclut_scale_stream_rows_done (&st, end);
  g_assert (st.y == y1);
  gst_eclut_scale_resampler_run_stripe_chroma (self->resampler,
      stripe->index, stripe->in_frame, stripe->out_frame);
}

static void
gst_eclut_scale_process_stripe (gpointer data)
{
  GstEclutScaleStripe *stripe = data;
  GstEclutScale *self = stripe->self;
  guint p;

  if (stripe->refine != NULL) {
    guint y0, y1;

    gst_eclut_scale_stripe_rows (stripe, self->refine_height, &y0, &y1);
    if (y0 < y1)
      eclut_refine_rows_samples (stripe->refine, self->samples,
          stripe->refine_src, stripe->refine_src_stride, self->refine_width,
          self->refine_height, stripe->dst[0], stripe->dst_stride[0], y0, y1,
          stripe->scratch);
    return;
  }

  if (stripe->stream) {
    gst_eclut_scale_stream_stripe (self, stripe);
    return;
  }
  if (stripe->out_frame != NULL) {
    gst_eclut_scale_resampler_run_stripe (self->resampler, stripe->index,
        stripe->in_frame, self->table_luma, self->table_stride,
        stripe->out_frame);
    return;
  }

  for (p = 0; p < self->n_planes; p++) {
    const GstEclutScalePlane *plane = &self->planes[p];
    guint y0, y1;
    const guint8 *src = GST_VIDEO_FRAME_PLANE_DATA (stripe->in_frame, p);
    gint src_stride = GST_VIDEO_FRAME_PLANE_STRIDE (stripe->in_frame, p);

    gst_eclut_scale_stripe_rows (stripe, plane->out_height, &y0, &y1);
    if (y0 >= y1)
      continue;

    if (plane->is_luma)
      eclut_luma_plan_upscale_rows (self->luma_plan, src, src_stride,
          stripe->dst[p], stripe->dst_stride[p], y0, y1, stripe->scratch);
    else
      eclut_chroma_plan_upscale_rows (plane->chroma_plan, src, src_stride,
          stripe->dst[p], stripe->dst_stride[p], y0, y1, stripe->scratch);
  }
}

/* n-threads, capped at the number of CPU cores (0: all of them) */
static guint
gst_eclut_scale_get_threads (GstEclutScale * self)
{
  guint n_cpus = g_get_num_processors ();
  guint n;

  GST_OBJECT_LOCK (self);
  n = self->n_threads;
  GST_OBJECT_UNLOCK (self);

  return n == 0 || n > n_cpus ? n_cpus : n;
}

/* At most @n_threads stripes, and at least MIN_ROWS_PER_THREAD rows of
 * @height per stripe; the split does not change the result (the cores
 * give the same bytes for any row range, each scaler computes its rows
 * from the whole source) */
static guint
gst_eclut_scale_n_stripes (guint n_threads, guint height)
{
  return MIN (n_threads, MAX (1, height / MIN_ROWS_PER_THREAD));
}

/* Runs @n_stripes stripes of the stage @stage describes (its index,
 * count and scratch set per stripe): as GstVideoConverter's task runner,
 * stripes 1..n-1 go to the pool, stripe 0 runs here, then the others are
 * waited for.  @stage->out_frame NULL: the table or a refine stage into
 * @stage->dst, else the resampling stage into @stage->out_frame. */
static void
gst_eclut_scale_run_stripes (GstEclutScale * self, guint n_stripes,
    const GstEclutScaleStripe * stage)
{
  GstEclutScaleStripe *stripes;
  gpointer *handles;
  gboolean pool;
  guint i;

  /* without a pool every stripe runs here, one after the other (the
   * resampler's bands are fixed when it is made) */
  pool = n_stripes > 1 && gst_eclut_scale_ensure_pool (self, n_stripes - 1);
  if (stage->out_frame == NULL || stage->stream)
    gst_eclut_scale_ensure_scratch (self, n_stripes);

  stripes = g_new0 (GstEclutScaleStripe, n_stripes);
  handles = g_new0 (gpointer, n_stripes);
  for (i = 0; i < n_stripes; i++) {
    stripes[i] = *stage;
    stripes[i].self = self;
    if (stage->out_frame == NULL || stage->stream)
      stripes[i].scratch = gst_eclut_scale_scratch (self, i);
    stripes[i].index = i;
    stripes[i].n_stripes = n_stripes;
  }

  for (i = 1; i < n_stripes; i++) {
    GError *err = NULL;

    if (pool)
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
}

/* The table stage into the output frame, or into the luma plane of
 * TABLE_RESAMPLE; with refine stages, the table's luma goes to the first
 * refine plane and the stages follow, one after the other (each reads
 * rows around its own from the stage before), the last into the luma
 * plane the table stage writes without them. */
static void
gst_eclut_scale_run_table (GstEclutScale * self, GstVideoFrame * in_frame,
    GstVideoFrame * out_frame, guint n_threads)
{
  GstEclutScaleStripe stage = { NULL, };
  guint8 *luma;
  gint luma_stride;
  guint p, k;

  stage.in_frame = in_frame;
  if (self->path == GST_ECLUT_SCALE_PATH_TABLE) {
    for (p = 0; p < self->n_planes; p++) {
      stage.dst[p] = GST_VIDEO_FRAME_PLANE_DATA (out_frame, p);
      stage.dst_stride[p] = GST_VIDEO_FRAME_PLANE_STRIDE (out_frame, p);
    }
  } else {
    stage.dst[0] = self->table_luma;
    stage.dst_stride[0] = self->table_stride;
  }
  luma = stage.dst[0];
  luma_stride = stage.dst_stride[0];
  if (self->n_refine > 0) {
    stage.dst[0] = self->refine_luma[0];
    stage.dst_stride[0] = self->refine_stride;
  }
  gst_eclut_scale_run_stripes (self, gst_eclut_scale_n_stripes (n_threads,
          self->planes[0].out_height), &stage);

  for (k = 0; k < self->n_refine; k++) {
    GstEclutScaleStripe refine = { NULL, };

    refine.refine = self->refine[k];
    refine.refine_src = self->refine_luma[k % 2];
    refine.refine_src_stride = self->refine_stride;
    if (k + 1 == self->n_refine) {
      refine.dst[0] = luma;
      refine.dst_stride[0] = luma_stride;
    } else {
      refine.dst[0] = self->refine_luma[(k + 1) % 2];
      refine.dst_stride[0] = self->refine_stride;
    }
    gst_eclut_scale_run_stripes (self, gst_eclut_scale_n_stripes (n_threads,
            self->refine_height), &refine);
  }
}

/* The resampling stage (with @stream, the table's luma streamed into it),
 * its scalers made for the stripes @n_threads threads give (made again
 * when n-threads changed) */
static void
gst_eclut_scale_run_resample (GstEclutScale * self, GstVideoFrame * in_frame,
    GstVideoFrame * out_frame, guint n_threads, gboolean stream)
{
  guint n_stripes = gst_eclut_scale_n_stripes (n_threads,
      GST_VIDEO_INFO_HEIGHT (&self->out_info));
  GstEclutScaleStripe stage = { NULL, };

  if (self->resampler != NULL &&
      gst_eclut_scale_resampler_get_n_stripes (self->resampler) != n_stripes)
    g_clear_pointer (&self->resampler, gst_eclut_scale_resampler_free);
  if (self->resampler == NULL) {
    guint p;

    self->resampler = gst_eclut_scale_resampler_new (&self->in_info,
        self->table_width, self->table_height, &self->out_info, &self->dest,
        self->method_used, n_stripes);
    for (p = 0; p < gst_eclut_scale_resampler_get_n_planes (self->resampler);
        p++) {
      gchar *what = gst_eclut_scale_resampler_describe (self->resampler, p);

      GST_INFO_OBJECT (self, "resampling plane %u: %s", p, what);
      g_free (what);
    }
    if (stream) {
      /* a ring per band: the rows the resampling needs at once, and the
       * rows the table writes between two of its calls */
      self->ring_rows = gst_eclut_scale_resampler_luma_window
          (self->resampler) + eclut_lut_get_scale (self->lut);
      g_free (self->rings);
      self->rings = g_malloc ((gsize) n_stripes * self->ring_rows *
          self->table_stride);
      GST_INFO_OBJECT (self, "table rows streamed through rings of %u rows",
          self->ring_rows);
    }
  }

  stage.in_frame = in_frame;
  stage.out_frame = out_frame;
  stage.stream = stream;
  gst_eclut_scale_run_stripes (self, n_stripes, &stage);
}

/* method, add-borders or quality changed while the stream runs: the same
 * caps, so basetransform would not call set_info () again (it skips caps
 * equal to the current ones); the stream is set up again here, between
 * frames, as it would be for new caps */
static gboolean
gst_eclut_scale_apply_settings (GstEclutScale * self)
{
  GstVideoFilter *filter = GST_VIDEO_FILTER (self);
  GstBaseTransform *trans = GST_BASE_TRANSFORM (self);
  GstCaps *incaps, *outcaps;
  GstVideoInfo in_info, out_info;
  gboolean changed, ok = FALSE;

  GST_OBJECT_LOCK (self);
  changed = self->settings_changed;
  GST_OBJECT_UNLOCK (self);
  if (!changed)
    return TRUE;

  incaps = gst_pad_get_current_caps (GST_BASE_TRANSFORM_SINK_PAD (trans));
  outcaps = gst_pad_get_current_caps (GST_BASE_TRANSFORM_SRC_PAD (trans));
  if (incaps && outcaps) {
    GST_INFO_OBJECT (self, "settings changed: setting the stream up again");
    /* set_info () keeps copies; the filter's own stay as they are */
    in_info = filter->in_info;
    out_info = filter->out_info;
    ok = gst_eclut_scale_set_info (filter, incaps, &in_info, outcaps,
        &out_info);
  }
  gst_clear_caps (&incaps);
  gst_clear_caps (&outcaps);
  return ok;
}

static GstFlowReturn
gst_eclut_scale_transform_frame (GstVideoFilter * filter,
    GstVideoFrame * in_frame, GstVideoFrame * out_frame)
{
  GstEclutScale *self = GST_ECLUT_SCALE (filter);
  guint n_threads = gst_eclut_scale_get_threads (self);

  /* set_info () posted the error that says why */
  if (filter->negotiated && !gst_eclut_scale_apply_settings (self)) {
    GST_WARNING_OBJECT (self, "could not set the stream up with the new "
        "method, add-borders or quality");
    return GST_FLOW_ERROR;
  }
  if (!filter->negotiated || (self->path != GST_ECLUT_SCALE_PATH_RESAMPLE &&
          (self->lut == NULL || self->n_planes == 0))) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("transform called before the format was set"));
    return GST_FLOW_NOT_NEGOTIATED;
  }

  switch (self->path) {
    case GST_ECLUT_SCALE_PATH_TABLE:
      gst_eclut_scale_run_table (self, in_frame, out_frame, n_threads);
      break;
    case GST_ECLUT_SCALE_PATH_TABLE_RESAMPLE:
      gst_eclut_scale_run_table (self, in_frame, NULL, n_threads);
      gst_eclut_scale_run_resample (self, in_frame, out_frame, n_threads,
          FALSE);
      break;
    case GST_ECLUT_SCALE_PATH_TABLE_STREAM:
      gst_eclut_scale_run_resample (self, in_frame, out_frame, n_threads,
          TRUE);
      break;
    case GST_ECLUT_SCALE_PATH_RESAMPLE:
      gst_eclut_scale_run_resample (self, in_frame, out_frame, n_threads,
          FALSE);
      break;
  }

  return GST_FLOW_OK;
}
