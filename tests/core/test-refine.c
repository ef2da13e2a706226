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
 * the plane, pairs with the pixel below, below-right or the mean of below
 * and right, or the quantised 2x2 block, the nine shifted channels with refl(), rotated back), on
 * random tables and planes: sizes from 1x1, every pair, both expand steps, residual and plain stages, one
 * table or one per position (phases 1 to 4), any row split, 8 and 10 bits
 * (both 10-bit layouts), every SIMD level the CPU has. */

#include <glib.h>
#include <string.h>

#include "eclut-refine-private.h"
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

/* The quad pair's level of a difference @d (docs/lut-format.md): 7 +
 * sign (d) m, m the number of the steps 1, 3, 6, 10, 16, 26, 46 that |d|
 * reaches. */
static guint
spec_quad_level (gint d)
{
  static const gint steps[] = { 1, 3, 6, 10, 16, 26, 46 };
  guint i, m = 0;

  for (i = 0; i < G_N_ELEMENTS (steps); i++)
    if (ABS (d) >= steps[i])
      m++;
  return d < 0 ? 7 - m : 7 + m;
}

/* The spec's S for the plane @H (8 bits: the pairs' plane) */
static gint32 *
spec_sum (const gint8 * T, guint st, EclutRefinePair pair, guint P,
    const guint8 * I, guint h, guint w)
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
          /* the pair: J[y + 1][x], or J[y + 1][x + 1], or the mean of
           * J[y + 1][x] and J[y][x + 1], replicated; or the quad index */
          guint yb = MIN ((guint) y + 1, jh - 1);
          guint xr = MIN ((guint) x + 1, jw - 1);
          guint bx = pair == ECLUT_REFINE_PAIR_BELOW_RIGHT ? xr : (guint) x;
          guint a = J[y * jw + x];
          guint b = J[yb * jw + bx];
          /* the position of the pixel J[y][x] */
          guint p = ((guint) y % P) * P + (guint) x % P;

          if (pair == ECLUT_REFINE_PAIR_CORNER)
            b = (b + J[y * jw + xr] + 1) >> 1;
          if (pair == ECLUT_REFINE_PAIR_QUAD) {
            /* the 2x2 block's index: a's top 4 bits and the levels of
             * the differences to below, right and below-right; the index
             * is a * 256 + b for the table's layout */
            guint idx = (a >> 4) << 12
                | spec_quad_level ((gint) J[yb * jw + x] - (gint) a) << 8
                | spec_quad_level ((gint) J[y * jw + xr] - (gint) a) << 4
                | spec_quad_level ((gint) J[yb * jw + xr] - (gint) a);

            a = idx >> 8;
            b = idx & 255;
          }

          O[Y * jw + X] += T[((gsize) (a * 256 + b) * P * P + p) * 9 + c];
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
  return S;
}

/* The stage on the plane @V of @bits (8 or 10) bits, as the spec says:
 * pairs from V >> (bits - 8), and at 10 bits the correction
 * (4 (S + b)) >> s. */
static void
spec_refine (const gint8 * T, guint st, guint shift, gint bias,
    gboolean residual, EclutRefinePair pair, guint P, const guint16 * V,
    guint bits, guint h, guint w, guint16 * out)
{
  guint8 *H = g_malloc ((gsize) h * w);
  gint32 *S;
  gint max = (1 << bits) - 1;
  guint i;

  for (i = 0; i < h * w; i++)
    H[i] = (guint8) (V[i] >> (bits - 8));
  S = spec_sum (T, st, pair, P, H, h, w);
  for (i = 0; i < h * w; i++) {
    gint v = ((S[i] + bias) * (1 << (bits - 8))) >> shift;

    if (residual)
      v += V[i];
    out[i] = (guint16) CLAMP (v, 0, max);
  }
  g_free (S);
  g_free (H);
}

static const EclutSamples layouts[] = { ECLUT_SAMPLES_U8,
  ECLUT_SAMPLES_U10_LSB, ECLUT_SAMPLES_U10_MSB
};

/* Sample @v of layout @samples at @p; @junk: bits a low-bits sample
 * carries above bit 9, which the stage ignores. */
static void
put_sample (guint8 * p, EclutSamples samples, guint v, guint junk)
{
  if (samples == ECLUT_SAMPLES_U8)
    p[0] = (guint8) v;
  else {
    guint s = samples == ECLUT_SAMPLES_U10_MSB ? v << 6 : v | junk << 10;

    p[0] = (guint8) s;
    p[1] = (guint8) (s >> 8);
  }
}

static guint
get_sample (const guint8 * p, EclutSamples samples)
{
  if (samples == ECLUT_SAMPLES_U8)
    return p[0];
  return (guint) (p[0] | p[1] << 8);
}

