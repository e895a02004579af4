/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * qr_bare.c: the reference for tests/bench/qr.sh, a bare libfcgi loop
 * that answers every request with a fixed 200, on the socket named by
 * argv[1].  hearsay-qr's rate is reported as a fraction of this one.
 */
#include "config.h"

#include <stdio.h>

#include <fcgiapp.h>

int
main(int argc, char *argv[])
{
	FCGX_Request	 r;
	int		 fd;

	if (argc != 2 || FCGX_Init() != 0 ||
	    (fd = FCGX_OpenSocket(argv[1], 64)) < 0 ||
	    FCGX_InitRequest(&r, fd, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutS("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n"
		    "ok\n", r.out);
		FCGX_Finish_r(&r);
	}
	return 0;
}
