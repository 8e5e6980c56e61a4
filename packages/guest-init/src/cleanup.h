/*
 * Scope-bound release of descriptors and memory (__attribute__((cleanup)), as systemd and
 * bubblewrap use it): an early return or a failure path cannot leak what the scope holds.
 */
#ifndef VSB_CLEANUP_H
#define VSB_CLEANUP_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Closes *fd when it is open and marks it closed, keeping errno for the message the caller may
 * still write: the scope's cleanup, and an early close within the scope.
 */
static inline void close_fdp(int *fd)
{
	int e = errno;

	if (*fd >= 0)
		close(*fd);
	*fd = -1;
	errno = e;
}

/* Both ends of a pipe or socket pair, as close_fdp. */
static inline void close_pairp(int (*p)[2])
{
	close_fdp(&(*p)[0]);
	close_fdp(&(*p)[1]);
}

static inline void freep(void *p)
{
	free(*(void **)p);
}

/* Hands an owned descriptor on (to a struct, a caller): the scope no longer closes it. */
static inline int steal_fd(int *fd)
{
	int r = *fd;

	*fd = -1;
	return r;
}

/* Hands owned memory on, as steal_fd. */
static inline void *steal_ptr(void *p)
{
	void *r = *(void **)p;

	*(void **)p = NULL;
	return r;
}

#define auto_fd __attribute__((cleanup(close_fdp)))
#define auto_pair __attribute__((cleanup(close_pairp)))
#define auto_free __attribute__((cleanup(freep)))

#endif
