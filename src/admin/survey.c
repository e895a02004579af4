/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * survey.c: hearsay-admin commands of this area (placeholder until the area
 * lands).
 */
#include "config.h"

#include <stdio.h>

#include "hearsay.h"
#include "admin.h"

int
adm_survey(struct adm *a, int argc, char **argv)
{

	fprintf(stderr, "hearsay-admin: survey: not available yet\n");
	return ADM_FAIL;
}

int
adm_apikey(struct adm *a, int argc, char **argv)
{

	fprintf(stderr, "hearsay-admin: apikey: not available yet\n");
	return ADM_FAIL;
}

int
adm_forget(struct adm *a, int argc, char **argv)
{

	fprintf(stderr, "hearsay-admin: forget: not available yet\n");
	return ADM_FAIL;
}

int
adm_survey_demo(struct adm *a)
{

	return ADM_OK;
}
