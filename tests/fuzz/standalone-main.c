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

/* A main() for the fuzz targets when built without libFuzzer (any
 * compiler): replays files and directories of inputs, then runs -n N
 * pseudo-random inputs (fixed seed, so a failure is reproducible), half of
 * them mutations of the replayed files.  This is what the test suite runs;
 * real fuzzing is scripts/fuzz.sh. */

#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static GPtrArray *inputs;

static void
run_file (const gchar * path)
{
  gchar *contents;
  gsize len;
  GError *err = NULL;

  if (!g_file_get_contents (path, &contents, &len, &err)) {
    g_printerr ("%s\n", err->message);
    exit (1);
  }
  LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
  g_ptr_array_add (inputs, g_bytes_new_take (contents, len));
}

static void
run_path (const gchar * path)
{
  GDir *dir;
  const gchar *name;
  GPtrArray *names;
  guint i;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
    run_file (path);
    return;
  }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_dir_close (dir);
  /* sorted: the same order on every machine */
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (i = 0; i < names->len; i++) {
    const gchar *p = *(const gchar **) &names->pdata[i];

    if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
      run_file (p);
  }
  g_ptr_array_unref (names);
}

int
main (int argc, char **argv)
{
  guint n = 0, i, done = 0;
  GRand *rand;
  gint a;

  inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (a = 1; a < argc; a++) {
    if (strcmp (argv[a], "-n") == 0 && a + 1 < argc)
      n = (guint) atoi (argv[++a]);
    else
      run_path (argv[a]);
  }
  done = inputs->len;

  rand = g_rand_new_with_seed (20260101);
  for (i = 0; i < n; i++) {
    gsize len;
    guint8 *buf;
    gsize k;

    if (inputs->len > 0 && g_rand_boolean (rand)) {
      /* a seed with a few bytes changed */
      GBytes *b = g_ptr_array_index (inputs,
          g_rand_int_range (rand, 0, inputs->len));
      const guint8 *d = g_bytes_get_data (b, &len);

      buf = g_malloc (len + 1);
      if (len)
        memcpy (buf, d, len);
      for (k = 0; len > 0 && k < 4; k++)
        buf[g_rand_int_range (rand, 0, len)] = g_rand_int_range (rand, 0, 256);
    } else {
      len = g_rand_int_range (rand, 0, 300);
      buf = g_malloc (len + 1);
      for (k = 0; k < len; k++)
        buf[k] = g_rand_int_range (rand, 0, 256);
    }
    LLVMFuzzerTestOneInput (buf, len);
    g_free (buf);
    done++;
  }
  g_rand_free (rand);
  g_ptr_array_unref (inputs);
  g_print ("%u inputs, no finding\n", done);
  return 0;
}
