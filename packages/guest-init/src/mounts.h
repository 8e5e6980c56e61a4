/* The guest-side mounts of the config (`mount` records, MOUNT_KINDS in config.h), done in order. */
#ifndef VSB_MOUNTS_H
#define VSB_MOUNTS_H

#include "config.h"

/*
 * Remounts the mount at target read-only. A bind remount changes only this mount point's flags; the
 * ones it already has are kept, because leaving out a locked flag (nosuid, nodev ... inherited from
 * the host) makes the kernel refuse. A failure dies (die.h).
 */
void remount_ro(const char *target);

/*
 * The records of c in order; a failure dies. Targets missing from a read-only filesystem get a
 * writable layer (mount-targets.h), read-only again once all records are done.
 */
void mounts_apply(const struct vsb_config *c);

#endif
