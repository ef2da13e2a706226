/* Hot loops of the ECLUT table fit (built at run time by fitcore.py).
 *
 * The model (docs/lut-format.md) in float: for rotation k the LR plane is
 * viewed rotated (J = rot90(I, k)), every HR pixel (Y, X) of the rotated frame
 * gathers 9 entries T[pair(y', x')][c r^2 + i r + j] at (Y', X') =
 * (refl(Y - dy st), refl(X - dx st)), and the sum is added to the HR pixel that
 * rot90(., -k) puts it on.  fwd() computes P = A T (sum over the 4 rotations),
 * bwd() computes G = A^T R (scatter-add of an HR residual).  Parallel over
 * images with OpenMP; bwd sums in fixed point, one accumulator per thread,
 * so its result does not depend on the thread count or schedule.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef __linux__
#include <sys/mman.h>
#endif

static long refl(long t, long n)
{
  if (n == 1) return 0;
  long p = 2 * (n - 1), u = t % p;
  if (u < 0) u += p;
  return u < n ? u : p - u;
}

/* view of an H x W row-major plane rotated by k: J(y, x) = base[off + y*sy + x*sx] */
static void rot_view(int k, long H, long W, long *h, long *w, long *off, long *sy, long *sx)
{
  switch (k & 3) {
  case 0: *h = H; *w = W; *off = 0; *sy = W; *sx = 1; break;
  case 1: *h = W; *w = H; *off = W - 1; *sy = -1; *sx = W; break;
  case 2: *h = H; *w = W; *off = (H - 1) * W + W - 1; *sy = -W; *sx = -1; break;
  default: *h = W; *w = H; *off = (H - 1) * W; *sy = 1; *sx = -W; break;
  }
}

/* The 4-bit level of a difference d for pair 3 (lutfile.quad_level):
 * 7 + sign(d) m, m the number of steps that |d| reaches. */
static long quad_level(long d)
{
  static const long steps[7] = {1, 3, 6, 10, 16, 26, 46};
  long m = 0, u = d < 0 ? -d : d;
  for (int i = 0; i < 7; i++) m += u >= steps[i];
  return d < 0 ? 7 - m : 7 + m;
}

typedef struct {
  long h, w, rh, rw, hoff, hsy, hsx;
  long *pidx;            /* h*w: pair index * E */
  long *ylr[3], *ysub[3], *xlr[3], *xsub[3];
} Frame;

static void frame_setup(Frame *f, const uint8_t *lr, long H, long W, int k, int r, int st, int pair,
                        int phases, long E, long *buf)
{
  long off, sy, sx, h, w;
  rot_view(k, H, W, &h, &w, &off, &sy, &sx);
  f->h = h; f->w = w; f->rh = h * r; f->rw = w * r;
  long d0, d1;
  rot_view(k, H * r, W * r, &d0, &d1, &f->hoff, &f->hsy, &f->hsx);
  f->pidx = buf; buf += h * w;
  /* phases > 1 (refine stages only): one table per position (y, x) mod
   * phases in the rotated frame, the positions' entries side by side per
   * pair (e0 entries each) */
  const long e0 = E / ((long) phases * phases);
  /* pair 3's levels of the differences -255 .. 255, looked up: the index
   * is made anew for every pixel of every pass */
  uint8_t level_of[511];
  if (pair == 3)
    for (long d = -255; d <= 255; d++)
      level_of[d + 255] = (uint8_t) quad_level(d);
  for (long y = 0; y < h; y++) {
    long yb = y + 1 < h ? y + 1 : h - 1;
    for (long x = 0; x < w; x++) {
      /* pair 1 (refine stages only): the pixel below and to the right;
       * pair 2: the rounded mean of the one below and the one to the right;
       * pair 3: see below */
      long xr = x + 1 < w ? x + 1 : w - 1;
      long xb = pair == 1 ? xr : x;
      long a = lr[off + y * sy + x * sx], b = lr[off + yb * sy + xb * sx];
      if (pair == 2)
        b = (b + lr[off + y * sy + xr * sx] + 1) >> 1;
      long ph = ((y % phases) * phases + x % phases) * e0;
      long idx = a * 256 + b;
      if (pair == 3) {
        /* pair 3 (refine stages only): the 2x2 block, quantised */
        long rt = lr[off + y * sy + xr * sx], dg = lr[off + yb * sy + xr * sx];
        idx = (a >> 4) << 12 | (long) level_of[b - a + 255] << 8 | (long) level_of[rt - a + 255] << 4
            | level_of[dg - a + 255];
      }
      f->pidx[y * w + x] = idx * E + ph;
    }
  }
  for (int d = 0; d < 3; d++) {
    f->ylr[d] = buf; buf += f->rh; f->ysub[d] = buf; buf += f->rh;
    f->xlr[d] = buf; buf += f->rw; f->xsub[d] = buf; buf += f->rw;
    for (long Y = 0; Y < f->rh; Y++) {
      long t = refl(Y - (d - 1) * st, f->rh);
      f->ylr[d][Y] = (t / r) * w; f->ysub[d][Y] = (t % r) * r;
    }
    for (long X = 0; X < f->rw; X++) {
      long t = refl(X - (d - 1) * st, f->rw);
      f->xlr[d][X] = t / r; f->xsub[d][X] = t % r;
    }
  }
}

