/*
 * Mount targets: made where they are missing, and where their parent is read-only on a writable
 * layer (a tmpfs mirroring the directory, DESIGN.md "Mount targets"), so the root is never written.
 */
#ifndef VSB_MOUNT_TARGETS_H
#define VSB_MOUNT_TARGETS_H

#include "config.h"

/* mkdir -p of a mount target (a read-only parent gets a writable layer). A failure dies (die.h). */
void make_dirs(const char *path);

/* A file can only be bound onto a file: creates an empty one (and its parents) when missing. */
void make_file(const char *path);

/*
 * Before any record runs: when some target's first component is missing from the root, the root
 * gets its writable layer now, so that the layer carries nothing mounted by the records.
 */
void targets_prepare_root(const struct vsb_config *c);

/* Once every record is done: the layers only had to take new targets, the app sees them read-only. */
void targets_seal(void);

#endif
