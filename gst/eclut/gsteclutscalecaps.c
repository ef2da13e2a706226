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

/* Negotiation of eclutscale.
 *
 * transform_caps offers, in this order of preference: the size the table
 * makes on its own (input times the scale towards the source pad, output
 * divided by it towards the sink pad, when it divides), then any size and
 * any pixel-aspect-ratio, as videoconvertscale does.  The first structure
 * is what a free peer picks, so an unconstrained pipeline keeps the pure
 * table output and a sink that fixes the size gets an upstream that fits
 * it exactly when it can.
 *
 * fixate_caps follows videoconvertscale's rules for keeping the display
 * aspect ratio (a fixed size is kept and the pixel-aspect-ratio adjusted;
 * a fixed pixel-aspect-ratio fixes the free side; with nothing fixed the
 * preferred size wins), with the preferred size being the input times the
 * scale instead of the input itself. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include <gst/video/video.h>

#include "gsteclutscalecaps.h"

GST_DEBUG_CATEGORY_EXTERN (gst_eclut_scale_debug);
#define GST_CAT_DEFAULT gst_eclut_scale_debug

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
transform_dimension (const GValue * src, GValue * dest, gint64 scale,
    GstPadDirection direction)
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

      if (transform_dimension (gst_value_list_get_value (src, i), &v, scale,
              direction))
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
transform_field (GstStructure * s, const gchar * field, guint scale,
    GstPadDirection direction)
{
  const GValue *v = gst_structure_get_value (s, field);
  GValue dest = G_VALUE_INIT;

  /* no field: any size, which maps to any size */
  if (v == NULL)
    return TRUE;
  if (!transform_dimension (v, &dest, scale, direction))
    return FALSE;
  gst_structure_take_value (s, field, &dest);
  return TRUE;
}

/* @caps as seen from the other pad: first the sizes the table gives on its
 * own (both axes scale alike, so pixel-aspect-ratio, framerate,
 * colorimetry and chroma-site stay), then every size and
 * pixel-aspect-ratio.  Never merged: the order is the preference. */
GstCaps *
gst_eclut_scale_caps_transform (GstCaps * caps, GstPadDirection direction,
    guint scale)
{
  GstCaps *preferred = gst_caps_new_empty ();
  GstCaps *any_size = gst_caps_new_empty ();
  guint i, n = gst_caps_get_size (caps);

  for (i = 0; i < n; i++) {
    const GstStructure *s = gst_caps_get_structure (caps, i);
    GstCapsFeatures *f = gst_caps_get_features (caps, i);
    GstStructure *exact = gst_structure_copy (s);
    GstStructure *ranged;

    if (transform_field (exact, "width", scale, direction) &&
        transform_field (exact, "height", scale, direction)) {
      gst_caps_append_structure_full (preferred, exact,
          f ? gst_caps_features_copy (f) : NULL);
    } else {
      GST_LOG ("no size in %" GST_PTR_FORMAT " has an exact image at scale "
          "%u", s, scale);
      gst_structure_free (exact);
    }

    ranged = gst_structure_copy (s);
    gst_structure_set (ranged, "width", GST_TYPE_INT_RANGE, 1, G_MAXINT,
        "height", GST_TYPE_INT_RANGE, 1, G_MAXINT, NULL);
    if (gst_structure_has_field (ranged, "pixel-aspect-ratio"))
      gst_structure_set (ranged, "pixel-aspect-ratio",
          GST_TYPE_FRACTION_RANGE, 1, G_MAXINT, G_MAXINT, 1, NULL);
    if (gst_caps_is_subset_structure_full (any_size, ranged, f))
      gst_structure_free (ranged);
    else
      gst_caps_append_structure_full (any_size, ranged,
          f ? gst_caps_features_copy (f) : NULL);
  }
  gst_caps_append (preferred, any_size);

  return preferred;
}

/* ---------------------------------------------------------------------- */
/* Fixation                                                               */

/* The value of @field in @s nearest to @target, without changing @s; an
 * absent field allows anything */