/* rows of a quarter-turned frame that fwd() and bwd() take at once: the
 * picture's neighbouring pixels (16 floats: a cache line) */
#define TILE 16
/* how many source pixels ahead bwd() prefetches accumulators (r = 1) */
#define PREFETCH 12

static long frame_buf_len(long H, long W, int r)
{
  long m = H > W ? H : W;
  return H * W + 12 * m * r + 16;
}

/* Row Y of frame @f: the pair indices of the LR row each channel row dy
 * reads, and the entry offset of each channel (dy, dx) at that row. */
static void row_setup(const Frame *f, long r2, long Y, const long **prow, long *c0)
{
  for (int dy = 0; dy < 3; dy++) {
    prow[dy] = f->pidx + f->ylr[dy][Y];
    for (int dx = 0; dx < 3; dx++)
      c0[dy * 3 + dx] = (dy * 3 + dx) * r2 + f->ysub[dy][Y];
  }
}

/* Column X of frame @f: the LR column and the sub-pixel column each
 * channel column dx reads. */
static inline void pixel_columns(const Frame *f, long X, long *x, long *s)
{
  for (int dx = 0; dx < 3; dx++) {
    x[dx] = f->xlr[dx][X];
    s[dx] = f->xsub[dx][X];
  }
}

/* The entry of channel (dy, dx) = c at the pixel whose LR columns and
 * sub-pixel columns for dx = 0, 1, 2 are x[] and s[] (row pointers p[dy],
 * channel offsets c0[c]). */
#define ENTRY(p, c0, x, s, dy, dx) \
  ((p)[dy][(x)[dx]] + (c0)[(dy) * 3 + (dx)] + (s)[dx])
/* each pixel's nine channels in one fixed order, (dy, dx) row by row: the
 * order of the float sums, so that fwd() gives the same floats whatever
 * its loop structure */
#define FOR_CHANNELS(DO) \
  DO (0, 0) DO (0, 1) DO (0, 2) DO (1, 0) DO (1, 1) DO (1, 2) DO (2, 0) DO (2, 1) DO (2, 2)

/* Prefetches, for adding to, the nine channels' accumulators of one
 * sub-pixel row at @p (r2 entries apart; at r = 1 the nine lie together,
 * in at most two lines).  bwd() waits on these: a source pixel's block is
 * anywhere in the accumulator (up to 75 MB), out of the caches.  (fwd()
 * reads nine entries per pixel, independent loads that the processor
 * overlaps itself: prefetching them did not help.) */
