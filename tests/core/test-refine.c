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

/* The refine stage against a literal transcription of the spec (rot90 of
 * the plane, pairs with the row below, the nine shifted channels with
 * refl(), rotated back), on random tables and planes: every size from 1x1,
 * both expand steps, residual and plain stages, any row split. */

#include <glib.h>
#include <string.h>

#include "eclut-refine.h"
#include "eclut-test-util.h"

/* rot90(I, k) of numpy for an h x w plane: (*rh) x (*rw) */
static guint8 *
spec_rot90 (const guint8 * I, guint h, guint w, guint k, guint * rh,
    guint * rw)
{
  guint8 *J;
  guint y, x;

  k &= 3;
  *rh = (k & 1) ? w : h;
  *rw = (k & 1) ? h : w;
  J = g_malloc ((gsize) h * w);
  for (y = 0; y < *rh; y++)
    for (x = 0; x < *rw; x++) {
      guint sy, sx;

      switch (k) {
        case 0:
          sy = y;
          sx = x;
          break;
        case 1:                /* rot90(m)[i][j] = m[j][n - 1 - i] */
          sy = x;
          sx = w - 1 - y;
          break;
        case 2:
          sy = h - 1 - y;
          sx = w - 1 - x;
          break;
        default:
          sy = h - 1 - x;
          sx = y;
          break;
      }
      J[y * *rw + x] = I[sy * w + sx];
    }
  return J;
}

static void
spec_refine (const gint8 * T, guint st, guint shift, gint bias,
    gboolean residual, const guint8 * I, guint h, guint w, guint8 * out)
{
  gint32 *S = g_new0 (gint32, (gsize) h * w);
  guint k, i;

  for (k = 0; k < 4; k++) {
    guint jh, jw, Y, X;
    guint8 *J = spec_rot90 (I, h, w, k, &jh, &jw);
    gint32 *O = g_new0 (gint32, (gsize) jh * jw);
    gint32 *R;
    guint rh, rw;

    for (Y = 0; Y < jh; Y++)
      for (X = 0; X < jw; X++) {
        gint c;

        for (c = 0; c < 9; c++) {
          gint dy = c / 3 - 1, dx = c % 3 - 1;
          gint y = test_refl ((gint) Y - dy * (gint) st, jh);
          gint x = test_refl ((gint) X - dx * (gint) st, jw);
          guint a = J[y * jw + x], b = J[MIN ((guint) y + 1, jh - 1) * jw + x];

          O[Y * jw + X] += T[(a * 256 + b) * 9 + c];
        }
      }
    /* rot90(O, -k) = rot90(O, 4 - k), on int32 through the same helper
     * applied to the four bytes would be clumsy: do it directly */
    R = g_new0 (gint32, (gsize) h * w);
    rh = h;
    rw = w;
    for (Y = 0; Y < rh; Y++)
      for (X = 0; X < rw; X++) {
        /* the pixel (Y, X) of I is at these coordinates of J */
        guint jy, jx;

        switch (k) {
          case 0:
            jy = Y;
            jx = X;
            break;
          case 1:              /* J(y, x) = I(x, w - 1 - y) */
            jy = w - 1 - X;
            jx = Y;
            break;
          case 2:
            jy = h - 1 - Y;
            jx = w - 1 - X;
            break;
          default:             /* J(y, x) = I(h - 1 - x, y) */
            jy = X;
            jx = h - 1 - Y;
            break;
        }
        R[Y * w + X] = O[jy * jw + jx];
      }
    for (i = 0; i < h * w; i++)
      S[i] += R[i];
    g_free (R);
    g_free (O);
    g_free (J);
  }
  for (i = 0; i < h * w; i++) {
    gint v = (S[i] + bias) >> shift;

    if (residual)
      v += I[i];
    out[i] = (guint8) CLAMP (v, 0, 255);
  }
  g_free (S);
}

