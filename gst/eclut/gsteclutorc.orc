# eclut row kernels (ORC 0.4.24+).  Regenerate the checked-in backups with
# scripts/update-orc-dist.sh after editing.  No kernel may use loadoff* with a
# .param offset (the SSE rule needs a .const): callers pass shifted pointers.

# Luma expand, first half: the sum of five shifted channel rows.
# Values are at most 5 * 512 in magnitude: no int16 overflow.
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
# |sum| <= 36 * 128 and bias < 256, so int16 holds it; shrsw is the
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