static inline void prefetch_channels(int64_t *p, long r2)
{
  const char *c = (const char *) p;
  const long step = r2 * (long) sizeof *p;
  if (r2 == 1) {
    __builtin_prefetch(c, 1, 3);
    __builtin_prefetch(c + 8 * step, 1, 3);
    return;
  }
  for (int k = 0; k < 9; k++)
    __builtin_prefetch(c + k * step, 1, 3);
}

/* images: n planes; lr[i] -> H[i] x W[i] uint8; hr planes (float) rH x rW at out + hoffs[i] */
void fwd(int n, const uint8_t **lr, const long *H, const long *W, const long *hoffs,
         float *out, const float *T, int r, int st, int pair, int phases, int nthreads)
{
  const long E = 9L * r * r * phases * phases, r2 = (long) r * r;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
  for (int i = 0; i < n; i++) {
    long *buf = malloc(sizeof(long) * frame_buf_len(H[i], W[i], r));
    float *o = out + hoffs[i];
    memset(o, 0, sizeof(float) * H[i] * W[i] * r2);
    for (int k = 0; k < 4; k++) {
      Frame f;
      frame_setup(&f, lr[i], H[i], W[i], k, r, st, pair, phases, E, buf);
      /* each pixel's nine entries summed in a register, then added to
       * the output once (the same floats as nine adds to memory) */
      if (f.hsx == 1 || f.hsx == -1) {
        for (long Y = 0; Y < f.rh; Y++) {
          float *orow = o + f.hoff + Y * f.hsy;
          const long *prow[3];
          long c0[9];
          row_setup(&f, r2, Y, prow, c0);
          for (long X = 0; X < f.rw; X++) {
            long x[3], s_[3];
            pixel_columns(&f, X, x, s_);
            float acc = orow[X * f.hsx];
#define ADD_ENTRY(dy, dx) acc += T[ENTRY (prow, c0, x, s_, dy, dx)];
            FOR_CHANNELS (ADD_ENTRY)
#undef ADD_ENTRY
            orow[X * f.hsx] = acc;
          }
        }
        continue;
      }
      /* quarter turns: the rotated frame's rows are the picture's columns,
       * so take TILE of them at once (neighbours in memory) */
      for (long Y0 = 0; Y0 < f.rh; Y0 += TILE) {
        const long ny = f.rh - Y0 < TILE ? f.rh - Y0 : TILE;
        const long *prow[TILE][3];
        long c0[TILE][9];
        float *ocol = o + f.hoff + Y0 * f.hsy;
        for (long t = 0; t < ny; t++)
          row_setup(&f, r2, Y0 + t, prow[t], c0[t]);
        for (long X = 0; X < f.rw; X++) {
          long x[3], s_[3];
          pixel_columns(&f, X, x, s_);
          float *ox = ocol + X * f.hsx;
          for (long t = 0; t < ny; t++) {
            float acc = ox[t * f.hsy];
#define ADD_ENTRY(dy, dx) acc += T[ENTRY (prow[t], c0[t], x, s_, dy, dx)];
            FOR_CHANNELS (ADD_ENTRY)
#undef ADD_ENTRY
            ox[t * f.hsy] = acc;
          }
        }
      }
    }
    free(buf);
  }
}

/* Bit d of the mask: the pixel Y + sign (d - 1) st lies inside the frame
 * (0 .. n - 1).  With sign -1 the HR row (column) Y takes its channel row
 * (column) d from inside the frame, without reflection; with sign +1 the
 * source Y gives channel d to a pixel inside the frame. */
static inline unsigned inside_mask(long Y, long sign_st, long n)
{
  unsigned m = 0;
  for (int d = 0; d < 3; d++)
    m |= (unsigned) ((unsigned long) (Y + (d - 1) * sign_st) < (unsigned long) n) << d;
  return m;
}

