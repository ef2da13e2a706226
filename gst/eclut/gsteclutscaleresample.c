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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gsteclutscaleresample.h"
#include "eclut-hfilter.h"
#include "eclut-vfilter.h"

GType
gst_eclut_scale_method_get_type (void)
{
  static GType type = 0;
  /* videoscale's names, so that pipelines can switch elements unchanged */
  static const GEnumValue values[] = {
    {GST_ECLUT_SCALE_METHOD_NEAREST, "Nearest Neighbour", "nearest-neighbour"},
    {GST_ECLUT_SCALE_METHOD_BILINEAR, "Bilinear (2-tap)", "bilinear"},
    {GST_ECLUT_SCALE_METHOD_4TAP, "4-tap Sinc", "4-tap"},
    {GST_ECLUT_SCALE_METHOD_LANCZOS, "Lanczos", "lanczos"},
    {GST_ECLUT_SCALE_METHOD_BILINEAR2, "Bilinear (multi-tap)", "bilinear2"},
    {GST_ECLUT_SCALE_METHOD_SINC, "Sinc (multi-tap)", "sinc"},
    {GST_ECLUT_SCALE_METHOD_HERMITE, "Hermite (multi-tap)", "hermite"},
    {GST_ECLUT_SCALE_METHOD_SPLINE, "Spline (multi-tap)", "spline"},
    {GST_ECLUT_SCALE_METHOD_CATROM, "Catmull-Rom (multi-tap)", "catrom"},
    {GST_ECLUT_SCALE_METHOD_MITCHELL, "Mitchell (multi-tap)", "mitchell"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstEclutScaleMethod", values);

    g_once_init_leave (&type, t);
  }
  return type;
}

/* The resampler settings of each method, as videoscale sets them:
 * GstVideoResamplerMethod, then max-taps (0: the resampler's choice) and
 * the cubic B and C where they apply. */
static const struct
{
  GstVideoResamplerMethod resampler;
  gint max_taps;
  gdouble cubic_b, cubic_c;
} methods[] = {
  [GST_ECLUT_SCALE_METHOD_NEAREST] = {GST_VIDEO_RESAMPLER_METHOD_NEAREST},
  [GST_ECLUT_SCALE_METHOD_BILINEAR] = {GST_VIDEO_RESAMPLER_METHOD_LINEAR, 2},
  [GST_ECLUT_SCALE_METHOD_4TAP] = {GST_VIDEO_RESAMPLER_METHOD_SINC, 4},
  [GST_ECLUT_SCALE_METHOD_LANCZOS] = {GST_VIDEO_RESAMPLER_METHOD_LANCZOS},
  [GST_ECLUT_SCALE_METHOD_BILINEAR2] = {GST_VIDEO_RESAMPLER_METHOD_LINEAR},
  [GST_ECLUT_SCALE_METHOD_SINC] = {GST_VIDEO_RESAMPLER_METHOD_SINC},
  [GST_ECLUT_SCALE_METHOD_HERMITE] =
      {GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 0.0, 0.0},
  [GST_ECLUT_SCALE_METHOD_SPLINE] =
      {GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 1.0, 0.0},
  [GST_ECLUT_SCALE_METHOD_CATROM] =
      {GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 0.0, 0.5},
  [GST_ECLUT_SCALE_METHOD_MITCHELL] =
      {GST_VIDEO_RESAMPLER_METHOD_CUBIC, 0, 1.0 / 3.0, 1.0 / 3.0},
};

/* One plane's part of the job: source size, the picture rectangle in the
 * output plane, and per stripe a horizontal and a vertical scaler (NULL
 * where the size does not change) and a line of vertically scaled source:
 * GstVideoScaler keeps line buffers, so each thread needs its own, as in
 * GstVideoConverter.
 *
 * 10-bit planes are scaled as GRAY16_LE words (GstVideoScaler has no
 * interleaved 16-bit format: P010's UV rows are split into a U and a V
 * line for the horizontal pass), and each output row is then brought back
 * to 10 bits: the filters' overshoot clamped to 1023, and P010's words
 * rounded to their high 10 bits (GstVideoScaler's output being 16 bits).
 *
 * Each output row is scaled vertically, then horizontally, always in this
 * order.  gst_video_scaler_2d() chooses the order from the rows it is given,
 * so that bands of one frame could be scaled in different orders and the
 * output would depend on the number of threads. */
typedef struct
{
  guint in_w, in_h;
  guint out_w, out_h;           /* the whole output plane */
  GstVideoRectangle dest;       /* the picture in it */
  /* GRAY8, NV12 for interleaved 8-bit UV, GRAY16_LE at 10 bits */
  GstVideoFormat scale_format;
  guint pstride;
  guint n_comp;                 /* 1, or 2 for interleaved UV */
  gboolean ten_bit;
  guint low;                    /* 10 bits: bits below the value (P010: 6) */
  guint16 black[2];
  GstVideoScaler **h_scalers, **v_scalers;
  /* the horizontal pass, where it can take GstVideoScaler's place with the
   * same output (shared by the stripes), else NULL */
  EclutHFilter *hfilter;
  /* likewise the vertical pass: the integer taps of each picture row
   * (dest.h x v_n_taps), or NULL */
  gint16 *v_taps;
  guint v_n_taps;
  guint8 **lines;               /* per stripe: in_w samples */
  gpointer **taps;              /* per stripe: the source rows of one row */
  /* 10-bit interleaved with a horizontal scaler, per stripe: U and V of
   * the source line (in_w each), then of the output (dest.w each) */
  guint16 **split;
} Plane;

struct _GstEclutScaleResampler
{
  guint n_planes, n_stripes;
  Plane planes[GST_VIDEO_MAX_PLANES];
};

static GstStructure *
method_options (GstEclutScaleMethod method)
{
  GstStructure *options = gst_structure_new_empty ("GstEclutScaleResample");

  if (methods[method].max_taps > 0)
    gst_structure_set (options, GST_VIDEO_RESAMPLER_OPT_MAX_TAPS, G_TYPE_INT,
        methods[method].max_taps, NULL);
  if (methods[method].resampler == GST_VIDEO_RESAMPLER_METHOD_CUBIC)
    gst_structure_set (options,
        GST_VIDEO_RESAMPLER_OPT_CUBIC_B, G_TYPE_DOUBLE, methods[method].cubic_b,
        GST_VIDEO_RESAMPLER_OPT_CUBIC_C, G_TYPE_DOUBLE, methods[method].cubic_c,
        NULL);
  return options;
}

/* The precision of GstVideoScaler's taps in its 8-bit passes, and in its
 * 16-bit ones, which round by adding 2^12 - 1 (not 2^11) */
#define TAP_BITS 6
#define TAP_BITS_16 12
#define ROUND_16 ((1 << TAP_BITS_16) - 1)

/* One phase's taps as GstVideoScaler's passes make them integers:
 * each floor (bias + tap * 2^bits) with one bias for the phase, bisected in
 * [0, 1] until the taps sum to 2^bits (or 64 steps have been tried). */
static void
integer_taps (const gdouble * taps, guint n, guint bits, gint16 * out)
{
  const gint want = 1 << bits;
  gdouble lo = 0.0, hi = 1.0, bias = 0.5;
  guint step, j;

  for (step = 0; step < 64; step++) {
    gint sum = 0;

    for (j = 0; j < n; j++) {
      out[j] = (gint16) floor (bias + taps[j] * want);
      sum += out[j];
    }
    if (sum == want || lo == hi)
      break;
    if (sum < want) {
      lo = MAX (lo, bias);
      bias += (hi - lo) / 2;
    } else {
      hi = MIN (hi, bias);
      bias -= (hi - lo) / 2;
    }
  }
}

/* The horizontal pass of @h on GRAY8 rows (GRAY16_LE if @words) as an
 * EclutHFilter, or NULL where that would not give GstVideoScaler's output
 * (its 8-bit pass sums in 16 bits, which the filter matches only while no
 * sum can wrap; its 1-tap pass, and its 8-bit 2-tap one, interpolate
 * differently, and are fast) or would not be faster (no SIMD code for
 * these taps on this CPU). */
static EclutHFilter *
hfilter_for (GstVideoScaler * h, guint in_w, guint out_w, gboolean words)
{
  const guint bits = words ? TAP_BITS_16 : TAP_BITS;
  guint n_taps = gst_video_scaler_get_max_taps (h);
  EclutHFilter *f = NULL;
  guint32 *offset;
  gint16 *taps;
  guint x, j;

  if (n_taps < 3 || (words && G_BYTE_ORDER != G_LITTLE_ENDIAN))
    return NULL;
  offset = g_new (guint32, out_w);
  taps = g_new (gint16, (gsize) out_w * n_taps);
  for (x = 0; x < out_w; x++) {
    gint16 *t = taps + (gsize) x * n_taps;
    gint pos = 0, neg = 0;
    guint first, n;

    integer_taps (gst_video_scaler_get_coeff (h, x, &first, &n), n_taps,
        bits, t);
    offset[x] = first;
    for (j = 0; j < n_taps; j++) {
      pos += MAX (t[j], 0);
      neg += MIN (t[j], 0);
    }
    if (!words && (255 * pos + (1 << (TAP_BITS - 1)) > G_MAXINT16 ||
            255 * neg < G_MININT16))
      goto done;
  }
  if (words)
    f = eclut_hfilter_new_words (in_w, out_w, n_taps, offset, taps,
        TAP_BITS_16, ROUND_16);
  else
    f = eclut_hfilter_new (in_w, out_w, n_taps, offset, taps, TAP_BITS);
  if (f != NULL && !eclut_hfilter_has_simd (f))
    g_clear_pointer (&f, eclut_hfilter_free);

done:
  g_free (offset);
  g_free (taps);
  return f;
}

/* The integer taps of each output row of @v for eclut_vfilter_row () (or
 * eclut_vfilter_row_words () if @words), or NULL where GstVideoScaler's
 * pass is kept: at 8 bits with 4 taps or fewer it has single-pass ORC
 * functions (and its 4-tap one picks taps by output row, not by phase), at
 * 16 bits a 2-tap one, and without SIMD code its ORC is the faster. */
static gint16 *
vfilter_taps_for (GstVideoScaler * v, guint out_h, gboolean words,
    guint * n_taps_out)
{
  guint n_taps = gst_video_scaler_get_max_taps (v);
  gint16 *taps;
  guint y;

  if (n_taps < (words ? 3 : 5) ||
      (words && G_BYTE_ORDER != G_LITTLE_ENDIAN))
    return NULL;
  taps = g_new (gint16, (gsize) out_h * n_taps);
  for (y = 0; y < out_h; y++) {
    gint16 *t = taps + (gsize) y * n_taps;

    integer_taps (gst_video_scaler_get_coeff (v, y, NULL, NULL), n_taps,
        words ? TAP_BITS_16 : TAP_BITS, t);
    if (words ? !eclut_vfilter_has_simd_words (t, n_taps, TAP_BITS_16) :
        !eclut_vfilter_has_simd (t, n_taps, TAP_BITS)) {
      g_free (taps);
      return NULL;
    }
  }
  *n_taps_out = n_taps;
  return taps;
}

/* A resampler from the planes of @in_info (the luma plane replaced by one
 * of @luma_width x @luma_height when those are not 0) to the rectangle
 * @dest of @out_info (same format), the rest of the output black; work
 * cut into @n_stripes bands of output rows. */
GstEclutScaleResampler *
gst_eclut_scale_resampler_new (const GstVideoInfo * in_info,
    guint luma_width, guint luma_height, const GstVideoInfo * out_info,
    const GstVideoRectangle * dest, GstEclutScaleMethod method,
    guint n_stripes)
{
  const GstVideoFormatInfo *finfo = out_info->finfo;
  gboolean full_range = out_info->colorimetry.range ==
      GST_VIDEO_COLOR_RANGE_0_255;
  GstEclutScaleResampler *r;
  GstStructure *options;
  guint p, i;

  g_return_val_if_fail (method < G_N_ELEMENTS (methods), NULL);
  g_return_val_if_fail (n_stripes > 0, NULL);

  r = g_new0 (GstEclutScaleResampler, 1);
  r->n_planes = GST_VIDEO_INFO_N_PLANES (out_info);
  r->n_stripes = n_stripes;
  options = method_options (method);

  for (p = 0; p < r->n_planes; p++) {
    Plane *pl = &r->planes[p];
    gint comp[GST_VIDEO_MAX_COMPONENTS];
    gint c;

    gst_video_format_info_component (finfo, p, comp);
    c = comp[0];
    if (c == GST_VIDEO_COMP_Y && luma_width != 0) {
      pl->in_w = luma_width;
      pl->in_h = luma_height;
    } else {
      pl->in_w = GST_VIDEO_INFO_COMP_WIDTH (in_info, c);
      pl->in_h = GST_VIDEO_INFO_COMP_HEIGHT (in_info, c);
    }
    pl->out_w = GST_VIDEO_INFO_COMP_WIDTH (out_info, c);
    pl->out_h = GST_VIDEO_INFO_COMP_HEIGHT (out_info, c);
    /* the rectangle in this plane's samples, rounded as the plane sizes */
    pl->dest.x = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, dest->x);
    pl->dest.y = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, dest->y);
    pl->dest.w = MIN (GST_VIDEO_FORMAT_INFO_SCALE_WIDTH (finfo, c, dest->w),
        (gint) pl->out_w - pl->dest.x);
    pl->dest.h = MIN (GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT (finfo, c, dest->h),
        (gint) pl->out_h - pl->dest.y);
    pl->pstride = GST_VIDEO_FORMAT_INFO_PSTRIDE (finfo, c);
    pl->n_comp = comp[1] >= 0 ? 2 : 1;
    pl->ten_bit = GST_VIDEO_FORMAT_INFO_DEPTH (finfo, c) > 8;
    pl->low = pl->ten_bit ? GST_VIDEO_FORMAT_INFO_SHIFT (finfo, c) : 0;
    if (pl->ten_bit)
      pl->scale_format = GST_VIDEO_FORMAT_GRAY16_LE;
    else
      pl->scale_format = pl->n_comp == 2 ? GST_VIDEO_FORMAT_NV12 :
          GST_VIDEO_FORMAT_GRAY8;
    /* black: 16 and 128 scaled to the depth (64 and 512 at 10 bits) */
    pl->black[0] = pl->black[1] = (c == GST_VIDEO_COMP_Y ?
        (full_range ? 0 : 16) : 128) << (pl->ten_bit ? 2 + pl->low : 0);

    pl->h_scalers = g_new0 (GstVideoScaler *, n_stripes);
    pl->v_scalers = g_new0 (GstVideoScaler *, n_stripes);
    pl->lines = g_new0 (guint8 *, n_stripes);
    pl->taps = g_new0 (gpointer *, n_stripes);
    pl->split = g_new0 (guint16 *, n_stripes);
    for (i = 0; i < n_stripes; i++) {
      if (pl->in_w != (guint) pl->dest.w)
        pl->h_scalers[i] = gst_video_scaler_new (methods[method].resampler,
            GST_VIDEO_SCALER_FLAG_NONE, 0, pl->in_w, pl->dest.w, options);
      if (pl->in_h != (guint) pl->dest.h) {
        pl->v_scalers[i] = gst_video_scaler_new (methods[method].resampler,
            GST_VIDEO_SCALER_FLAG_NONE, 0, pl->in_h, pl->dest.h, options);
        pl->taps[i] = g_new0 (gpointer,
            gst_video_scaler_get_max_taps (pl->v_scalers[i]));
        pl->lines[i] = g_malloc ((gsize) pl->in_w * pl->pstride);
      }
      if (pl->ten_bit && pl->n_comp == 2 && pl->h_scalers[i] != NULL)
        pl->split[i] = g_new (guint16, 2 * ((gsize) pl->in_w + pl->dest.w));
    }
    /* (8-bit interleaved chroma keeps GstVideoScaler's NV12 passes) */
    if (pl->scale_format != GST_VIDEO_FORMAT_NV12 && pl->h_scalers[0])
      pl->hfilter = hfilter_for (pl->h_scalers[0], pl->in_w, pl->dest.w,
          pl->ten_bit);
    if (pl->scale_format != GST_VIDEO_FORMAT_NV12 && pl->v_scalers[0])
      pl->v_taps = vfilter_taps_for (pl->v_scalers[0], pl->dest.h,
          pl->ten_bit, &pl->v_n_taps);
  }
  gst_structure_free (options);

  return r;
}

