/*
 * Copyright (c) 2026 The hearsay authors.  ISC licence: see LICENSE.
 *
 * side.h: a thread beside the run's own (side.c).  Needs <pthread.h>
 * and run.h.
 */
#ifndef SIDE_H
#define SIDE_H

struct hs_db	*rc_side_db(struct run *);
struct hs_db	*rc_side_open(const struct hs_conf *);
int		 rc_side_start(pthread_t *, void *(*)(void *), void *);

#endif /* !SIDE_H */
