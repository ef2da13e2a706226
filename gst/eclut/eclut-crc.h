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

/* CRC-32 of the table files (IEEE 802.3, the reflected polynomial
 * 0xEDB88320, as zlib's crc32 ()).  No GStreamer types. */

#ifndef __ECLUT_CRC_H__
#define __ECLUT_CRC_H__

#include <glib.h>

G_BEGIN_DECLS

/* The CRC-32 of @len bytes at @data, by carry-less multiplication where
 * the CPU has it (PCLMULQDQ), else eight bytes per step through tables. */
guint32 eclut_crc32 (const guint8 * data, gsize len);

/* The same with the tables only (for tests: the two must agree). */
guint32 eclut_crc32_table (const guint8 * data, gsize len);

G_END_DECLS
#endif /* __ECLUT_CRC_H__ */