void
gst_eclut_scale_resampler_free (GstEclutScaleResampler * r)
{
  guint p, i;

  if (r == NULL)
    return;
  for (p = 0; p < r->n_planes; p++) {
    for (i = 0; i < r->n_stripes; i++) {
      if (r->planes[p].h_scalers[i])
        gst_video_scaler_free (r->planes[p].h_scalers[i]);
      if (r->planes[p].v_scalers[i])
        gst_video_scaler_free (r->planes[p].v_scalers[i]);
    }
    eclut_hfilter_free (r->planes[p].hfilter);
    g_free (r->planes[p].v_taps);
    for (i = 0; i < r->n_stripes; i++) {
      g_free (r->planes[p].lines[i]);
      g_free (r->planes[p].taps[i]);
      g_free (r->planes[p].split[i]);
    }
    g_free (r->planes[p].split);
    g_free (r->planes[p].h_scalers);
    g_free (r->planes[p].v_scalers);
    g_free (r->planes[p].lines);
    g_free (r->planes[p].taps);
  }
  g_free (r);
}

guint
gst_eclut_scale_resampler_get_n_planes (const GstEclutScaleResampler * r)
{
  return r->n_planes;
}

gchar *
gst_eclut_scale_resampler_describe (const GstEclutScaleResampler * r,
    guint plane)
{
  const Plane *pl = &r->planes[plane];
  const gchar *h, *v;

  h = pl->h_scalers[0] == NULL ? "none" : pl->hfilter != NULL ?
      eclut_hfilter_describe (pl->hfilter) : "GstVideoScaler";
  v = pl->v_scalers[0] == NULL ? "none" : pl->v_taps != NULL ?
      "AVX2" : "GstVideoScaler";
  return g_strdup_printf ("%ux%u -> %dx%d, horizontal: %s, vertical: %s",
      pl->in_w, pl->in_h, pl->dest.w, pl->dest.h, h, v);
}

