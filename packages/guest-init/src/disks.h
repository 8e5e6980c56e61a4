/* `--disk` block devices (config key `disk`): /dev/disk/by-tag/TAG, owned by the app. */
#ifndef VSB_DISKS_H
#define VSB_DISKS_H

#include "config.h"

#include <stddef.h>

/*
 * For each disk record: finds the device (a VM's by virtio serial), links it as
 * /dev/disk/by-tag/TAG, gives it to the app's ids (inside its user namespace too) with mode 0660,
 * and lists it as writable for Landlock (c->writable has a slot per record). A failure dies (die.h).
 */
void disks_apply(struct vsb_config *c);

#endif
