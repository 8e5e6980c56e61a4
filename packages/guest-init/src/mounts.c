/* The guest-side mounts of the config (`mount` records: bind, tmpfs, ro, move), done in order. */
#include "mounts.h"
#include "device-mounts.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Writable layers added so far (see add_layer); made read-only again once every mount is done. */
#define MAX_LAYERS 64
static char layers[MAX_LAYERS][PATH_MAX];
static size_t nlayers;

/*
 * Binds every entry of the directory `old` (an fd opened before `at` was covered) into the fresh
 * tmpfs at `at`: directories and files are bound (recursively, so mounts below come along, each
 * keeping its own flags: read-only stays read-only), symlinks are copied. The entry named `skip`
 * is bound from `skipfd` without its submounts (the root layer's scratch mount sits on it).
 */
static int mirror(int old, const char *at, const char *skip, int skipfd, char *err, size_t errlen)
{
	char src[PATH_MAX], dst[PATH_MAX], link[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd = dup(old), r = 0;

	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		snprintf(err, errlen, "cannot read %s for a writable layer: %s", at, strerror(errno));
		return -1;
	}
	while (r == 0 && (e = readdir(d))) {
		int is_skip = skip && !strcmp(e->d_name, skip);
		ssize_t n;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(dst, sizeof(dst), "%s/%s", strcmp(at, "/") ? at : "", e->d_name);
		if (fstatat(old, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = -1;
		} else if (S_ISLNK(st.st_mode)) {
			n = readlinkat(old, e->d_name, link, sizeof(link) - 1);
			if (n < 0)
				r = -1;
			else
				link[n] = 0, r = symlink(link, dst);
		} else {
			if (is_skip)
				snprintf(src, sizeof(src), "/proc/self/fd/%d", skipfd);
			else
				snprintf(src, sizeof(src), "/proc/self/fd/%d/%s", old, e->d_name);
			if (S_ISDIR(st.st_mode))
				r = mkdir(dst, 0755);
			else if ((fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
				r = -1;
			else
				close(fd);
			if (r == 0)
				r = mount(src, dst, NULL, is_skip ? MS_BIND : MS_BIND | MS_REC, NULL);
		}
		if (r < 0)
			snprintf(err, errlen, "cannot mirror %s in a writable layer: %s", dst, strerror(errno));
	}
	closedir(d);
	return r;
}

/*
 * Makes `dir` writable for new mount targets without writing to what lies below it: a tmpfs takes
 * its place, holding bind mounts of all its entries (docs/DESIGN.md, "Mount targets"). `/` itself
 * cannot be mounted over in place (path lookups start below anything stacked on the root), so its
 * layer is built on /tmp and becomes the root with pivot_root; /tmp's own content is bound back.
 */
static int add_layer(const char *dir, char *err, size_t errlen)
{
	int root = !strcmp(dir, "/");
	const char *at = root ? "/tmp" : dir;
	int old = -1, tmpfd = -1, r = -1;
	struct stat st;

	if (nlayers == MAX_LAYERS) {
		snprintf(err, errlen, "too many writable layers (at %s)", dir);
		return -1;
	}
	old = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root)
		tmpfd = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (old < 0 || fstat(old, &st) < 0 || (root && tmpfd < 0)) {
		snprintf(err, errlen, "cannot add a writable layer on %s: %s%s", dir, strerror(errno),
			 root ? " (it is built on /tmp)" : "");
		goto out;
	}
	if (mount("tmpfs", at, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0 ||
	    chmod(at, st.st_mode & 07777) < 0 || chown(at, st.st_uid, st.st_gid) < 0) {
		snprintf(err, errlen, "cannot add a writable layer on %s: %s", dir, strerror(errno));
		goto out;
	}
	if (mirror(old, at, root ? "tmp" : NULL, tmpfd, err, errlen) < 0)
		goto out;
	if (root && (chdir(at) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
		     chdir("/") < 0)) {
		snprintf(err, errlen, "cannot make the writable layer the root: %s", strerror(errno));
		goto out;
	}
	snprintf(layers[nlayers++], PATH_MAX, "%s", dir);
	log_debug("mount: writable layer on %s", dir);
	r = 0;
out:
	if (old >= 0)
		close(old);
	if (tmpfd >= 0)
		close(tmpfd);
	return r;
}

/* The directory holding `path` (which has at least one '/'), in buf. */
static const char *parent_of(const char *path, char *buf)
{
	size_t n = (size_t)(strrchr(path, '/') - path);

	memcpy(buf, path, n);
	buf[n ? n : 1] = 0;
	if (!n)
		buf[0] = '/';
	return buf;
}

/* mkdir -p. Only missing components are created; a read-only parent gets a writable layer first. */
int make_dirs(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX], parent[PATH_MAX];
	struct stat st;
	size_t i, len = strlen(path);

	if (len >= sizeof(buf)) {
		snprintf(err, errlen, "mount target %.64s... is too long", path);
		return -1;
	}
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		buf[i] = 0;
		if (stat(buf, &st) < 0 && mkdir(buf, 0755) < 0 && errno != EEXIST) {
			int ro = errno == EROFS;

			if (ro && add_layer(parent_of(buf, parent), err, errlen) < 0)
				return -1;
			if (!ro || mkdir(buf, 0755) < 0) {
				snprintf(err, errlen, "cannot create mount target %s: %s", path, strerror(errno));
				return -1;
			}
		}
		buf[i] = path[i];
	}
	return 0;
}

/* A file can only be bound onto a file: create an empty one (and its parents) when missing. */
static int make_file(const char *path, char *err, size_t errlen)
{
	char parent[PATH_MAX];
	struct stat st;
	int fd;

	if (stat(path, &st) == 0)
		return 0;
	if (strlen(path) >= sizeof(parent) || make_dirs(parent_of(path, parent), err, errlen) < 0)
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EROFS) {
		if (add_layer(parent, err, errlen) < 0)
			return -1;
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot create mount target %s: %s", path, strerror(errno));
		return -1;
	}
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
	if ((S_ISDIR(st.st_mode) ? make_dirs(m->target, err, errlen) : make_file(m->target, err, errlen)) < 0)
		return -1;
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
	if (make_dirs(m->target, err, errlen) < 0)
		return -1;
	if (mount("tmpfs", m->target, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0) {
		snprintf(err, errlen, "cannot mount tmpfs on %s: %s", m->target, strerror(errno));
		return -1;
	}
	return 0;
}

int remount_ro(const char *target, char *err, size_t errlen)
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

	if (statvfs(target, &sv) < 0) {
		snprintf(err, errlen, "cannot remount %s read-only: %s", target, strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (sv.f_flag & keep[i].st)
			flags |= keep[i].ms;
	if (mount(NULL, target, NULL, flags, NULL) < 0) {
		snprintf(err, errlen, "cannot remount %s read-only: %s", target, strerror(errno));
		return -1;
	}
	return 0;
}

/* The staged mount opened by open_staged moves onto the target; it keeps its flags (ro, nosuid ...). */
static int do_move(const struct mount_rec *m, int fd, char *err, size_t errlen)
{
	char src[32];

	if (make_dirs(m->target, err, errlen) < 0)
		return -1;
	snprintf(src, sizeof(src), "/proc/self/fd/%d", fd);
	if (mount(src, m->target, NULL, MS_MOVE, NULL) < 0) {
		snprintf(err, errlen, "cannot move the mount at %s to %s: %s", m->source, m->target, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * True when some target's first component is missing from the root: the root then gets its
 * writable layer before any mount, so that the layer carries nothing mounted by the records and
 * the root itself is never written to.
 */
static int needs_root_layer(const struct vsb_config *c)
{
	char top[PATH_MAX];
	struct stat st;
	size_t i, n;

	for (i = 0; i < c->nmounts; i++) {
		n = strcspn(c->mounts[i].target + 1, "/") + 1;
		if (n >= sizeof(top))
			continue;
		memcpy(top, c->mounts[i].target, n);
		top[n] = 0;
		if (n > 1 && stat(top, &st) < 0 && errno == ENOENT)
			return 1;
	}
	return 0;
}

int mounts_apply(const struct vsb_config *c, char *err, size_t errlen)
{
	int *staged;
	size_t i;
	int r = 0;

	if (!c->nmounts)
		return 0;
	err[0] = 0;
	staged = calloc(c->nmounts, sizeof(*staged));
	if (!staged) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Mounts are moved and the root pivoted: neither works under shared propagation. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		snprintf(err, errlen, "cannot make the mounts private: %s", strerror(errno));
		r = -1;
	} else if (needs_root_layer(c)) {
		r = add_layer("/", err, errlen);
	}
	/* Opened before any record runs: a later tmpfs (on /run, say) may hide where they are staged. */
	for (i = 0; i < c->nmounts; i++)
		staged[i] = -1;
	for (i = 0; r == 0 && i < c->nmounts; i++) {
		if (c->mounts[i].kind == MOUNT_MOVE &&
		    (staged[i] = open(c->mounts[i].source, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
			snprintf(err, errlen, "cannot open the staged mount %s: %s", c->mounts[i].source, strerror(errno));
			r = -1;
		}
	}
	for (i = 0; r == 0 && i < c->nmounts; i++) {
		const struct mount_rec *m = &c->mounts[i];
		static const char *const names[] = { [MOUNT_BIND] = "bind", [MOUNT_TMPFS] = "tmpfs", [MOUNT_RO] = "ro",
						     [MOUNT_MOVE] = "move", [MOUNT_9P] = "9p", [MOUNT_DISK] = "disk" };

		r = m->kind == MOUNT_BIND    ? do_bind(m, err, errlen)
		    : m->kind == MOUNT_TMPFS ? do_tmpfs(m, err, errlen)
		    : m->kind == MOUNT_MOVE  ? do_move(m, staged[i], err, errlen)
		    : m->kind == MOUNT_RO    ? remount_ro(m->target, err, errlen)
					     : device_mount(m, err, errlen);
		if (r == 0)
			log_debug("mount: %s %s", names[m->kind], m->target);
	}
	/* The layers only had to take new mount targets; what the app sees of them stays read-only. */
	for (i = nlayers; r == 0 && i-- > 0;)
		r = remount_ro(layers[i], err, errlen);
	for (i = 0; i < c->nmounts; i++)
		if (staged[i] >= 0)
			close(staged[i]);
	free(staged);
	return r;
}