guint
gst_eclut_scale_resampler_get_n_stripes (const GstEclutScaleResampler * r)
{
  return r->n_stripes;
}

static void
fill_black (const Plane * pl, guint8 * row, guint x0, guint x1)
{
  guint x, c;

  if (pl->pstride == 1) {
    memset (row + x0, pl->black[0], x1 - x0);
  } else if (!pl->ten_bit) {
    for (x = x0; x < x1; x++) {
      row[2 * x] = (guint8) pl->black[0];
      row[2 * x + 1] = (guint8) pl->black[1];
    }
  } else {
    for (x = x0; x < x1; x++)
      for (c = 0; c < pl->n_comp; c++)
        GST_WRITE_UINT16_LE (row + 2 * (pl->n_comp * x + c), pl->black[c]);
  }
}

/* @n 16-bit words of scaler output back to 10-bit samples */
static void
to_ten_bit (const Plane * pl, guint8 * row, guint n)
{
  guint i;

  if (pl->low == 0) {
    for (i = 0; i < n; i++) {
      guint v = GST_READ_UINT16_LE (row + 2 * i);

      if (v > 1023)
        GST_WRITE_UINT16_LE (row + 2 * i, 1023);
    }
  } else {
    for (i = 0; i < n; i++) {
      guint v = (GST_READ_UINT16_LE (row + 2 * i) + 32) >> 6;

      GST_WRITE_UINT16_LE (row + 2 * i, MIN (v, 1023) << 6);
    }
  }
}

