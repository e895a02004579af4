/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * svg.c: a QR symbol as a compact SVG.  `qrencode -t SVG` writes one
 * <rect> per dark module, some 40 bytes each; here every horizontal run
 * of dark modules is one closed subpath of a single <path>, and every
 * subpath after the first starts with a relative move ("m3 1h4v1h-4z"),
 * so a typical invite code is a fifth of the size or less.  The viewBox
 * is in modules, so the numbers stay small and the image scales to any
 * size without blur; shape-rendering="crispEdges" keeps anti-aliasing
 * from greying the edges between runs.  Colours are attributes, not
 * style, so the image needs no style-src at all.  The runs of a row are
 * formatted by hand into one stack buffer and appended in one go: the
 * printf per run this replaced cost more than libqrencode's encoding.
 */
#include "config.h"

#include <string.h>

#include "hearsay.h"
#include "qr.h"

#define SVG_WIDTH_MAX	177	/* modules on a side of a version 40 symbol */
/* "m-193 1h177v1h-177z" is 19 bytes; a row has at most 89 runs. */
#define SVG_RUN_MAX	24
#define SVG_ROW_MAX	((SVG_WIDTH_MAX + 1) / 2 * SVG_RUN_MAX)

/* Writes n (|n| < 1000) at p.  Returns the bytes written. */
static size_t
num(char *p, int n)
{
	size_t	 k = 0;

	if (n < 0) {
		p[k++] = '-';
		n = -n;
	}
	if (n >= 100)
		p[k++] = (char)('0' + n / 100);
	if (n >= 10)
		p[k++] = (char)('0' + n / 10 % 10);
	p[k++] = (char)('0' + n % 10);
	return k;
}

/*
 * Appends the SVG of the w x w module matrix m (bit 0 of each byte set
 * for a dark module, as libqrencode lays it out) under o to b.  Returns
 * HS_OK; HS_EINVAL for a matrix over SVG_WIDTH_MAX; HS_ETOOBIG if the
 * image would be over QR_MAX_PX or b's cap; HS_ENOMEM.
 */
enum hs_err
qr_svg_draw(struct hs_buf *b, const unsigned char *m, int w,
    const struct qr_opts *o)
{
	enum hs_err	 e;
	int		 x, y, side, run, px = 0, py = 0, first = 1;
	const unsigned char *row;
	char		 line[SVG_ROW_MAX];
	size_t		 len;

	side = w + 2 * o->margin;
	if (w < 1 || w > SVG_WIDTH_MAX)
		return HS_EINVAL;
	if (side * o->scale > QR_MAX_PX)
		return HS_ETOOBIG;
	if ((e = hs_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\"><path fill=\"%s\" "
	    "d=\"M0 0h%dv%dH0z\"/><path fill=\"%s\" d=\"", side, side,
	    side * o->scale, side * o->scale, o->bg->hex, side, side,
	    o->fg->hex)) != HS_OK)
		return e;
	for (y = 0; y < w; y++) {
		row = m + (size_t)y * (size_t)w;
		len = 0;
		for (x = 0; x < w; x++) {
			if (!(row[x] & 1))
				continue;
			for (run = 1; x + run < w && (row[x + run] & 1); run++)
				;
			/*
			 * After "z" the current point is the start of the
			 * closed subpath, so "m" is relative to the previous
			 * run's start.
			 */
			if (first) {
				line[len++] = 'M';
				len += num(line + len, x + o->margin);
				line[len++] = ' ';
				len += num(line + len, y + o->margin);
			} else {
				line[len++] = 'm';
				len += num(line + len, x + o->margin - px);
				line[len++] = ' ';
				len += num(line + len, y + o->margin - py);
			}
			line[len++] = 'h';
			len += num(line + len, run);
			memcpy(line + len, "v1h-", 4);
			len += 4;
			len += num(line + len, run);
			line[len++] = 'z';
			first = 0;
			px = x + o->margin;
			py = y + o->margin;
			x += run;
		}
		if ((e = hs_buf_add(b, line, len)) != HS_OK)
			return e;
	}
	return hs_buf_puts(b, "\"/></svg>\n");
}
