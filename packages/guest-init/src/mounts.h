/* The guest-side mounts of the config (`mount` records: bind, tmpfs, ro, move), done in order. */
#ifndef VSB_MOUNTS_H
#define VSB_MOUNTS_H

#include "config.h"

/* mkdir -p of a mount target (a read-only parent gets a writable layer). Returns 0, or -1 with a reason in err. */
int make_dirs(const char *path, char *err, size_t errlen);

/*
 * Remounts the mount at target read-only. A bind remount changes only this mount point's flags; the
 * ones it already has are kept, because leaving out a locked flag (nosuid, nodev ... inherited from
 * the host) makes the kernel refuse. Returns 0, or -1 with a reason in err.
 */
int remount_ro(const char *target, char *err, size_t errlen);

/*
 * Returns 0, or -1 with a one-line reason in err. Targets missing from a read-only filesystem get a
 * writable layer (a tmpfs mirroring the directory), read-only again once all records are done.
 */
int mounts_apply(const struct vsb_config *c, char *err, size_t errlen);

#endif
