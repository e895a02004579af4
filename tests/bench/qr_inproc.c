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

#define ROUNDS	2000

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(void)
{
	const char	*text = "https://go.example.org/i/7K2M9QXA?qr=1";
	struct qr_opts	 o;
	struct hs_buf	 b;
	QRcode		*q;
	double		 t0, enc, svg, png;
	int		 i;

	qr_opts_default(&o);
	hs_buf_init(&b, QR_MAX_IMAGE);
	t0 = now();
	for (i = 0; i < ROUNDS; i++) {
		if ((q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8,
		    1)) == NULL)
			return 1;
		QRcode_free(q);
	}
	enc = (now() - t0) / ROUNDS * 1e6;
	t0 = now();
	for (i = 0; i < ROUNDS; i++) {
		hs_buf_reset(&b);
		if (qr_svg(&b, text, &o) != HS_OK)
			return 1;
	}
	svg = (now() - t0) / ROUNDS * 1e6;
	t0 = now();
	for (i = 0; i < ROUNDS; i++) {
		hs_buf_reset(&b);
		if (qr_png(&b, text, &o) != HS_OK)
			return 1;
	}
	png = (now() - t0) / ROUNDS * 1e6;
	printf("in-process, %d rounds: QRcode_encodeString %.1f us; "
	    "encode+SVG %.1f us (%.2fx); encode+PNG s=8 %.1f us (%.2fx)\n",
	    ROUNDS, enc, svg, svg / enc, png, png / enc);
	hs_buf_free(&b);
	return 0;
}