/* The horizontal pass of a 10-bit interleaved row: U and V apart, as two
 * GRAY16_LE lines (@buf: Plane.split) */
static void
h_scale_split (const Plane * pl, GstVideoScaler * h, const guint8 * line,
    guint8 * row, guint16 * buf)
{
  guint16 *in_u = buf, *in_v = buf + pl->in_w;
  guint16 *out_u = in_v + pl->in_w, *out_v = out_u + pl->dest.w;
  guint x;

  for (x = 0; x < pl->in_w; x++) {
    in_u[x] = GST_READ_UINT16_LE (line + 4 * x);
    in_v[x] = GST_READ_UINT16_LE (line + 4 * x + 2);
  }
  if (pl->hfilter != NULL) {
    eclut_hfilter_row_words (pl->hfilter, in_u, out_u);
    eclut_hfilter_row_words (pl->hfilter, in_v, out_v);
  } else {
    gst_video_scaler_horizontal (h, pl->scale_format, in_u, out_u, 0,
        pl->dest.w);
    gst_video_scaler_horizontal (h, pl->scale_format, in_v, out_v, 0,
        pl->dest.w);
  }
  for (x = 0; x < (guint) pl->dest.w; x++) {
    GST_WRITE_UINT16_LE (row + 4 * x, out_u[x]);
    GST_WRITE_UINT16_LE (row + 4 * x + 2, out_v[x]);
  }
}