static gint
nearest_int (const GstStructure * s, const gchar * field, gint64 target)
{
  GstStructure *tmp = gst_structure_copy (s);
  gint v;

  target = CLAMP (target, 1, G_MAXINT);
  v = (gint) target;
  gst_structure_fixate_field_nearest_int (tmp, field, v);
  gst_structure_get_int (tmp, field, &v);
  gst_structure_free (tmp);

  return v;
}

/* The pixel-aspect-ratio of @s (or @fallback where @s has none) nearest to
 * @n / @d */
static void
nearest_par (const GstStructure * s, const GValue * fallback, gint n, gint d,
    gint * set_n, gint * set_d)
{
  GstStructure *tmp = gst_structure_copy (s);

  if (!gst_structure_has_field (tmp, "pixel-aspect-ratio"))
    gst_structure_set_value (tmp, "pixel-aspect-ratio", fallback);
  gst_structure_fixate_field_nearest_fraction (tmp, "pixel-aspect-ratio", n,
      d);
  if (!gst_structure_get_fraction (tmp, "pixel-aspect-ratio", set_n, set_d)) {
    *set_n = n;
    *set_d = d;
  }
  gst_structure_free (tmp);
}

/* A square pixel-aspect-ratio is left out when the peer did not ask for
 * the field, as videoconvertscale does */
static void
set_par (GstStructure * s, gint n, gint d)
{
  if (gst_structure_has_field (s, "pixel-aspect-ratio") || n != d)
    gst_structure_set (s, "pixel-aspect-ratio", GST_TYPE_FRACTION, n, d,
        NULL);
}

static gint
scale_round (gint v, gint num, gint den)
{
  return (gint) CLAMP (gst_util_uint64_scale_int_round (v, num, den), 1,
      G_MAXINT);
}

/* Relative distance of the aspect ratio w / h from num / den */
static gdouble
aspect_error (gint w, gint h, gint num, gint den)
{
  return fabs ((gdouble) w * den / ((gdouble) h * num) - 1.0);
}

/* TRUE when GStreamer can describe a frame of @format at that size */
static gboolean
size_fits (const GstStructure * s, gint64 w, gint64 h)
{
  const gchar *format = gst_structure_get_string (s, "format");
  GstVideoFormat fmt = format ? gst_video_format_from_string (format) :
      GST_VIDEO_FORMAT_UNKNOWN;
  GstVideoInfo info;

  if (w < 1 || h < 1 || w > G_MAXINT || h > G_MAXINT)
    return FALSE;
  if (fmt == GST_VIDEO_FORMAT_UNKNOWN)
    return TRUE;
  return gst_video_info_set_format (&info, fmt, (guint) w, (guint) h);
}

/* The output size @w x @h cannot be described: a negotiation error that
 * says so (@by_scale: it is the input times @scale) */
static void
post_too_large (GstBaseTransform * base, GstCaps * caps, gint from_w,
    gint from_h, guint scale, gint64 w, gint64 h, gboolean by_scale)
{
  if (by_scale)
    GST_ELEMENT_ERROR (base, CORE, NEGOTIATION,
        ("Cannot upscale %dx%d by %u: the output size %" G_GINT64_FORMAT
            "x%" G_GINT64_FORMAT " exceeds the largest video frame "
            "GStreamer can describe", from_w, from_h, scale, w, h),
        ("input caps %" GST_PTR_FORMAT, caps));
  else
    GST_ELEMENT_ERROR (base, CORE, NEGOTIATION,
        ("Cannot scale %dx%d to %" G_GINT64_FORMAT "x%" G_GINT64_FORMAT
            ": the output size exceeds the largest video frame GStreamer "
            "can describe", from_w, from_h, w, h),
        ("input caps %" GST_PTR_FORMAT, caps));
}

#define OVERFLOW_ERROR(base) \
  GST_ELEMENT_ERROR (base, CORE, NEGOTIATION, (NULL), \
      ("integer overflow in the display aspect ratio"))

/* Picks width, height and pixel-aspect-ratio of @outs for an input of
 * @from_w x @from_h with display aspect ratio @dar_n / @dar_d, preferring
 * @pref_w x @pref_h.  FALSE on an arithmetic overflow (error posted). */
