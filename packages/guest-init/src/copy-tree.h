/* Includes into mounts only the guest has (ram, guest-bind, a VM's disks): config key `copy`. */
#ifndef VSB_COPY_TREE_H
#define VSB_COPY_TREE_H

#include "config.h"

#include <stddef.h>

/*
 * Opens the directory of each record's source (in the config dir, under /run, which the private
 * /run tmpfs then hides), before the mounts. A failure dies (die.h).
 */
void copies_prepare(const struct vsb_config *c);

/*
 * After copies_prepare and the mounts: copies each record's source (a file, directory or symlink the host staged in the config dir)
 * to its target, recursively, with modes, symlinks as symlinks, missing parents made (0755).
 * A failure dies (die.h).
 */
void copies_apply(const struct vsb_config *c);

#endif