/* Where a plane's source rows are: row i at data + i * stride, or, for a
 * ring of @ring rows (the table's luma streamed), at row i % ring */
typedef struct
{
  const guint8 *data;
  gint stride;
  guint ring;
} Source;

static inline const guint8 *
source_row (const Source * src, guint i)
{
  return src->data + (gsize) (src->ring ? i % src->ring : i) * src->stride;
}

/* Band @stripe of @pl's rows: [*y0, *y1) */
static void
band_rows (const GstEclutScaleResampler * r, const Plane * pl, guint stripe,
    guint * y0, guint * y1)
{
  guint64 rows = (pl->out_h + r->n_stripes - 1) / r->n_stripes;

  *y0 = (guint) MIN (rows * stripe, pl->out_h);
  *y1 = (guint) MIN (rows * (stripe + 1), pl->out_h);
}

/* Whether output row @y of @pl is a row of the picture, not of a border */
static inline gboolean
picture_row (const Plane * pl, guint y)
{
  return y >= (guint) pl->dest.y && y < (guint) (pl->dest.y + pl->dest.h);
}

/* The source rows that output row @y of @pl reads with the scaler @v:
 * [*first, *end), empty for the border rows */
static void
row_sources (const Plane * pl, GstVideoScaler * v, guint y, guint * first,
    guint * end)
{
  guint n = 1;

  if (!picture_row (pl, y)) {
    *first = *end = 0;
    return;
  }
  if (v == NULL)
    *first = y - pl->dest.y;
  else
    gst_video_scaler_get_coeff (v, y - pl->dest.y, first, &n);
  *end = *first + n;
}