static gboolean
fixate_size_structure (GstBaseTransform * base, GstStructure * outs,
    const GValue * to_par, gint dar_n, gint dar_d, gint64 pref_w,
    gint64 pref_h)
{
  gint w = 0, h = 0, par_n, par_d, num, den;
  gboolean w_free, h_free;

  gst_structure_get_int (outs, "width", &w);
  gst_structure_get_int (outs, "height", &h);

  if (gst_value_is_fixed (to_par)) {
    gint to_par_n = gst_value_get_fraction_numerator (to_par);
    gint to_par_d = gst_value_get_fraction_denominator (to_par);

    /* width / height = DAR / PAR */
    if (!gst_util_fraction_multiply (dar_n, dar_d, to_par_d, to_par_n, &num,
            &den)) {
      OVERFLOW_ERROR (base);
      return FALSE;
    }
    if (h) {
      gst_structure_fixate_field_nearest_int (outs, "width",
          scale_round (h, num, den));
    } else if (w) {
      gst_structure_fixate_field_nearest_int (outs, "height",
          scale_round (w, den, num));
    } else {
      /* keep the preferred height and fit the width to it, or else the
       * preferred width and fit the height; failing both, whichever pair
       * is closer to the display aspect ratio */
      gint h1 = nearest_int (outs, "height", pref_h);
      gint w1 = nearest_int (outs, "width", scale_round (h1, num, den));
      gint w2, h2;

      if (w1 == scale_round (h1, num, den)) {
        gst_structure_set (outs, "width", G_TYPE_INT, w1, "height",
            G_TYPE_INT, h1, NULL);
        return TRUE;
      }
      w2 = nearest_int (outs, "width", pref_w);
      h2 = nearest_int (outs, "height", scale_round (w2, den, num));
      if (h2 == scale_round (w2, den, num) ||
          aspect_error (w2, h2, num, den) < aspect_error (w1, h1, num, den))
        gst_structure_set (outs, "width", G_TYPE_INT, w2, "height",
            G_TYPE_INT, h2, NULL);
      else
        gst_structure_set (outs, "width", G_TYPE_INT, w1, "height",
            G_TYPE_INT, h1, NULL);
    }
    return TRUE;
  }

  /* the pixel-aspect-ratio is free: keep (or take the preferred) size and
   * give the pixels the shape that keeps the display aspect ratio */
  w_free = w == 0;
  h_free = h == 0;
  if (w_free)
    w = nearest_int (outs, "width", pref_w);
  if (h_free)
    h = nearest_int (outs, "height", pref_h);
  /* PAR = DAR * h / w */
  if (!gst_util_fraction_multiply (dar_n, dar_d, h, w, &num, &den)) {
    OVERFLOW_ERROR (base);
    return FALSE;
  }
  nearest_par (outs, to_par, num, den, &par_n, &par_d);

  if (par_n != num || par_d != den) {
    gint fit_w, fit_h;

    /* that shape is not allowed: take the nearest allowed one and fit a
     * free side to it (with both free, only where the fit is exact) */
    if (!gst_util_fraction_multiply (dar_n, dar_d, par_d, par_n, &num, &den)) {
      OVERFLOW_ERROR (base);
      return FALSE;
    }
    fit_w = scale_round (h, num, den);
    fit_h = scale_round (w, den, num);
    if (w_free && (!h_free || nearest_int (outs, "width", fit_w) == fit_w))
      w = nearest_int (outs, "width", fit_w);
    else if (h_free && (!w_free ||
            nearest_int (outs, "height", fit_h) == fit_h))
      h = nearest_int (outs, "height", fit_h);
  }
  gst_structure_set (outs, "width", G_TYPE_INT, w, "height", G_TYPE_INT, h,
      NULL);
  set_par (outs, par_n, par_d);

  return TRUE;
}

/* Fixates @othercaps (the caps of the pad opposite to @direction) for the
 * fixed @caps; the preferred size is @caps' size times @scale downstream
 * and divided by it upstream. */
