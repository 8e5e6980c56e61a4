/*
 * libvirt's LXC driver serves /proc/meminfo from a FUSE file system with the sandbox's own memory
 * limit, but that file cannot seek (lseek gives ESPIPE), and procps needs to: `free` fails with
 * "Unable to create meminfo structure", `top` shows ? for %CPU/%MEM, `ps aux` has no %MEM. So the
 * init copies libvirt's content into a file on a tmpfs of its own (detached: no path in the
 * sandbox leads to it, and no user mount can be under it), mounts that file read-only over
 * /proc/meminfo, and rewrites it every second from its poll loop, re-opening libvirt's file
 * through an O_PATH fd kept from before (its path is hidden afterwards). A VM's /proc needs none.
 */
#include "meminfo.h"
#include "log.h"
#include "read-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define MEMINFO "/proc/meminfo"

static int source_fd = -1; /* O_PATH to libvirt's file */
static int copy_fd = -1; /* the copy, opened through its tmpfs's writable mount */
static int timer_fd = -1;

/* Copies libvirt's current content into the memfd; 0 or -1. */
static int copy_once(void)
{
	char path[64], buf[8192];
	size_t len = sizeof(buf);

	snprintf(path, sizeof(path), "/proc/self/fd/%d", source_fd);
	if (!read_file(path, buf, &len))
		return -1;
	/* Rewritten in place: a reader sees the old or the new numbers, the lines the same. */
	if (pwrite(copy_fd, buf, len, 0) != (ssize_t)len || ftruncate(copy_fd, (off_t)len) < 0)
		return -1;
	return 0;
}

void meminfo_setup(void)
{
	struct itimerspec every_second = { { 1, 0 }, { 1, 0 } };
	int fd = open(MEMINFO, O_RDONLY | O_CLOEXEC), fs = -1, mnt = -1, tree = -1;

	if (fd < 0)
		return;
	if (lseek(fd, 0, SEEK_SET) == 0 || errno != ESPIPE) {
		close(fd);
		return;
	}
	close(fd);
	source_fd = open(MEMINFO, O_PATH | O_CLOEXEC);
	/* A memfd cannot be bound (its mount is not in this namespace): a detached tmpfs can. */
	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (source_fd < 0 || fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "size", "64k", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto fail;
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
	if (mnt < 0)
		goto fail;
	copy_fd = openat(mnt, "meminfo", O_CREAT | O_RDWR | O_CLOEXEC, 0444);
	if (copy_fd < 0 || copy_once() < 0)
		goto fail;
	tree = open_tree(mnt, "meminfo", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree < 0 || move_mount(tree, "", AT_FDCWD, MEMINFO, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		goto fail;
	/* Only the mount over /proc/meminfo: copy_fd writes through the detached one. */
	if (mount(NULL, MEMINFO, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		log_debug("meminfo: cannot make the copy read-only: %s", strerror(errno));
	close(tree);
	close(mnt);
	close(fs);
	timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (timer_fd >= 0)
		timerfd_settime(timer_fd, 0, &every_second, NULL);
	log_debug("meminfo: a seekable copy of libvirt's %s, refreshed every second", MEMINFO);
	return;
fail:
	log_debug("meminfo: cannot replace %s: %s", MEMINFO, strerror(errno));
	if (tree >= 0)
		close(tree);
	if (mnt >= 0)
		close(mnt);
	if (fs >= 0)
		close(fs);
	if (source_fd >= 0)
		close(source_fd);
	if (copy_fd >= 0)
		close(copy_fd);
	source_fd = copy_fd = -1;
}

int meminfo_timer_fd(void)
{
	return timer_fd;
}

void meminfo_refresh(void)
{
	unsigned long long ticks;

	if (read(timer_fd, &ticks, sizeof(ticks)) < 0 && errno == EAGAIN)
		return;
	if (copy_once() < 0)
		log_debug("meminfo: refresh failed: %s", strerror(errno));
}
