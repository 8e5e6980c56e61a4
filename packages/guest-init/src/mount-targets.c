/* Mount targets and the writable layers that take them (mount-targets.h). */
#include "mount-targets.h"
#include "cleanup.h"
#include "die.h"
#include "log.h"
#include "mounts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Writable layers added so far (see add_layer); made read-only again once every mount is done. */
#define MAX_LAYERS 64
static char layers[MAX_LAYERS][PATH_MAX];
static size_t nlayers;

/* One entry of `old` into the layer at dst: a symlink copied, a file or directory bound. */
static int mirror_entry(int old, const char *name, const char *dst, const char *src, int rec)
{
	char link[PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd;

	if (fstatat(old, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	if (S_ISLNK(st.st_mode)) {
		n = readlinkat(old, name, link, sizeof(link) - 1);
		if (n < 0)
			return -1;
		link[n] = 0;
		return symlink(link, dst);
	}
	if (S_ISDIR(st.st_mode)) {
		if (mkdir(dst, 0755) < 0)
			return -1;
	} else if ((fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0) {
		return -1;
	} else {
		close(fd);
	}
	return mount(src, dst, NULL, rec ? MS_BIND | MS_REC : MS_BIND, NULL);
}

/*
 * Binds every entry of the directory `old` (an fd opened before `at` was covered) into the fresh
 * tmpfs at `at`: directories and files are bound (recursively, so mounts below come along, each
 * keeping its own flags: read-only stays read-only), symlinks are copied. The entry named `skip`
 * is bound from `skipfd` without its submounts (the root layer's scratch mount sits on it).
 */
static void mirror(int old, const char *at, const char *skip, int skipfd)
{
	char src[PATH_MAX], dst[PATH_MAX];
	struct dirent *e;
	int fd = dup(old);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d)
		die("cannot read %s for a writable layer: %s", at, strerror(errno));
	while ((e = readdir(d))) {
		int is_skip = skip && !strcmp(e->d_name, skip);

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(dst, sizeof(dst), "%s/%s", strcmp(at, "/") ? at : "", e->d_name);
		if (is_skip)
			snprintf(src, sizeof(src), "/proc/self/fd/%d", skipfd);
		else
			snprintf(src, sizeof(src), "/proc/self/fd/%d/%s", old, e->d_name);
		if (mirror_entry(old, e->d_name, dst, src, !is_skip) < 0)
			die("cannot mirror %s in a writable layer: %s", dst, strerror(errno));
	}
	closedir(d);
}

/*
 * Makes `dir` writable for new mount targets without writing to what lies below it: a tmpfs takes
 * its place, holding bind mounts of all its entries. `/` itself cannot be mounted over in place
 * (path lookups start below anything stacked on the root), so its layer is built on /tmp and
 * becomes the root with pivot_root; /tmp's own content is bound back.
 */
static void add_layer(const char *dir)
{
	int root = !strcmp(dir, "/");
	const char *at = root ? "/tmp" : dir;
	auto_fd int old = -1, tmpfd = -1;
	struct stat st;

	if (nlayers == MAX_LAYERS)
		die("too many writable layers (at %s)", dir);
	old = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root)
		tmpfd = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (old < 0 || fstat(old, &st) < 0 || (root && tmpfd < 0))
		die("cannot add a writable layer on %s: %s%s", dir, strerror(errno),
		    root ? " (it is built on /tmp)" : "");
	if (mount("tmpfs", at, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0 || chmod(at, st.st_mode & 07777) < 0 ||
	    chown(at, st.st_uid, st.st_gid) < 0)
		die("cannot add a writable layer on %s: %s", dir, strerror(errno));
	mirror(old, at, root ? "tmp" : NULL, tmpfd);
	if (root &&
	    (chdir(at) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 || chdir("/") < 0))
		die("cannot make the writable layer the root: %s", strerror(errno));
	snprintf(layers[nlayers++], PATH_MAX, "%s", dir);
	log_debug("mount: writable layer on %s", dir);
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

void make_dirs(const char *path)
{
	char buf[PATH_MAX], parent[PATH_MAX];
	struct stat st;
	size_t i, len = strlen(path);

	if (len >= sizeof(buf))
		die("mount target %.64s... is too long", path);
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != 0)
			continue;
		buf[i] = 0;
		if (stat(buf, &st) < 0 && mkdir(buf, 0755) < 0 && errno != EEXIST) {
			int ro = errno == EROFS;

			if (ro)
				add_layer(parent_of(buf, parent));
			if (!ro || mkdir(buf, 0755) < 0)
				die("cannot create mount target %s: %s", path, strerror(errno));
		}
		buf[i] = path[i];
	}
}

void make_file(const char *path)
{
	char parent[PATH_MAX];
	struct stat st;
	int fd;

	if (stat(path, &st) == 0)
		return;
	if (strlen(path) >= sizeof(parent))
		die("mount target %.64s... is too long", path);
	make_dirs(parent_of(path, parent));
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EROFS) {
		add_layer(parent);
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	}
	if (fd < 0)
		die("cannot create mount target %s: %s", path, strerror(errno));
	close(fd);
}

void targets_prepare_root(const struct vsb_config *c)
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
		if (n > 1 && stat(top, &st) < 0 && errno == ENOENT) {
			add_layer("/");
			return;
		}
	}
}

void targets_seal(void)
{
	size_t i;

	for (i = nlayers; i-- > 0;)
		remount_ro(layers[i]);
}
