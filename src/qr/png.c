/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * png.c: a QR symbol as a PNG through libpng, written straight into an
 * hs_buf (png_set_write_fn), never to a file.  The image is a 1-bit
 * palette PNG: two colours are all a QR code has, it is eight times
 * smaller to deflate than 8-bit grey, and the palette carries the named
 * colours.  Rows are unfiltered, which is what libpng recommends for
 * images of fewer than 8 bits per pixel.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>

#include "hearsay.h"
#include "qr.h"

struct sink {
	struct hs_buf	*b;
	enum hs_err	 e;	/* first write error */
};

static void
pngwrite(png_structp p, png_bytep data, png_size_t sz)
{
	struct sink	*s = png_get_io_ptr(p);

	if (s->e == HS_OK && (s->e = hs_buf_add(s->b, data, sz)) != HS_OK)
		png_error(p, "output buffer full");
}

static void
pngflush(png_structp p)
{
}

/* libpng's errors end in a longjmp; they are logged once, here. */
static void
pngerror(png_structp p, png_const_charp msg)
{

	hs_log(HS_LOG_ERR, "libpng: %s", msg);
	png_longjmp(p, 1);
}

static void
pngwarn(png_structp p, png_const_charp msg)
{
}

/*
 * Appends the PNG of text's QR symbol under o to b.  Returns as qr_svg;
 * HS_EIO for a libpng error.  On error b may hold a partial image and
 * the caller must not send it.
 */
enum hs_err
qr_png(struct hs_buf *b, const char *text, const struct qr_opts *o)
{
	QRcode		*q;
	png_structp	 png = NULL;
	png_infop	 info = NULL;
	png_color	 pal[2];
	struct sink	 sink;
	unsigned char	*volatile line = NULL;
	volatile enum hs_err e = HS_OK;
	const unsigned char *row;
	size_t		 rowbytes;
	int		 w, side, px, x, y, dark, i;

	if ((q = QRcode_encodeString(text, 0, (QRecLevel)o->level,
	    QR_MODE_8, 1)) == NULL)
		return errno == ENOMEM ? HS_ENOMEM : HS_EINVAL;
	w = q->width;
	side = w + 2 * o->margin;
	px = side * o->scale;
	if (px > QR_MAX_PX) {
		e = HS_ETOOBIG;
		goto out;
	}
	rowbytes = ((size_t)px + 7) / 8;
	if ((line = hs_xmalloc(rowbytes)) == NULL) {
		e = HS_ENOMEM;
		goto out;
	}
	if ((png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
	    pngerror, pngwarn)) == NULL ||
	    (info = png_create_info_struct(png)) == NULL) {
		e = HS_ENOMEM;
		goto out;
	}
	sink.b = b;
	sink.e = HS_OK;
	if (setjmp(png_jmpbuf(png))) {
		e = sink.e != HS_OK ? sink.e : HS_EIO;
		goto out;
	}
	png_set_write_fn(png, &sink, pngwrite, pngflush);
	png_set_IHDR(png, info, (png_uint_32)px, (png_uint_32)px, 1,
	    PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* Index 0 light, 1 dark: a zeroed line is background. */
	pal[0].red = o->bg->rgb[0];
	pal[0].green = o->bg->rgb[1];
	pal[0].blue = o->bg->rgb[2];
	pal[1].red = o->fg->rgb[0];
	pal[1].green = o->fg->rgb[1];
	pal[1].blue = o->fg->rgb[2];
	png_set_PLTE(png, info, pal, 2);
	png_set_filter(png, 0, PNG_FILTER_NONE);
	png_write_info(png, info);
	for (y = 0; y < side; y++) {
		memset(line, 0, rowbytes);
		if (y >= o->margin && y < o->margin + w) {
			row = q->data + (size_t)(y - o->margin) * (size_t)w;
			for (x = 0; x < w; x++) {
				if (!(row[x] & 1))
					continue;
				dark = (x + o->margin) * o->scale;
				for (i = 0; i < o->scale; i++, dark++)
					line[dark >> 3] |= 0x80 >> (dark & 7);
			}
		}
		/* Each module row is scale identical pixel rows. */
		for (i = 0; i < o->scale; i++)
			png_write_row(png, line);
	}
	png_write_end(png, NULL);
out:
	if (png != NULL)
		png_destroy_write_struct(&png, info != NULL ? &info : NULL);
	free(line);
	QRcode_free(q);
	return e;
}

/* Appends text's QR symbol in format f.  Returns as qr_svg/qr_png. */
enum hs_err
qr_render(struct hs_buf *b, enum qr_fmt f, const char *text,
    const struct qr_opts *o)
{

	switch (f) {
	case QR_SVG:
		return qr_svg(b, text, o);
	case QR_PNG:
		return qr_png(b, text, o);
	default:
		return HS_EINVAL;
	}
}
