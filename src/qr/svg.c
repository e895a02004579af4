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
 * style, so the image needs no style-src at all.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "hearsay.h"
#include "qr.h"

/*
 * Appends the SVG of text's QR symbol under o to b.  Returns HS_OK;
 * HS_EINVAL if libqrencode refuses the text (too long for a symbol);
 * HS_ETOOBIG if the image would be over QR_MAX_PX or b's cap;
 * HS_ENOMEM.
 */
enum hs_err
qr_svg(struct hs_buf *b, const char *text, const struct qr_opts *o)
{
	QRcode		*q;
	enum hs_err	 e;
	int		 x, y, w, side, run, px = 0, py = 0, first = 1;
	const unsigned char *row;

	if ((q = QRcode_encodeString(text, 0, (QRecLevel)o->level,
	    QR_MODE_8, 1)) == NULL)
		return errno == ENOMEM ? HS_ENOMEM : HS_EINVAL;
	w = q->width;
	side = w + 2 * o->margin;
	if (side * o->scale > QR_MAX_PX) {
		e = HS_ETOOBIG;
		goto out;
	}
	if ((e = hs_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	    "shape-rendering=\"crispEdges\"><path fill=\"%s\" "
	    "d=\"M0 0h%dv%dH0z\"/><path fill=\"%s\" d=\"", side, side,
	    side * o->scale, side * o->scale, o->bg->hex, side, side,
	    o->fg->hex)) != HS_OK)
		goto out;
	for (y = 0; y < w; y++) {
		row = q->data + (size_t)y * (size_t)w;
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
			if (first)
				e = hs_buf_printf(b, "M%d %dh%dv1h-%dz",
				    x + o->margin, y + o->margin, run, run);
			else
				e = hs_buf_printf(b, "m%d %dh%dv1h-%dz",
				    x + o->margin - px, y + o->margin - py,
				    run, run);
			if (e != HS_OK)
				goto out;
			first = 0;
			px = x + o->margin;
			py = y + o->margin;
			x += run;
		}
	}
	e = hs_buf_puts(b, "\"/></svg>\n");
out:
	QRcode_free(q);
	return e;
}
