/* The idmapped copy of the mount tree for a user-namespaced app (idmap-tree.h). */
#include "idmap-tree.h"
#include "cleanup.h"
#include "die.h"
#include "log.h"
#include "mounts.h"
#include "read-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

/* One line of /proc/self/mountinfo, as far as the swap needs it. */
struct mnt {
	char *point; /* unescaped mount point */
	const char *fstype;
	int ro;
	int given; /* a host-bind or host-image the user gave (a `move` record's target) */
	int hidden; /* taken out of the app's tree: the kernel would not idmap it */
};

/* Kernel filesystems: no host file lives there, and most cannot be idmapped. */
static const char *const pseudo[] = { "proc",	  "sysfs",   "devpts",	  "cgroup",	 "cgroup2",   "mqueue",
				      "fuse",	  "fusectl", "devtmpfs",  "securityfs",	 "debugfs",   "tracefs",
				      "bpf",	  "pstore",  "configfs",  "binfmt_misc", "hugetlbfs", "autofs",
				      "efivarfs", "nsfs",    "rpc_pipefs" };

static int is_pseudo(const struct mnt *m)
{
	size_t i;

	for (i = 0; i < sizeof(pseudo) / sizeof(pseudo[0]); i++)
		if (!strcmp(m->fstype, pseudo[i]))
			return 1;
	/* The tmpfs holding the cgroup mounts is libvirt's, made read-only like them. */
	return !strcmp(m->fstype, "tmpfs") && !strcmp(m->point, "/sys/fs/cgroup");
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
		    s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = 0;
}

/* Parses mountinfo in place; a mount point seen again (stacked) keeps its last, topmost entry. */
static size_t parse_mountinfo(char *text, struct mnt *out, size_t max)
{
	size_t n = 0, i;
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save)) {
		char *f[6], *sep, *tok, *fsave = NULL;
		int k;

		for (k = 0, tok = strtok_r(line, " ", &fsave); tok && k < 6; tok = strtok_r(NULL, " ", &fsave))
			f[k++] = tok;
		sep = tok;
		while (sep && strcmp(sep, "-"))
			sep = strtok_r(NULL, " ", &fsave);
		if (k < 6 || !sep || !(tok = strtok_r(NULL, " ", &fsave)))
			continue;
		unescape(f[4]);
		for (i = 0; i < n && strcmp(out[i].point, f[4]); i++)
			;
		out[i] = (struct mnt){ .point = f[4],
				       .fstype = tok,
				       .ro = !strncmp(f[5], "ro", 2) && (f[5][2] == ',' || !f[5][2]) };
		n += i == n;
	}
	return n;
}

/* Shallowest first: a mount's copy carries copies of the mounts below it, idmapped after it. */
static int shallower_first(const void *a, const void *b)
{
	size_t la = strlen(((const struct mnt *)a)->point), lb = strlen(((const struct mnt *)b)->point);

	return la < lb ? -1 : la > lb ? 1 : 0;
}

/*
 * The kernel idmaps only a mount that was never attached, so the mount at m->point is copied
 * (with everything below it), the copy idmapped and put over the original. The root's copy
 * becomes the root as the root's writable layer does (mount-targets.c). Returns 0, or 1 when the
 * kernel will not idmap this mount (errno says why: EINVAL for a filesystem without idmapped mounts
 * or an unbindable mount, EPERM for one idmapped already); any other failure dies.
 */
static int idmap_one(const struct mnt *m, int rw_ns, int ro_ns)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP,
				   .userns_fd = (uint64_t)(m->ro && !m->given ? ro_ns : rw_ns) };
	int root = !strcmp(m->point, "/"), r = 0;
	auto_fd int fd =
		open_tree(AT_FDCWD, m->point, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_SYMLINK_NOFOLLOW);
	/*
	 * Below another mount (a staging dir under the private /run), or below a directory that only
	 * its host owner may enter: inodes the idmapping leaves unmapped give no capability, so what
	 * the init cannot reach through the idmapped parents, the app cannot either.
	 */
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR || errno == EACCES)) {
		log_debug("idmap: %s (%s) is out of the app's reach: %s", m->point, m->fstype, strerror(errno));
		return 0;
	}
	if (fd < 0)
		r = errno == EINVAL ? 1 : -1;
	else if (mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		r = errno == EINVAL || errno == EPERM ? 1 : -1;
	else if (move_mount(fd, "", AT_FDCWD, root ? "/tmp" : m->point, MOVE_MOUNT_F_EMPTY_PATH) < 0 ||
		 (root && (chdir("/tmp") < 0 || syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
			   chdir("/") < 0)))
		r = -1;
	if (r < 0)
		die("cannot idmap the mount %.128s (%s) for the sandbox's user namespace: %s", m->point, m->fstype,
		    strerror(errno));
	if (r == 0)
		log_debug("idmap: %s (%s, %s%s)", m->point, m->fstype, m->ro ? "read-only" : "read-write",
			  m->given ? ", given" : "");
	return r;
}