/* bwd's direct channels of frame @f, source by source: the HR pixel
 * (ty, tx) of the unshifted frame gives channel (dy, dx) to the pixel
 * (ty + (dy - 1) st, tx + (dx - 1) st), so its nine entries, which lie
 * together in the table (r2 apart), take the residuals of its nine
 * neighbours.  Each source's block of the accumulator is met once, not
 * from nine pixels at nine moments: the accumulator (up to 75 MB) is
 * what the pass waits for.  Rows of quarter turns are taken TILE at a
 * time, as in fwd(); integer sums, so the order is free. */
static void scatter_direct(const Frame *f, const int64_t *q, int64_t *g, long r2, long st)
{
  const long sys = st * f->hsy, sxs = st * f->hsx;
  const long tile = f->hsx == 1 || f->hsx == -1 ? 1 : TILE;
  /* as far ahead as a table block's fetch takes (quarter turns: TILE
   * sources per column) */
  const long r = f->rw / f->w, ahead = tile == 1 ? (r == 1 ? PREFETCH : 2 * r) : r;
  for (long Y0 = 0; Y0 < f->rh; Y0 += tile) {
    const long ny = f->rh - Y0 < tile ? f->rh - Y0 : tile;
    for (long X = 0; X < f->rw; X++) {
      const unsigned xm = inside_mask(X, st, f->rw);
      const long xo = f->xlr[1][X], xs = f->xsub[1][X];
      for (long t = 0; t < ny; t++) {
        const long Y = Y0 + t;
        const unsigned ym = inside_mask(Y, st, f->rh);
        const long base = f->pidx[f->ylr[1][Y] + xo] + f->ysub[1][Y] + xs;
        const int64_t *qc = q + f->hoff + Y * f->hsy + X * f->hsx;
        int64_t *gb = g + base;
        if (xs == 0) {
          /* the entries a later source adds to, fetched while this one adds */
          const long Xp = X + ahead < f->rw ? X + ahead : X;
          prefetch_channels(g + f->pidx[f->ylr[1][Y] + f->xlr[1][Xp]] + f->ysub[1][Y], r2);
        }
        if (xm == 7 && ym == 7) {
#define SCATTER(dy, dx) gb[((dy) * 3 + (dx)) * r2] += qc[((dy) - 1) * sys + ((dx) - 1) * sxs];
          FOR_CHANNELS (SCATTER)
#undef SCATTER
          continue;
        }
        for (int dy = 0; dy < 3; dy++)
          for (int dx = 0; dx < 3; dx++)
            if ((ym >> dy & 1) && (xm >> dx & 1))
              gb[(dy * 3 + dx) * r2] += qc[(dy - 1) * sys + (dx - 1) * sxs];
      }
    }
  }
}

/* bwd's other channels of frame @f, pixel by pixel as the model reads
 * them: those whose row or column is reflected at the frame's edges, so
 * only pixels within st of an edge have any. */
static void scatter_reflected(const Frame *f, const int64_t *q, int64_t *g, long r2, long st)
{
  for (long Y = 0; Y < f->rh; Y++) {
    const unsigned ym = inside_mask(Y, -st, f->rh);
    const long *prow[3];
    long c0[9];
    row_setup(f, r2, Y, prow, c0);
    /* inner rows: only the columns within st of the side edges */
    const long skip_from = ym == 7 ? st : f->rw, skip_to = f->rw - st;
    for (long X = 0; X < f->rw; X++) {
      if (X == skip_from && skip_to > X)
        X = skip_to;
      const unsigned xm = inside_mask(X, -st, f->rw);
      if (xm == 7 && ym == 7)
        continue;
      long x[3], s_[3];
      pixel_columns(f, X, x, s_);
      const int64_t v = q[f->hoff + Y * f->hsy + X * f->hsx];
      for (int dy = 0; dy < 3; dy++)
        for (int dx = 0; dx < 3; dx++)
          if (!((ym >> dy & 1) && (xm >> dx & 1)))
            g[ENTRY (prow, c0, x, s_, dy, dx)] += v;
    }
  }
}

/* Exponent k of the fixed-point residuals of bwd(): q = round(r * 2^k) in
 * int64.  Every table entry sums at most 36 contributions per HR pixel, so
 * with |q| < 2^(62 - bits(36 npix)) no sum can overflow. */
