/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * users.c: hearsay-admin commands of this area (placeholder until the area
 * lands).
 */
#include "config.h"

#include <stdio.h>

#include "hearsay.h"
#include "admin.h"

int
adm_user(struct adm *a, int argc, char **argv)
{

	fprintf(stderr, "hearsay-admin: user: not available yet\n");
	return ADM_FAIL;
}

int
adm_users_demo(struct adm *a)
{

	return ADM_OK;
}
