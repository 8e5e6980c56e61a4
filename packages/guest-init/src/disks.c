/* `--disk` block devices: the host attached them (LXC: a loop device; VM: virtio-blk with serial TAG). */
#include "disks.h"

#include "device-mounts.h"
#include "die.h"
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BY_TAG "/dev/disk/by-tag"

void disks_apply(struct vsb_config *c)
{
	size_t i;

	if (!c->ndisks)
		return;
	if ((mkdir("/dev/disk", 0755) < 0 && errno != EEXIST) || (mkdir(BY_TAG, 0755) < 0 && errno != EEXIST))
		die("cannot make " BY_TAG ": %s", strerror(errno));
	for (i = 0; i < c->ndisks; i++) {
		const struct disk_rec *d = &c->disks[i];
		char dev[64], link[128];
		char *copy;

		if (d->device[0] == '/') {
			snprintf(dev, sizeof(dev), "%s", d->device);
		} else if (device_find_disk(d->device, dev, sizeof(dev)) < 0) {
			die("--disk %s: no virtio disk with serial %s", d->tag, d->device);
		}
		snprintf(link, sizeof(link), BY_TAG "/%s", d->tag);
		/*
		 * The app's own device, as a file it made, since it runs without capabilities. Its plain
		 * ids: with a user namespace, the app sees /dev through an idmapped copy (idmap-tree.c)
		 * that shows on-disk id N as its N.
		 */
		if (symlink(dev, link) < 0 || chown(dev, c->uid, c->gid) < 0 || chmod(dev, 0660) < 0)
			die("--disk %s: cannot give %s to the app: %s", d->tag, dev, strerror(errno));
		copy = strdup(dev);
		if (!copy)
			die("out of memory");
		c->writable[c->nwritable++] = copy;
		log_debug("disk %s: %s", link, dev);
	}
}