static int fixed_point_exponent(const float *resid, long npix, int nthreads)
{
  float m = 0.0f;
  /* a max is the same in any order: split over the threads like the rest */
#pragma omp parallel for reduction(max:m) schedule(static) num_threads(nthreads)
  for (long j = 0; j < npix; j++) {
    float a = fabsf(resid[j]);
    if (a > m) m = a;            /* NaN is skipped: the comparison is false */
  }
  int bits = 0, e = 0;
  while (bits < 62 && (1L << bits) <= 36 * npix) bits++;
  if (m > 0.0f) frexpf(m, &e);  /* m < 2^e */
  int k = 62 - bits - e;
  return k > 60 ? 60 : k;
}

/* @n zeroed int64 in 2 MB pages where the kernel has them: the
 * accumulators of bwd() (up to 75 MB per thread) are made anew on every
 * call, and faulting them in 4 KB at a time is slow on some hosts. */
static int64_t *zeroed_accumulators(size_t n)
{
  void *p = NULL;
  const size_t bytes = n * sizeof(int64_t);
  if (posix_memalign(&p, (size_t) 1 << 21, bytes) != 0)
    return NULL;
#ifdef MADV_HUGEPAGE
  madvise(p, bytes, MADV_HUGEPAGE);
#endif
  memset(p, 0, bytes);
  return p;
}

/* G[65536*E] (double) = sum over images of A^T resid.
 *
 * Deterministic for any thread count: the residuals are rounded once to
 * fixed point (int64, 2^-k steps, k from the largest residual, typically
 * 2^-20 grey levels for the fit's residuals) and summed in integers, which
 * is exact and so independent of which thread adds what in which order.
 * Summing doubles per thread and then across threads, as before, gave
 * results that changed in the last bits with the schedule. */
void bwd(int n, const uint8_t **lr, const long *H, const long *W, const long *hoffs,
         const float *resid, double *G, int r, int st, int pair, int phases, int nthreads)
{
  const long E = 9L * r * r * phases * phases, r2 = (long) r * r, NT = 65536L * E;
  long npix = 0;
  for (int i = 0; i < n; i++) npix += H[i] * W[i] * r2;
  const int k = fixed_point_exponent(resid, npix, nthreads > 0 ? nthreads : 1);
  const double to_fixed = ldexp(1.0, k), from_fixed = ldexp(1.0, -k);
  int nt = nthreads > 0 ? nthreads : 1;
  int64_t *acc = zeroed_accumulators((size_t) nt * NT);
  if (acc == NULL)
    abort();
#pragma omp parallel num_threads(nt)
  {
    int tid = 0;
#ifdef _OPENMP
    tid = omp_get_thread_num();
#endif
    int64_t *g = acc + (size_t) tid * NT;
#pragma omp for schedule(dynamic, 1)
    for (int i = 0; i < n; i++) {
      long *buf = malloc(sizeof(long) * frame_buf_len(H[i], W[i], r));
      /* each residual feeds 36 entries: round it once */
      const long np_i = H[i] * W[i] * r2;
      int64_t *q = malloc(sizeof(int64_t) * np_i);
      for (long j = 0; j < np_i; j++) q[j] = llrint(resid[hoffs[i] + j] * to_fixed);
      for (int rot = 0; rot < 4; rot++) {
        Frame f;
        frame_setup(&f, lr[i], H[i], W[i], rot, r, st, pair, phases, E, buf);
        scatter_direct(&f, q, g, r2, st);
        scatter_reflected(&f, q, g, r2, st);
      }
      free(q);
      free(buf);
    }
    /* the threads' sums, entry by entry (integers: any order is exact) */
#pragma omp for schedule(static)
    for (long j = 0; j < NT; j++) {
      int64_t s = 0;
      for (int t = 0; t < nt; t++) s += acc[(size_t) t * NT + j];
      G[j] = (double) s * from_fixed;
    }
  }
  free(acc);
}