/* Every SIMD level this CPU has, every sample layout, the whole plane and
 * split in two anywhere: the bytes the spec gives, and the bytes between a
 * row's end and the stride untouched. */
static void
check_case (GRand * rand, const gint8 * T, guint st, guint shift,
    gboolean residual, EclutRefinePair pair, guint P, guint h, guint w)
{
  gint bias = shift ? (1 << shift) >> 1 : 0;
  guint n;

  for (n = 0; n < G_N_ELEMENTS (layouts); n++) {
    EclutSamples samples = layouts[n];
    guint bps = eclut_samples_bytes (samples), bits = bps == 1 ? 8 : 10;
    gint stride = (gint) (w * bps) + 3;
    guint16 *V = g_new (guint16, (gsize) h * w);
    guint16 *want = g_new (guint16, (gsize) h * w);
    guint8 *src = g_malloc ((gsize) h * stride);
    guint8 *got = g_malloc ((gsize) h * stride);
    gpointer scratch = g_malloc (eclut_refine_scratch_size (w));
    guint y, x, split, level;

    for (y = 0; y < h * w; y++) {
      /* mostly a few close levels (pairs near the diagonal, as pictures
       * have), some anywhere, and at 10 bits any low bits */
      guint v = g_rand_int_range (rand, 0, 4) == 0 ?
          (guint) g_rand_int_range (rand, 0, 256) :
          100 + (guint) g_rand_int_range (rand, 0, 8);

      V[y] = bits == 8 ? v : (guint16) (v << 2 | g_rand_int_range (rand, 0,
              4));
    }
    for (y = 0; y < h; y++)
      for (x = 0; x < w; x++)
        put_sample (src + (gsize) y * stride + x * bps, samples,
            V[y * w + x], g_rand_int_range (rand, 0, 64));
    spec_refine (T, st, shift, bias, residual, pair, P, V, bits, h, w, want);

    for (level = ECLUT_SIMD_C; level <= eclut_simd_level (); level++) {
      EclutRefine *stage = eclut_refine_new_simd (T, st, shift, bias,
          residual, pair, P, (EclutSimdLevel) level);

      g_assert_nonnull (stage);
      for (split = 0; split <= h; split += MAX (1, h / 3)) {
        memset (got, 0xAA, (gsize) h * stride);
        eclut_refine_rows_samples (stage, samples, src, stride, w, h, got,
            stride, 0, split, scratch);
        eclut_refine_rows_samples (stage, samples, src, stride, w, h, got,
            stride, split, h, scratch);
        for (y = 0; y < h; y++) {
          for (x = 0; x < w; x++) {
            guint g = get_sample (got + (gsize) y * stride + x * bps, samples);
            guint e = samples == ECLUT_SAMPLES_U10_MSB ?
                (guint) want[y * w + x] << 6 : want[y * w + x];

            if (g != e)
              g_error ("%s %s: %ux%u st %u shift %u residual %d pair %d "
                  "phases %u split %u: (%u, %u) got %u want %u",
                  eclut_simd_name (level), samples == ECLUT_SAMPLES_U8 ?
                  "8-bit" : samples == ECLUT_SAMPLES_U10_LSB ? "10-bit LSB" :
                  "10-bit MSB", w, h, st, shift, residual, pair, P, split, y,
                  x, g, e);
          }
          for (x = w * bps; x < (guint) stride; x++)
            g_assert_cmpuint (got[(gsize) y * stride + x], ==, 0xAA);
        }
      }
      eclut_refine_free (stage);
    }
    g_free (scratch);
    g_free (got);
    g_free (src);
    g_free (want);
    g_free (V);
  }
}

static void
test_refine_matches_spec (void)
{
  GRand *rand = g_rand_new_with_seed (18);
  const gsize n_entries = (gsize) 65536 * 9 * ECLUT_REFINE_MAX_PHASES
      * ECLUT_REFINE_MAX_PHASES;
  gint8 *T = g_malloc (n_entries);
  /* odd sizes, and widths either side of the kernels' blocks (16, 32) */
  static const guint sizes[][2] = { {1, 1}, {1, 2}, {2, 1}, {1, 7}, {6, 1},
  {2, 2}, {3, 3}, {4, 5}, {5, 4}, {9, 13}, {16, 3}, {3, 15}, {2, 17},
  {4, 31}, {3, 32}, {2, 33}, {1, 47}, {5, 63}, {2, 65}, {40, 1},
  /* and either side of the corner pair's pieces of 256 */
  {2, 256}, {3, 257}, {1, 515}
  };
  guint n, st, residual, pair, P;
  gsize i;

  for (i = 0; i < n_entries; i++)
    T[i] = (gint8) g_rand_int_range (rand, -128, 128);

  for (pair = ECLUT_REFINE_PAIR_BELOW; pair <= ECLUT_REFINE_PAIR_QUAD;
      pair++)
    for (st = 1; st <= 2; st++)
      for (residual = 0; residual <= 1; residual++)
        for (n = 0; n < G_N_ELEMENTS (sizes); n++)
          check_case (rand, T, st, residual ? 5 : 2 + n % 3, residual,
              (EclutRefinePair) pair, 1, sizes[n][0], sizes[n][1]);
  /* one table per position: every size with every pair and step, each
   * with the phases in turn (sizes that are and are not multiples) */
  for (pair = ECLUT_REFINE_PAIR_BELOW; pair <= ECLUT_REFINE_PAIR_QUAD;
      pair++)
    for (st = 1; st <= 2; st++)
      for (n = 0; n < G_N_ELEMENTS (sizes); n++) {
        P = 2 + (n + st + pair) % (ECLUT_REFINE_MAX_PHASES - 1);
        check_case (rand, T, st, 5, TRUE, (EclutRefinePair) pair, P,
            sizes[n][0], sizes[n][1]);
      }

  g_free (T);
  g_rand_free (rand);
}

