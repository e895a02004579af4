/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * links.c: hearsay-admin commands of this area (placeholder until the area
 * lands).
 */
#include "config.h"

#include <stdio.h>

#include "hearsay.h"
#include "admin.h"

int
adm_campaign(struct adm *a, int argc, char **argv)
{

	fprintf(stderr, "hearsay-admin: campaign: not available yet\n");
	return ADM_FAIL;
}

int
adm_advocate(struct adm *a, int argc, char **argv)
{

	fprintf(stderr, "hearsay-admin: advocate: not available yet\n");
	return ADM_FAIL;
}

int
adm_link(struct adm *a, int argc, char **argv)
{

	fprintf(stderr, "hearsay-admin: link: not available yet\n");
	return ADM_FAIL;
}

int
adm_links_demo(struct adm *a)
{

	return ADM_OK;
}