GstCaps *
gst_eclut_scale_caps_fixate_size (GstBaseTransform * base,
    GstPadDirection direction, GstCaps * caps, GstCaps * othercaps,
    guint scale)
{
  GstStructure *ins, *outs;
  const GValue *from_par, *to_par;
  GValue par_range = G_VALUE_INIT;
  gint from_w = 0, from_h = 0, from_par_n = 1, from_par_d = 1;
  gint w = 0, h = 0, dar_n, dar_d;
  gint64 pref_w = 0, pref_h = 0;

  othercaps = gst_caps_truncate (othercaps);
  othercaps = gst_caps_make_writable (othercaps);
  ins = gst_caps_get_structure (caps, 0);
  outs = gst_caps_get_structure (othercaps, 0);

  if (!gst_structure_get_int (ins, "width", &from_w) ||
      !gst_structure_get_int (ins, "height", &from_h) || from_w < 1 ||
      from_h < 1)
    goto done;

  /* a missing pixel-aspect-ratio is square on the side we fixate from; on
   * the other side it is free downstream (and then only added when not
   * square) and square upstream, as in videoconvertscale */
  from_par = gst_structure_get_value (ins, "pixel-aspect-ratio");
  if (from_par && GST_VALUE_HOLDS_FRACTION (from_par)) {
    from_par_n = gst_value_get_fraction_numerator (from_par);
    from_par_d = gst_value_get_fraction_denominator (from_par);
  }
  g_value_init (&par_range, GST_TYPE_FRACTION_RANGE);
  gst_value_set_fraction_range_full (&par_range, 1, G_MAXINT, G_MAXINT, 1);
  to_par = gst_structure_get_value (outs, "pixel-aspect-ratio");
  if (to_par == NULL) {
    if (direction == GST_PAD_SINK) {
      to_par = &par_range;
    } else {
      gst_structure_set (outs, "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
          NULL);
      to_par = gst_structure_get_value (outs, "pixel-aspect-ratio");
    }
  }

  if (direction == GST_PAD_SINK) {
    pref_w = (gint64) from_w * scale;
    pref_h = (gint64) from_h * scale;
  } else {
    pref_w = MAX (1, (from_w + scale / 2) / scale);
    pref_h = MAX (1, (from_h + scale / 2) / scale);
  }

  gst_structure_get_int (outs, "width", &w);
  gst_structure_get_int (outs, "height", &h);
  if (w && h) {
    /* the peer fixed the size: only the pixel-aspect-ratio is left */
    if (!gst_value_is_fixed (to_par)) {
      guint n, d;

      if (gst_video_calculate_display_ratio (&n, &d, from_w, from_h,
              from_par_n, from_par_d, w, h)) {
        if (gst_structure_has_field (outs, "pixel-aspect-ratio"))
          gst_structure_fixate_field_nearest_fraction (outs,
              "pixel-aspect-ratio", n, d);
        else if (n != d)
          gst_structure_set (outs, "pixel-aspect-ratio", GST_TYPE_FRACTION,
              n, d, NULL);
      }
    }
    goto done;
  }

  /* the size is (partly) ours to choose, and the table's own size is the
   * first choice: a table output GStreamer cannot describe is refused here
   * with the sizes in the message */
  if (direction == GST_PAD_SINK && !size_fits (ins, pref_w, pref_h)) {
    post_too_large (base, caps, from_w, from_h, scale, pref_w, pref_h, TRUE);
    goto failed;
  }

  if (!gst_util_fraction_multiply (from_w, from_h, from_par_n, from_par_d,
          &dar_n, &dar_d)) {
    OVERFLOW_ERROR (base);
    goto failed;
  }
  if (!fixate_size_structure (base, outs, to_par, dar_n, dar_d, pref_w,
          pref_h))
    goto failed;

done:
  othercaps = gst_caps_fixate (othercaps);
  g_value_unset (&par_range);
  outs = gst_caps_get_structure (othercaps, 0);
  if (gst_structure_get_int (outs, "width", &w) &&
      gst_structure_get_int (outs, "height", &h) && !size_fits (outs, w, h)) {
    post_too_large (base, caps, from_w, from_h, scale, w, h,
        direction == GST_PAD_SINK && w == pref_w && h == pref_h);
    gst_caps_unref (othercaps);
    return gst_caps_new_empty ();
  }
  GST_DEBUG_OBJECT (base, "fixated to %" GST_PTR_FORMAT, othercaps);

  return othercaps;

failed:
  if (G_IS_VALUE (&par_range))
    g_value_unset (&par_range);
  gst_caps_unref (othercaps);
  return gst_caps_new_empty ();
}
