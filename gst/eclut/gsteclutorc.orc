# eclut row kernels (ORC 0.4.24+).  Regenerate the checked-in backups with
# scripts/update-orc-dist.sh after editing.  No kernel may use loadoff* with a
# .param offset (the SSE rule needs a .const): callers pass shifted pointers.

# Luma expand, first half: the sum of five shifted channel rows.
# Values are in 0 .. 5 * 4 * 255 (biased sums): no int16 overflow.
.function eclut_orc_sum5_s16
.dest 2 d gint16
.source 2 s1 gint16
.source 2 s2 gint16
.source 2 s3 gint16
.source 2 s4 gint16
.source 2 s5 gint16
.temp 2 t

addw t, s1, s2
addw t, t, s3
addw t, t, s4
addw d, t, s5

# Luma expand, second half, rescale and clamp:
# d = clamp ((t + s1 + s2 + s3 + s4 + bias) >> shift, 0, 255).
# The sum is in 0 .. 36 * 255 and bias (the table's b minus the 36 * 128
# storage bias) in -4608 .. -4353, so int16 holds every step; shrsw is the
# flooring arithmetic shift the spec asks for.
.function eclut_orc_finish_u8
.dest 1 d guint8
.source 2 t gint16
.source 2 s1 gint16
.source 2 s2 gint16
.source 2 s3 gint16
.source 2 s4 gint16
.param 2 bias
.param 2 shift
.temp 2 x

addw x, t, s1
addw x, x, s2
addw x, x, s3
addw x, x, s4
addw x, x, bias
shrsw x, x, shift
convsuswb d, x

# Chroma: d = (a * w0 + b * w1 + 128) >> 8 with w0 = 256 - w1, 0 <= w1 < 256.
# The sum is at most 255 * 256 + 128 < 65536, so unsigned 16-bit arithmetic
# is exact (mullw keeps the low 16 bits, which here are all of them).
.function eclut_orc_blend_u8
.dest 1 d guint8
.source 1 a guint8
.source 1 b guint8
.param 2 w0
.param 2 w1
.temp 2 t1
.temp 2 t2

convubw t1, a
mullw t1, t1, w0
convubw t2, b
mullw t2, t2, w1
addw t1, t1, t2
addw t1, t1, 128
shruw t1, t1, 8
convwb d, t1

# Chroma, horizontal, 2x and 4x: output sample m*r + ph blends source samples
# s_ph[m] and s_ph[m+1] (the caller passes s_ph = row + m0 + o_ph, in
# samples) with the phase's weights (256 - w_ph, w_ph), the spec's formula,
# and interleaves the r results.  _u16: interleaved UV, the same per byte
# ("x2").  Used only where no source index needs clamping.  The second tap
# is a loadoff with a .const offset (a .param offset would not compile to
# SIMD), so s_ph must be readable for n + 1 samples.

.function eclut_orc_chroma_h2_u8
.dest 2 d guint16
.source 1 s0 guint8
.source 1 s1 guint8
.param 2 wa0
.param 2 wb0
.param 2 wa1
.param 2 wb1
.const 4 c1 1
.temp 1 nx
.temp 2 t1
.temp 2 t2
.temp 1 o0
.temp 1 o1

loadoffb nx, s0, c1
convubw t1, s0
mullw t1, t1, wa0
convubw t2, nx
mullw t2, t2, wb0
addw t1, t1, t2
addw t1, t1, 128
shruw t1, t1, 8
convwb o0, t1
loadoffb nx, s1, c1
convubw t1, s1
mullw t1, t1, wa1
convubw t2, nx
mullw t2, t2, wb1
addw t1, t1, t2
addw t1, t1, 128
shruw t1, t1, 8
convwb o1, t1
mergebw d, o0, o1

.function eclut_orc_chroma_h2_u16
.dest 4 d guint32
.source 2 s0 guint16
.source 2 s1 guint16
.param 2 wa0
.param 2 wb0
.param 2 wa1
.param 2 wb1
.const 4 c1 1
.temp 2 nx
.temp 4 t1
.temp 4 t2
.temp 2 o0
.temp 2 o1