/* Whether point lies below dir (not at it); dir is never the root, which is not taken out. */
static int below(const char *point, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(point, dir, n) && point[n] == '/';
}

/*
 * A mount the kernel will not idmap (errno set by idmap_one). Seen as it is, its files would keep
 * their host ids, and a host socket or FIFO there would take the app's writes whatever the read-only
 * flag. So the host's own mounts of that kind are taken out of the tree (every mount stacked at the
 * point and all below it): the app sees the directory under them, idmapped with their parent. The
 * root, and the host-binds and images the user gave, cannot be taken out: read-only they stay as the
 * host has them (the user chose to show them), read-write they are an error, since the app's writes
 * would not land as the caller.
 */
static void not_idmappable(struct mnt *m, const struct mnt *mnts, size_t n)
{
	int e = errno;
	size_t i;

	if (m->given || !strcmp(m->point, "/")) {
		if (e == EINVAL && m->ro) {
			log_debug("idmap: %s (%s) cannot be idmapped; its files are the host's, read-only", m->point,
				  m->fstype);
			return;
		}
		die("cannot idmap the mount %.128s (%s) for the sandbox's user namespace: %s", m->point, m->fstype,
		    strerror(e));
	}
	for (i = 0; i < n; i++)
		if (mnts[i].given && below(mnts[i].point, m->point))
			die("cannot idmap the host's mount %.128s (%s), which holds the mount %.128s: %s", m->point,
			    m->fstype, mnts[i].point, strerror(e));
	while (umount2(m->point, MNT_DETACH | UMOUNT_NOFOLLOW) == 0)
		;
	if (errno != EINVAL)
		die("cannot hide the mount %.128s (%s), which cannot be idmapped: %s", m->point, m->fstype,
		    strerror(errno));
	m->hidden = 1;
	log_debug("idmap: %s (%s) cannot be idmapped (%s): hidden from the app", m->point, m->fstype, strerror(e));
}

/* Whether a mount point lies below one taken out of the tree. */
static int under_hidden(const struct mnt *m, const struct mnt *mnts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (mnts[i].hidden && below(m->point, mnts[i].point))
			return 1;
	return 0;
}

/* The user's own mounts are seen with the app's ids even when read-only: its files are the caller's. */
static void mark_given(const struct vsb_config *c, struct mnt *mnts, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < c->nmounts; j++)
			if (c->mounts[j].kind == MOUNT_MOVE && !strcmp(c->mounts[j].target, mnts[i].point))
				mnts[i].given = 1;
}

void idmap_tree(const struct vsb_config *c, int rw_ns, int ro_ns)
{
	size_t size = 0, n, i;
	auto_free char *text = read_file("/proc/self/mountinfo", NULL, &size);
	auto_free struct mnt *mnts = text ? calloc(size / 16 + 1, sizeof(*mnts)) : NULL;

	if (!mnts)
		die("cannot read the mount table: %s", strerror(errno ? errno : ENOMEM));
	n = parse_mountinfo(text, mnts, size / 16 + 1);
	mark_given(c, mnts, n);
	qsort(mnts, n, sizeof(*mnts), shallower_first);
	/* Moving copies over the originals and pivoting do not work under shared propagation. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("cannot make the mounts private: %s", strerror(errno));
	/* The container's cgroups are libvirt's: the app may read them, never write. */
	for (i = 0; i < n; i++)
		if (!strncmp(mnts[i].point, "/sys/fs/cgroup", 14))
			remount_ro(mnts[i].point);
	for (i = 0; i < n; i++)
		if (!is_pseudo(&mnts[i]) && !under_hidden(&mnts[i], mnts, i) && idmap_one(&mnts[i], rw_ns, ro_ns))
			not_idmappable(&mnts[i], mnts, n);
}
