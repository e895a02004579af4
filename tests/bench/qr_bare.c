/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * qr_bare.c: the reference for tests/bench/qr.sh, a bare libfcgi loop
 * that answers every request with a fixed 200, on the socket named by
 * argv[1], in argv[2] processes (default 1; as many as the program it
 * is compared with has workers).  hearsay-qr's rate is reported as a
 * fraction of this one.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <fcgiapp.h>

#define BARE_MAXPROCS	16

int
main(int argc, char *argv[])
{
	FCGX_Request	 r;
	int		 fd, i, n = 1;

	if (argc == 3)
		n = atoi(argv[2]);
	if (argc < 2 || argc > 3 || n < 1 || n > BARE_MAXPROCS ||
	    FCGX_Init() != 0 || (fd = FCGX_OpenSocket(argv[1], 64)) < 0)
		return 1;
	/* The listening socket is shared, as a prefork master's is. */
	for (i = 1; i < n; i++)
		if (fork() == 0)
			break;
	if (FCGX_InitRequest(&r, fd, 0) != 0)
		return 1;
	while (FCGX_Accept_r(&r) >= 0) {
		FCGX_PutS("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\n"
		    "ok\n", r.out);
		FCGX_Finish_r(&r);
	}
	return 0;
}