loadoffw nx, s0, c1
x2 convubw t1, s0
x2 mullw t1, t1, wa0
x2 convubw t2, nx
x2 mullw t2, t2, wb0
x2 addw t1, t1, t2
x2 addw t1, t1, 128
x2 shruw t1, t1, 8
x2 convwb o0, t1
loadoffw nx, s1, c1
x2 convubw t1, s1
x2 mullw t1, t1, wa1
x2 convubw t2, nx
x2 mullw t2, t2, wb1
x2 addw t1, t1, t2
x2 addw t1, t1, 128
x2 shruw t1, t1, 8
x2 convwb o1, t1
mergewl d, o0, o1

.function eclut_orc_chroma_h4_u8
.dest 4 d guint32
.source 1 s0 guint8
.source 1 s1 guint8
.source 1 s2 guint8
.source 1 s3 guint8
.param 2 wa0
.param 2 wb0
.param 2 wa1
.param 2 wb1
.param 2 wa2
.param 2 wb2
.param 2 wa3
.param 2 wb3
.const 4 c1 1
.temp 1 nx
.temp 2 t1
.temp 2 t2
.temp 1 o0
.temp 1 o1
.temp 1 o2
.temp 1 o3
.temp 2 m0
.temp 2 m1

loadoffb nx, s0, c1
convubw t1, s0
mullw t1, t1, wa0
convubw t2, nx
mullw t2, t2, wb0
addw t1, t1, t2
addw t1, t1, 128
shruw t1, t1, 8
convwb o0, t1
loadoffb nx, s1, c1
convubw t1, s1
mullw t1, t1, wa1
convubw t2, nx
mullw t2, t2, wb1
addw t1, t1, t2
addw t1, t1, 128
shruw t1, t1, 8
convwb o1, t1
loadoffb nx, s2, c1
convubw t1, s2
mullw t1, t1, wa2
convubw t2, nx
mullw t2, t2, wb2
addw t1, t1, t2
addw t1, t1, 128
shruw t1, t1, 8
convwb o2, t1
loadoffb nx, s3, c1
convubw t1, s3
mullw t1, t1, wa3
convubw t2, nx
mullw t2, t2, wb3
addw t1, t1, t2
addw t1, t1, 128
shruw t1, t1, 8
convwb o3, t1
mergebw m0, o0, o1
mergebw m1, o2, o3
mergewl d, m0, m1

.function eclut_orc_chroma_h4_u16
.dest 8 d guint64
.source 2 s0 guint16
.source 2 s1 guint16
.source 2 s2 guint16
.source 2 s3 guint16
.param 2 wa0
.param 2 wb0
.param 2 wa1
.param 2 wb1
.param 2 wa2
.param 2 wb2
.param 2 wa3
.param 2 wb3
.const 4 c1 1
.temp 2 nx
.temp 4 t1
.temp 4 t2
.temp 2 o0
.temp 2 o1
.temp 2 o2
.temp 2 o3
.temp 4 m0
.temp 4 m1

loadoffw nx, s0, c1
x2 convubw t1, s0
x2 mullw t1, t1, wa0
x2 convubw t2, nx
x2 mullw t2, t2, wb0
x2 addw t1, t1, t2
x2 addw t1, t1, 128
x2 shruw t1, t1, 8
x2 convwb o0, t1
loadoffw nx, s1, c1
x2 convubw t1, s1
x2 mullw t1, t1, wa1
x2 convubw t2, nx
x2 mullw t2, t2, wb1
x2 addw t1, t1, t2
x2 addw t1, t1, 128
x2 shruw t1, t1, 8
x2 convwb o1, t1
loadoffw nx, s2, c1
x2 convubw t1, s2
x2 mullw t1, t1, wa2
x2 convubw t2, nx
x2 mullw t2, t2, wb2
x2 addw t1, t1, t2
x2 addw t1, t1, 128
x2 shruw t1, t1, 8
x2 convwb o2, t1
loadoffw nx, s3, c1
x2 convubw t1, s3
x2 mullw t1, t1, wa3
x2 convubw t2, nx
x2 mullw t2, t2, wb3
x2 addw t1, t1, t2
x2 addw t1, t1, 128
x2 shruw t1, t1, 8
x2 convwb o3, t1
mergewl m0, o0, o1
mergewl m1, o2, o3
mergelq d, m0, m1
