/* Guest-side mounts of a VM sandbox's devices: 9p shares (host-bind) and disks (host-image). */
#ifndef VSB_DEVICE_MOUNTS_H
#define VSB_DEVICE_MOUNTS_H

#include "config.h"

/* MOUNT_9P (MOUNT_KINDS): the 9p share tagged m->source on m->target. A failure dies (die.h). */
void mount_9p(const struct mount_rec *m, int staged);

/*
 * MOUNT_DISK: the virtio disk whose serial is m->source (device names follow probe order, which
 * virtio-mmio does not fix) with the first filesystem type the kernel knows that accepts it.
 */
void mount_disk(const struct mount_rec *m, int staged);

/* /dev/vdX of the virtio disk whose serial is `serial` (libvirt `<serial>`) into dev; 0, or -1 when none. */
int device_find_disk(const char *serial, char *dev, size_t len);

#endif
