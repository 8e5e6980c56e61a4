/* Guest-side mounts of a VM sandbox's devices: 9p shares (host-bind) and disks (host-image). */
#include "device-mounts.h"
#include "die.h"
#include "mount-targets.h"
#include "nine-p-options.h"
#include "read-file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

/* No cache: what the app writes must be on the host when it exits (host-bind is write-through). */
#define SHARE_OPTS ",msize=262144"

/* /dev/vdX of the virtio disk whose serial is `serial` (libvirt `<serial>`). */
int device_find_disk(const char *serial, char *dev, size_t len)
{
	DIR *d = opendir("/sys/block");
	struct dirent *e;
	int found = -1;

	while (d && found < 0 && (e = readdir(d))) {
		char path[300], value[128];
		size_t n = sizeof(value);

		snprintf(path, sizeof(path), "/sys/block/%s/serial", e->d_name);
		if (e->d_name[0] == '.' || !read_file(path, value, &n))
			continue;
		value[strcspn(value, "\n")] = 0;
		if (!strcmp(value, serial)) {
			snprintf(dev, len, "/dev/%s", e->d_name);
			found = 0;
		}
	}
	if (d)
		closedir(d);
	return found;
}

/* Like mount(8) without a type: each block filesystem of /proc/filesystems in turn. */
static int mount_any_fs(const char *dev, const char *target)
{
	char list[4096], *line, *save;
	size_t len = sizeof(list);
	int e = ENODEV;

	if (!read_file("/proc/filesystems", list, &len))
		return -1;
	for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "nodev", 5))
			continue;
		while (*line == '\t' || *line == ' ')
			line++;
		if (mount(dev, target, line, MS_NOSUID | MS_NODEV, NULL) == 0)
			return 0;
		/* EINVAL: not this filesystem; anything else (EROFS, EACCES ...) is the answer. */
		if (errno != EINVAL)
			return -1;
		e = errno;
	}
	errno = e;
	return -1;
}

void mount_9p(const struct mount_rec *m, int staged)
{
	char opts[128];

	(void)staged;
	make_dirs(m->target);
	if (nine_p_options(opts, sizeof(opts), SHARE_OPTS) < 0)
		die("cannot mount 9p share %s on %s: no valid " NINE_P_TRANSPORT_ENV "= on the kernel command line",
		    m->source, m->target);
	if (mount(m->source, m->target, "9p", MS_NOSUID | MS_NODEV, opts) < 0)
		die("cannot mount 9p share %s on %s: %s", m->source, m->target, strerror(errno));
}

void mount_disk(const struct mount_rec *m, int staged)
{
	char dev[300];

	(void)staged;
	make_dirs(m->target);
	if (device_find_disk(m->source, dev, sizeof(dev)) < 0)
		die("no disk with serial %s for %s", m->source, m->target);
	if (mount_any_fs(dev, m->target) < 0)
		die("cannot mount %s on %s: %s", dev, m->target, strerror(errno));
}