/* Output row @y of @pl (band @stripe): the picture's part through the
 * scalers, the borders black */
static void
plane_row (const Plane * pl, guint stripe, const Source * src, guint y,
    guint8 * dst, gint dst_stride)
{
  guint8 *row = dst + (gsize) y * dst_stride;
  GstVideoScaler *h = pl->h_scalers[stripe];
  GstVideoScaler *v = pl->v_scalers[stripe];
  /* the vertical pass's width in the scaler's elements: 16-bit words of
   * both components at 10 bits */
  guint v_width = pl->ten_bit ? pl->in_w * pl->n_comp : pl->in_w;
  const guint8 *line;
  guint i;

  if (!picture_row (pl, y)) {
    fill_black (pl, row, 0, pl->out_w);
    return;
  }
  fill_black (pl, row, 0, pl->dest.x);
  fill_black (pl, row, pl->dest.x + pl->dest.w, pl->out_w);
  row += pl->dest.x * pl->pstride;

  /* the source row, or the vertically scaled one */
  if (v == NULL) {
    line = source_row (src, y - pl->dest.y);
  } else {
    guint first, n_taps;
    guint8 *dst_line;

    gst_video_scaler_get_coeff (v, y - pl->dest.y, &first, &n_taps);
    for (i = 0; i < n_taps; i++)
      pl->taps[stripe][i] = (gpointer) source_row (src, first + i);
    dst_line = h == NULL ? row : pl->lines[stripe];
    if (pl->v_taps != NULL && pl->ten_bit)
      eclut_vfilter_row_words ((const guint16 * const *) pl->taps[stripe],
          pl->v_taps + (gsize) (y - pl->dest.y) * pl->v_n_taps,
          pl->v_n_taps, TAP_BITS_16, ROUND_16, v_width, (guint16 *) dst_line);
    else if (pl->v_taps != NULL)
      eclut_vfilter_row ((const guint8 * const *) pl->taps[stripe],
          pl->v_taps + (gsize) (y - pl->dest.y) * pl->v_n_taps,
          pl->v_n_taps, TAP_BITS, pl->in_w, dst_line);
    else
      gst_video_scaler_vertical (v, pl->scale_format, pl->taps[stripe],
          dst_line, y - pl->dest.y, v_width);
    if (h == NULL) {
      if (pl->ten_bit)
        to_ten_bit (pl, row, pl->in_w * pl->n_comp);
      return;
    }
    line = pl->lines[stripe];
  }
  if (h == NULL)
    memcpy (row, line, (gsize) pl->in_w * pl->pstride);
  else if (pl->split[stripe] != NULL)
    h_scale_split (pl, h, line, row, pl->split[stripe]);
  else if (pl->hfilter != NULL && pl->ten_bit)
    eclut_hfilter_row_words (pl->hfilter, (const guint16 *) line,
        (guint16 *) row);
  else if (pl->hfilter != NULL)
    eclut_hfilter_row (pl->hfilter, line, row);
  else
    gst_video_scaler_horizontal (h, pl->scale_format, (gpointer) line, row,
        0, pl->dest.w);
  if (pl->ten_bit)
    to_ten_bit (pl, row, (h ? (guint) pl->dest.w : pl->in_w) * pl->n_comp);
}

