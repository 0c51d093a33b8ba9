/* png_image.h - a small PNG built by the test itself, for the image fuzzy
 * hash signature in tests/fixtures/clamav/es-test.ldb: 64x64 RGB, a pattern
 * of rings and stripes that no other test image resembles. The picture must
 * not change: the signature is its hash (tests/fixtures/clamav/README.md says
 * how it was made). The encoding may vary (png_image(level)); a perceptual
 * hash sees the same picture whatever the compression. */
#ifndef ES_PNG_IMAGE_H
#define ES_PNG_IMAGE_H

#include <gio/gio.h>

#define PNG_SIDE 64

/* png_crc - the CRC-32 of PNG (and zip), bit by bit: a few bytes per chunk */
static inline guint32 png_crc(guint32 crc, const guint8 *p, gsize len)
{
	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

/* png_be32 - append V big-endian */
static inline void png_be32(GByteArray *out, guint32 v)
{
	guint8 be[4] = { v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff };

	g_byte_array_append(out, be, 4);
}

/* png_chunk - append one chunk: length, type, data, CRC over type and data */
static inline void png_chunk(GByteArray *out, const char type[4], const guint8 *data, guint32 len)
{
	guint32 crc = png_crc(0, (const guint8 *)type, 4);

	png_be32(out, len);
	g_byte_array_append(out, (const guint8 *)type, 4);
	if (len) {
		g_byte_array_append(out, data, len);
		crc = png_crc(crc, data, len);
	}
	png_be32(out, crc);
}

/* png_deflate - LEN bytes at P as a zlib stream, compressed at LEVEL */
static inline GBytes *png_deflate(const guint8 *p, gsize len, int level)
{
	GZlibCompressor *z = g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_ZLIB, level);
	gsize cap = len + len / 100 + 64, read = 0, written = 0;
	guint8 *out = g_malloc(cap);

	/* one call: the buffer holds all of it, so the stream ends at once */
	g_converter_convert(G_CONVERTER(z), p, len, out, cap, G_CONVERTER_INPUT_AT_END,
			    &read, &written, NULL);
	g_object_unref(z);
	return g_bytes_new_take(out, written);
}

/* png_image - the picture as a PNG file, its pixels deflated at LEVEL (0-9) */
static inline GBytes *png_image(int level)
{
	static const guint8 sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	/* width, height, bit depth 8, colour type 2 (RGB), deflate, filter 0, no interlace */
	static const guint8 ihdr[13] = { 0, 0, 0, PNG_SIDE, 0, 0, 0, PNG_SIDE, 8, 2, 0, 0, 0 };
	guint8 raw[PNG_SIDE * (1 + 3 * PNG_SIDE)];
	GByteArray *out = g_byte_array_new();
	GBytes *z;

	for (int y = 0; y < PNG_SIDE; y++) {
		guint8 *row = raw + y * (1 + 3 * PNG_SIDE);

		row[0] = 0;	/* filter: none */
		for (int x = 0; x < PNG_SIDE; x++) {
			int dx = x - 20, dy = y - 40, r2 = dx * dx + dy * dy;

			row[1 + 3 * x] = (guint8)((r2 / 40) % 2 ? 230 : 20);
			row[2 + 3 * x] = (guint8)(((x + 2 * y) / 9) % 2 ? 200 : 40);
			row[3 + 3 * x] = (guint8)(x * 4);
		}
	}
	z = png_deflate(raw, sizeof(raw), level);
	g_byte_array_append(out, sig, sizeof(sig));
	png_chunk(out, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(out, "IDAT", g_bytes_get_data(z, NULL), (guint32)g_bytes_get_size(z));
	png_chunk(out, "IEND", NULL, 0);
	g_bytes_unref(z);
	return g_byte_array_free_to_bytes(out);
}

#endif
