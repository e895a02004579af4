/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * png.c: a QR symbol as a PNG, written straight into an hs_buf.  The
 * format is simple enough to write by hand (signature, IHDR, PLTE, IDAT,
 * IEND, each with a CRC) and zlib does the deflating, which is faster
 * than going through libpng by more than a factor of ten: libpng set up
 * and tore down a full-size deflate state (some 270 KB, zeroed) for
 * every image, and the page faults of that cost more than the drawing.
 *
 * The image is a 1-bit palette PNG: two colours are all a QR code has
 * and the palette carries the named colours.  Each module row is packed
 * once and fed to deflate scale times, unfiltered: the repeats are
 * matches at a distance of one row, which the fastest deflate level
 * finds at once.  One small deflate state (4 KB window, the smallest
 * hash) is kept for the life of the process and reset per image.  Its
 * output is some 40% larger than level 6's and about a third of the
 * work (measured with callgrind: encode + draw of a typical code went
 * from 1.9 to 1.0 million instructions, most of which is now
 * libqrencode's own), and the image is still well under 1 KB.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <zlib.h>

#include "hearsay.h"
#include "qr.h"

#define PNG_LEVEL	1	/* Z_BEST_SPEED */
#define PNG_WBITS	12	/* 4 KB window: a whole row (<= 513 bytes) */
#define PNG_MEMLEVEL	1	/* the smallest hash: 256 entries */
#define PNG_CHUNK	(16 * 1024)	/* bytes of deflate output per IDAT */
#define PNG_ROW_MAX	(1 + (QR_MAX_PX + 7) / 8)	/* filter byte + pixels */
#define PNG_FILTER_NONE	0

/* The deflate state, made once per process (a worker is one thread). */
static z_stream	 zs;
static int	 zs_ready;

/* Appends the 4-byte big-endian v to b.  Returns as hs_buf_add. */
static enum hs_err
put32(struct hs_buf *b, uint32_t v)
{
	unsigned char	 p[4];

	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return hs_buf_add(b, p, sizeof(p));
}

/*
 * Appends one chunk (length, type, data, CRC of type and data) to b.
 * Returns as hs_buf_add.
 */
static enum hs_err
chunk(struct hs_buf *b, const char *type, const unsigned char *data,
    size_t len)
{
	uLong		 crc;
	enum hs_err	 e;

	crc = crc32(0L, (const Bytef *)type, 4);
	if (len > 0)
		crc = crc32(crc, data, (uInt)len);
	if ((e = put32(b, (uint32_t)len)) != HS_OK ||
	    (e = hs_buf_add(b, type, 4)) != HS_OK ||
	    (len > 0 && (e = hs_buf_add(b, data, len)) != HS_OK))
		return e;
	return put32(b, (uint32_t)crc);
}

/*
 * Feeds len bytes of filtered rows (or none, with Z_FINISH) to the
 * deflate stream, writing an IDAT chunk each time PNG_CHUNK bytes of
 * output are ready, and the rest when finishing.  Returns HS_OK,
 * HS_EIO for a zlib error, or as hs_buf_add.
 */
static enum hs_err
feed(struct hs_buf *b, unsigned char *out, const unsigned char *in,
    size_t len, int flush)
{
	enum hs_err	 e;
	int		 rc;

	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	for (;;) {
		rc = deflate(&zs, flush);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			return HS_EIO;
		if (zs.avail_out == 0 || (flush == Z_FINISH &&
		    zs.avail_out < PNG_CHUNK)) {
			if ((e = chunk(b, "IDAT", out,
			    PNG_CHUNK - zs.avail_out)) != HS_OK)
				return e;
			zs.next_out = out;
			zs.avail_out = PNG_CHUNK;
		}
		if (flush == Z_FINISH ? rc == Z_STREAM_END : zs.avail_in == 0)
			return HS_OK;
	}
}

/*
 * Appends the PNG of the w x w module matrix qm (as for qr_svg_draw)
 * under o to b.  Returns as qr_svg_draw; HS_EIO for a zlib error.  On
 * error b may hold a partial image and the caller must not send it.
 */
enum hs_err
qr_png_draw(struct hs_buf *b, const unsigned char *qm, int w,
    const struct qr_opts *o)
{
	static unsigned char out[PNG_CHUNK];
	static const unsigned char sig[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
	};
	unsigned char	 row[PNG_ROW_MAX], hdr[13], pal[6];
	const unsigned char *m;
	enum hs_err	 e;
	size_t		 rowbytes;
	int		 side, px, x, y, dark, i;

	side = w + 2 * o->margin;
	px = side * o->scale;
	if (w < 1)
		return HS_EINVAL;
	if (px > QR_MAX_PX)
		return HS_ETOOBIG;
	if (!zs_ready) {
		memset(&zs, 0, sizeof(zs));
		if (deflateInit2(&zs, PNG_LEVEL, Z_DEFLATED, PNG_WBITS,
		    PNG_MEMLEVEL, Z_DEFAULT_STRATEGY) != Z_OK)
			return HS_ENOMEM;
		zs_ready = 1;
	} else if (deflateReset(&zs) != Z_OK)
		return HS_EIO;
	zs.next_out = out;
	zs.avail_out = PNG_CHUNK;

	rowbytes = 1 + ((size_t)px + 7) / 8;
	hdr[0] = (unsigned char)(px >> 24);
	hdr[1] = (unsigned char)(px >> 16);
	hdr[2] = (unsigned char)(px >> 8);
	hdr[3] = (unsigned char)px;
	memcpy(hdr + 4, hdr, 4);
	hdr[8] = 1;		/* bit depth */
	hdr[9] = 3;		/* colour type: palette */
	hdr[10] = 0;		/* deflate */
	hdr[11] = 0;		/* adaptive filtering, per row */
	hdr[12] = 0;		/* not interlaced */
	/* Index 0 light, 1 dark: a zeroed row is background. */
	memcpy(pal, o->bg->rgb, 3);
	memcpy(pal + 3, o->fg->rgb, 3);
	if ((e = hs_buf_add(b, sig, sizeof(sig))) != HS_OK ||
	    (e = chunk(b, "IHDR", hdr, sizeof(hdr))) != HS_OK ||
	    (e = chunk(b, "PLTE", pal, sizeof(pal))) != HS_OK)
		return e;
	for (y = 0; y < side; y++) {
		memset(row, 0, rowbytes);
		row[0] = PNG_FILTER_NONE;
		if (y >= o->margin && y < o->margin + w) {
			m = qm + (size_t)(y - o->margin) * (size_t)w;
			for (x = 0; x < w; x++) {
				if (!(m[x] & 1))
					continue;
				dark = (x + o->margin) * o->scale;
				for (i = 0; i < o->scale; i++, dark++)
					row[1 + (dark >> 3)] |=
					    (unsigned char)(0x80 >> (dark & 7));
			}
		}
		/* Each module row is scale identical pixel rows. */
		for (i = 0; i < o->scale; i++)
			if ((e = feed(b, out, row, rowbytes, Z_NO_FLUSH)) !=
			    HS_OK)
				return e;
	}
	if ((e = feed(b, out, NULL, 0, Z_FINISH)) != HS_OK)
		return e;
	return chunk(b, "IEND", NULL, 0);
}

/*
 * Appends text's QR symbol under o to b as an image in format f.
 * Returns as qr_svg_draw or qr_png_draw; HS_EINVAL for another format
 * or a text libqrencode refuses (too long for a symbol).
 */
enum hs_err
qr_render(struct hs_buf *b, enum qr_fmt f, const char *text,
    const struct qr_opts *o)
{
	QRcode		*q;
	enum hs_err	 e;

	if (f != QR_SVG && f != QR_PNG)
		return HS_EINVAL;
	if ((q = QRcode_encodeString(text, 0, (QRecLevel)o->level,
	    QR_MODE_8, 1)) == NULL)
		return errno == ENOMEM ? HS_ENOMEM : HS_EINVAL;
	if (f == QR_SVG)
		e = qr_svg_draw(b, q->data, q->width, o);
	else
		e = qr_png_draw(b, q->data, q->width, o);
	QRcode_free(q);
	return e;
}
