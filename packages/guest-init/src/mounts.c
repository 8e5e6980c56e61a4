/* The guest-side mounts of the config (`mount` records: bind, tmpfs, ro), done in order. */
#include "mounts.h"
#include "device-mounts.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* mkdir -p. Only missing components are created, so an existing target on a read-only fs is fine. */
int make_dirs(const char *path)
{
	char buf[PATH_MAX];
	struct stat st;
	size_t i, len = strlen(path);

	if (len >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		buf[i] = 0;
		if (stat(buf, &st) < 0 && (mkdir(buf, 0755) < 0 && errno != EEXIST))
			return -1;
		buf[i] = path[i];
	}
	return 0;
}

/* A file can only be bound onto a file: create an empty one (and its parents) when missing. */
static int make_file(const char *path)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;
	int fd;

	if (stat(path, &st) == 0)
		return 0;
	if ((size_t)(slash - path) >= sizeof(parent)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(parent, path, (size_t)(slash - path));
	parent[slash - path] = 0;
	if (parent[0] && make_dirs(parent) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int do_bind(const struct mount_rec *m, char *err, size_t errlen)
{
	struct stat st;

	if (stat(m->source, &st) < 0) {
		snprintf(err, errlen, "cannot bind %s: %s", m->source, strerror(errno));
		return -1;
	}
	if ((S_ISDIR(st.st_mode) ? make_dirs(m->target) : make_file(m->target)) < 0) {
		snprintf(err, errlen, "cannot create mount target %s: %s", m->target, strerror(errno));
		return -1;
	}
	if (mount(m->source, m->target, NULL, MS_BIND | MS_REC, NULL) < 0) {
		snprintf(err, errlen, "cannot bind %s to %s: %s", m->source, m->target, strerror(errno));
		return -1;
	}
	return 0;
}

static int do_tmpfs(const struct mount_rec *m, char *err, size_t errlen)
{
	char data[512];
	int n = 0;

	if (m->size)
		n = snprintf(data, sizeof(data), "size=%llu", m->size);
	if (m->options[0])
		n += snprintf(data + n, sizeof(data) - (size_t)n, "%s%s", n ? "," : "", m->options);
	if ((size_t)n >= sizeof(data)) {
		snprintf(err, errlen, "tmpfs options for %s too long", m->target);
		return -1;
	}
	data[n] = 0;
	if (make_dirs(m->target) < 0) {
		snprintf(err, errlen, "cannot create mount target %s: %s", m->target, strerror(errno));
		return -1;
	}
	if (mount("tmpfs", m->target, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0) {
		snprintf(err, errlen, "cannot mount tmpfs on %s: %s", m->target, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A bind remount changes only this mount point's flags; the ones it already has are kept, because
 * leaving out a locked flag (nosuid, nodev ... inherited from the host) makes the kernel refuse.
 */
static int do_ro(const struct mount_rec *m, char *err, size_t errlen)
{
	static const struct {
		unsigned long st, ms;
	} keep[] = {
		{ ST_NOSUID, MS_NOSUID },	{ ST_NODEV, MS_NODEV },	      { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME },	{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	struct statvfs sv;
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
	size_t i;

	if (statvfs(m->target, &sv) < 0) {
		snprintf(err, errlen, "cannot remount %s read-only: %s", m->target, strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (sv.f_flag & keep[i].st)
			flags |= keep[i].ms;
	if (mount(NULL, m->target, NULL, flags, NULL) < 0) {
		snprintf(err, errlen, "cannot remount %s read-only: %s", m->target, strerror(errno));
		return -1;
	}
	return 0;
}

int mounts_apply(const struct vsb_config *c, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < c->nmounts; i++) {
		const struct mount_rec *m = &c->mounts[i];
		int r = m->kind == MOUNT_BIND	 ? do_bind(m, err, errlen)
			: m->kind == MOUNT_TMPFS ? do_tmpfs(m, err, errlen)
			: m->kind == MOUNT_RO	 ? do_ro(m, err, errlen)
						 : device_mount(m, err, errlen);

		if (r < 0)
			return -1;
		log_debug("mount: %s %s", m->kind == MOUNT_BIND ? "bind" : m->kind == MOUNT_TMPFS ? "tmpfs"
					  : m->kind == MOUNT_RO ? "ro" : "device",
			  m->target);
	}
	return 0;
}
