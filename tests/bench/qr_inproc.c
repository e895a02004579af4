/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * qr_inproc.c: the in-process cost of one QR image (encode + draw) beside
 * libqrencode's own QRcode_encodeString, for a typical invite URL.
 * Prints microseconds per code and the ratios; run by tests/bench/qr.sh.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <qrencode.h>

#include "hearsay.h"
#include "qr.h"

#define BATCHES	20	/* the fastest batch counts: the machine is shared */
#define ROUNDS	100	/* codes per batch */

static const char *const text = "https://go.example.org/i/7K2M9QXA?qr=1";

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Returns the microseconds one call of what (0 libqrencode alone, else
 * qr_render of format what - 1) takes in the fastest of BATCHES
 * batches, or -1 on error.
 */
static double
cost(int what, struct hs_buf *b, const struct qr_opts *o)
{
	QRcode		*q;
	double		 t0, t, best = -1;
	int		 i, k;

	for (k = 0; k < BATCHES; k++) {
		t0 = now();
		for (i = 0; i < ROUNDS; i++) {
			if (what == 0) {
				if ((q = QRcode_encodeString(text, 0,
				    QR_ECLEVEL_M, QR_MODE_8, 1)) == NULL)
					return -1;
				QRcode_free(q);
				continue;
			}
			hs_buf_reset(b);
			if (qr_render(b, (enum qr_fmt)(what - 1), text, o) !=
			    HS_OK)
				return -1;
		}
		t = (now() - t0) / ROUNDS * 1e6;
		if (best < 0 || t < best)
			best = t;
	}
	return best;
}

int
main(void)
{
	struct qr_opts	 o;
	struct hs_buf	 b;
	double		 enc, svg, png;
	size_t		 svgsz, pngsz;

	qr_opts_default(&o);
	hs_buf_init(&b, QR_MAX_IMAGE);
	if ((enc = cost(0, &b, &o)) < 0 || (svg = cost(1 + QR_SVG, &b, &o)) < 0)
		return 1;
	svgsz = b.len;
	if ((png = cost(1 + QR_PNG, &b, &o)) < 0)
		return 1;
	pngsz = b.len;
	printf("in-process (best of %d x %d): QRcode_encodeString %.1f us; "
	    "encode+SVG %.1f us (%.2fx, %zu bytes); encode+PNG s=8 %.1f us "
	    "(%.2fx, %zu bytes)\n", BATCHES, ROUNDS, enc, svg, svg / enc,
	    svgsz, png, png / enc, pngsz);
	hs_buf_free(&b);
	return 0;
}