/* 10-bit samples with the low 2 bits zero give 4 times the 8-bit output
 * plus the two fractional bits the 8-bit stage floors away; and those
 * bits are used (else 10 bits would be no better than 8). */
static void
test_refine_10bit_extends_8bit (void)
{
  GRand *rand = g_rand_new_with_seed (19);
  gint8 *T = g_malloc (65536 * 9);
  const guint w = 37, h = 11;
  guint8 in8[37 * 11], out8[37 * 11];
  guint8 in10[37 * 11 * 2], out10[37 * 11 * 2];
  gpointer scratch = g_malloc (eclut_refine_scratch_size (w));
  guint i, residual, frac = 0;

  for (i = 0; i < 65536 * 9; i++)
    T[i] = (gint8) g_rand_int_range (rand, -128, 128);
  for (i = 0; i < w * h; i++) {
    in8[i] = (guint8) g_rand_int_range (rand, 0, 256);
    put_sample (in10 + 2 * i, ECLUT_SAMPLES_U10_LSB, 4u * in8[i], 0);
  }
  for (residual = 0; residual <= 1; residual++) {
    EclutRefine *stage = eclut_refine_new (T, 2, 6, 32, residual,
        residual ? ECLUT_REFINE_PAIR_BELOW_RIGHT : ECLUT_REFINE_PAIR_BELOW, 1);

    eclut_refine_rows (stage, in8, w, w, h, out8, w, 0, h, scratch);
    eclut_refine_rows_samples (stage, ECLUT_SAMPLES_U10_LSB, in10, 2 * w, w,
        h, out10, 2 * w, 0, h, scratch);
    for (i = 0; i < w * h; i++) {
      guint v = get_sample (out10 + 2 * i, ECLUT_SAMPLES_U10_LSB);

      g_assert_cmpuint (v >> 2, ==, out8[i]);
      frac |= v & 3;
    }
    eclut_refine_free (stage);
  }
  g_assert_cmpuint (frac, ==, 3);
  g_free (scratch);
  g_free (T);
  g_rand_free (rand);
}

static void
test_refine_rejects_parameters (void)
{
  gint8 *T = g_malloc0 (65536 * 9);

  const EclutRefinePair below = ECLUT_REFINE_PAIR_BELOW;

  g_assert_null (eclut_refine_new (T, 0, 4, 8, TRUE, below, 1));
  g_assert_null (eclut_refine_new (T, 3, 4, 8, TRUE, below, 1));
  g_assert_null (eclut_refine_new (T, 1, 9, 8, TRUE, below, 1));
  g_assert_null (eclut_refine_new (T, 1, 4, 16, TRUE, below, 1));
  g_assert_null (eclut_refine_new (T, 1, 4, -1, TRUE, below, 1));
  g_assert_null (eclut_refine_new (NULL, 1, 4, 8, TRUE, below, 1));
  g_assert_null (eclut_refine_new (T, 1, 4, 8, TRUE, (EclutRefinePair) 4,
          1));
  g_assert_null (eclut_refine_new (T, 1, 4, 8, TRUE, below, 0));
  g_assert_null (eclut_refine_new (T, 1, 4, 8, TRUE, below,
          ECLUT_REFINE_MAX_PHASES + 1));
  g_free (T);
}

/* A zero residual stage leaves the plane as it is. */
static void
test_refine_zero_is_identity (void)
{
  gint8 *T = g_malloc0 (65536 * 9);
  EclutRefine *stage = eclut_refine_new (T, 1, 4, 8, TRUE,
      ECLUT_REFINE_PAIR_BELOW_RIGHT, 1);
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
  g_test_add_func ("/refine/10bit-extends-8bit",
      test_refine_10bit_extends_8bit);
  return g_test_run ();
}
