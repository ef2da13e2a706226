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

/* Fuzz target: the table loader on whole files.  The input is the file
 * image, given to eclut_lut_load_data() and, through a memfd, to
 * eclut_lut_load_file() (which reads the header first and stats the file).
 * Both must agree on accepting it, and a refusal must name the file. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#define _GNU_SOURCE
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "fuzz-common.h"
#include "eclut-lut.h"

static int memfd = -1;
static gchar *memfd_path;

static void
check_lut (EclutLut * lut)
{
  guint r = eclut_lut_get_scale (lut), st = eclut_lut_get_expand_step (lut);
  guint k;

  g_assert (r >= ECLUT_LUT_MIN_SCALE && r <= ECLUT_LUT_MAX_SCALE);
  g_assert (st == 1 || st == r);
  g_assert (eclut_lut_get_rescale_shift (lut) <= 8);
  g_assert (eclut_lut_get_rescale_bias (lut) >= 0);
  (void) eclut_lut_get_entry (lut, 255, 255, 9 * r * r - 1);
  /* the refine stages are built from their records when first asked for:
   * every record the loader accepted must build, last one first */
  for (k = eclut_lut_get_n_refine (lut); k-- > 0;)
    g_assert (eclut_lut_get_refine (lut, k) != NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  GError *err = NULL, *ferr = NULL;
  EclutLut *lut, *flut = NULL;
  guint expected = 0;

  fuzz_setup ();

  /* the scale asked for follows from the size, so the fuzzer controls
   * it without changing the file */
  if (size > 0)
    expected = (guint) (size % 6);      /* 0 (any), 1..5 */

  lut = eclut_lut_load_data (size ? data : NULL, size, "fuzz.lut", expected,
      &err);
  g_assert ((lut == NULL) != (err == NULL));
  if (err)
    g_assert (strstr (err->message, "fuzz.lut") != NULL);

  if (memfd < 0) {
    memfd = memfd_create ("fuzz-lut", 0);
    g_assert (memfd >= 0);
    memfd_path = g_strdup_printf ("/proc/self/fd/%d", memfd);
  }
  if (ftruncate (memfd, 0) == 0 && (size == 0 ||
          pwrite (memfd, data, size, 0) == (ssize_t) size)) {
    flut = eclut_lut_load_file (memfd_path, expected, &ferr);
    g_assert ((flut == NULL) != (ferr == NULL));
    /* the same verdict, and for a refusal the same kind of error */
    g_assert ((flut == NULL) == (lut == NULL));
    if (ferr && err)
      g_assert_cmpint (ferr->code, ==, err->code);
  }

  if (lut) {
    check_lut (lut);
    eclut_lut_unref (eclut_lut_ref (lut));
    eclut_lut_unref (lut);
  }
  if (flut)
    eclut_lut_unref (flut);
  g_clear_error (&err);
  g_clear_error (&ferr);
  return 0;
}