/* Band @stripe of planes [@p0, n_planes): the picture rows through the
 * scalers, the borders black.  @luma: the luma to scale instead of the
 * input's (NULL: the input's). */
static void
run_planes (GstEclutScaleResampler * r, guint stripe, guint p0,
    const GstVideoFrame * in_frame, const guint8 * luma, gint luma_stride,
    GstVideoFrame * out_frame)
{
  guint p, y, y0, y1;

  for (p = p0; p < r->n_planes; p++) {
    const Plane *pl = &r->planes[p];
    Source src = { GST_VIDEO_FRAME_PLANE_DATA (in_frame, p),
      GST_VIDEO_FRAME_PLANE_STRIDE (in_frame, p), 0
    };

    if (p == 0 && luma != NULL) {
      src.data = luma;
      src.stride = luma_stride;
    }
    band_rows (r, pl, stripe, &y0, &y1);
    for (y = y0; y < y1; y++)
      plane_row (pl, stripe, &src, y, GST_VIDEO_FRAME_PLANE_DATA (out_frame,
              p), GST_VIDEO_FRAME_PLANE_STRIDE (out_frame, p));
  }
}

void
gst_eclut_scale_resampler_run_stripe (GstEclutScaleResampler * r,
    guint stripe, const GstVideoFrame * in_frame, const guint8 * luma,
    gint luma_stride, GstVideoFrame * out_frame)
{
  run_planes (r, stripe, 0, in_frame, luma, luma_stride, out_frame);
}

void
gst_eclut_scale_resampler_run_stripe_chroma (GstEclutScaleResampler * r,
    guint stripe, const GstVideoFrame * in_frame, GstVideoFrame * out_frame)
{
  run_planes (r, stripe, 1, in_frame, NULL, 0, out_frame);
}

void
gst_eclut_scale_resampler_luma_band (const GstEclutScaleResampler * r,
    guint stripe, guint * y0, guint * y1)
{
  band_rows (r, &r->planes[0], stripe, y0, y1);
}

void
gst_eclut_scale_resampler_luma_sources (const GstEclutScaleResampler * r,
    guint stripe, guint * first, guint * end)
{
  const Plane *pl = &r->planes[0];
  guint y, y0, y1, f, e;

  *first = G_MAXUINT;
  *end = 0;
  band_rows (r, pl, stripe, &y0, &y1);
  for (y = y0; y < y1; y++) {
    row_sources (pl, pl->v_scalers[stripe], y, &f, &e);
    if (f < e) {
      *first = MIN (*first, f);
      *end = MAX (*end, e);
    }
  }
  if (*first >= *end)
    *first = *end = 0;
}

guint
gst_eclut_scale_resampler_luma_window (const GstEclutScaleResampler * r)
{
  const Plane *pl = &r->planes[0];
  guint y, f, e, reach = 0, window = 1;

  /* the rows are run in order, so a row waits for the rows before it: the
   * window spans from its first source row to the furthest row any row up
   * to it reads */
  for (y = 0; y < pl->out_h; y++) {
    row_sources (pl, pl->v_scalers[0], y, &f, &e);
    if (f < e) {
      reach = MAX (reach, e);
      window = MAX (window, reach - f);
    }
  }
  return window;
}

void
gst_eclut_scale_resampler_run_luma_ring (GstEclutScaleResampler * r,
    guint stripe, const guint8 * ring, gint ring_stride, guint ring_rows,
    guint n_ready, guint * y, GstVideoFrame * out_frame)
{
  const Plane *pl = &r->planes[0];
  const Source src = { ring, ring_stride, ring_rows };
  guint y0, y1, first, end;

  band_rows (r, pl, stripe, &y0, &y1);
  for (; *y < y1; (*y)++) {
    row_sources (pl, pl->v_scalers[stripe], *y, &first, &end);
    if (end > n_ready)
      break;
    /* the window the ring was made for */
    g_assert (first >= end || (guint64) first + ring_rows >= n_ready);
    plane_row (pl, stripe, &src, *y, GST_VIDEO_FRAME_PLANE_DATA (out_frame,
            0), GST_VIDEO_FRAME_PLANE_STRIDE (out_frame, 0));
  }
}
