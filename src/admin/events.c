/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * events.c: hearsay-admin commands of this area (placeholder until the area
 * lands).
 */
#include "config.h"

#include <stdio.h>

#include "hearsay.h"
#include "admin.h"

int
adm_event(struct adm *a, int argc, char **argv)
{

	fprintf(stderr, "hearsay-admin: event: not available yet\n");
	return ADM_FAIL;
}

int
adm_host(struct adm *a, int argc, char **argv)
{

	fprintf(stderr, "hearsay-admin: host: not available yet\n");
	return ADM_FAIL;
}

int
adm_events_demo(struct adm *a)
{

	return ADM_OK;
}