static void
check_case (GRand * rand, const gint8 * T, guint st, guint shift,
    gboolean residual, guint h, guint w)
{
  gint bias = shift ? (1 << shift) >> 1 : 0;
  EclutRefine *stage = eclut_refine_new (T, st, shift, bias, residual);
  gint stride = (gint) w + 3;
  guint8 *I = g_malloc ((gsize) h * w);
  guint8 *src = g_malloc ((gsize) h * stride);
  guint8 *want = g_malloc ((gsize) h * w);
  guint8 *got = g_malloc ((gsize) h * stride);
  gpointer scratch = g_malloc (eclut_refine_scratch_size (w));
  guint y, x, split;

  g_assert_nonnull (stage);
  for (y = 0; y < h * w; y++)
    I[y] = g_rand_int_range (rand, 0, 4) == 0 ? g_rand_int_range (rand, 0,
        256) : 100 + g_rand_int_range (rand, 0, 8);
  for (y = 0; y < h; y++)
    memcpy (src + (gsize) y * stride, I + (gsize) y * w, w);
  spec_refine (T, st, shift, bias, residual, I, h, w, want);

  /* whole plane, then in two parts split anywhere */
  for (split = 0; split <= h; split += MAX (1, h / 3)) {
    memset (got, 0xAA, (gsize) h * stride);
    eclut_refine_rows (stage, src, stride, w, h, got, stride, 0, split,
        scratch);
    eclut_refine_rows (stage, src, stride, w, h, got, stride, split, h,
        scratch);
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++)
        if (got[y * stride + x] != want[y * w + x])
          g_error ("%ux%u st %u shift %u residual %d split %u: (%u, %u) "
              "got %u want %u", w, h, st, shift, residual, split, y, x,
              got[y * stride + x], want[y * w + x]);
  }

  g_free (scratch);
  g_free (got);
  g_free (want);
  g_free (src);
  g_free (I);
  eclut_refine_free (stage);
}

static void
test_refine_matches_spec (void)
{
  GRand *rand = g_rand_new_with_seed (18);
  gint8 *T = g_malloc (65536 * 9);
  static const guint sizes[][2] = { {1, 1}, {1, 2}, {2, 1}, {1, 7}, {6, 1},
  {2, 2}, {3, 3}, {4, 5}, {5, 4}, {9, 13}, {16, 3}
  };
  guint i, n, st, residual;

  for (i = 0; i < 65536 * 9; i++)
    T[i] = (gint8) g_rand_int_range (rand, -128, 128);

  for (st = 1; st <= 2; st++)
    for (residual = 0; residual <= 1; residual++)
      for (n = 0; n < G_N_ELEMENTS (sizes); n++)
        check_case (rand, T, st, residual ? 5 : 2, residual, sizes[n][0],
            sizes[n][1]);

  g_free (T);
  g_rand_free (rand);
}

static void
test_refine_rejects_parameters (void)
{
  gint8 *T = g_malloc0 (65536 * 9);

  g_assert_null (eclut_refine_new (T, 0, 4, 8, TRUE));
  g_assert_null (eclut_refine_new (T, 3, 4, 8, TRUE));
  g_assert_null (eclut_refine_new (T, 1, 9, 8, TRUE));
  g_assert_null (eclut_refine_new (T, 1, 4, 16, TRUE));
  g_assert_null (eclut_refine_new (T, 1, 4, -1, TRUE));
  g_assert_null (eclut_refine_new (NULL, 1, 4, 8, TRUE));
  g_free (T);
}

/* A zero residual stage leaves the plane as it is. */
static void
test_refine_zero_is_identity (void)
{
  gint8 *T = g_malloc0 (65536 * 9);
  EclutRefine *stage = eclut_refine_new (T, 1, 4, 8, TRUE);
  guint8 src[7 * 5], dst[7 * 5];
  gpointer scratch = g_malloc (eclut_refine_scratch_size (7));
  guint i;

  for (i = 0; i < sizeof (src); i++)
    src[i] = (guint8) (i * 37);
  eclut_refine_rows (stage, src, 7, 7, 5, dst, 7, 0, 5, scratch);
  g_assert_cmpmem (src, sizeof (src), dst, sizeof (dst));
  g_free (scratch);
  eclut_refine_free (stage);
  g_free (T);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/refine/matches-spec", test_refine_matches_spec);
  g_test_add_func ("/refine/rejects-parameters",
      test_refine_rejects_parameters);
  g_test_add_func ("/refine/zero-is-identity", test_refine_zero_is_identity);
  return g_test_run ();
}
