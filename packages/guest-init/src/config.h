/* Reader of the guest config file (docs/GUEST-CONFIG.md): NUL-terminated KEY=VALUE records. */
#ifndef VSB_CONFIG_H
#define VSB_CONFIG_H

#include <stddef.h>
#include <sys/types.h>

/* What the source field of a `mount` record holds. */
enum mount_source {
	SOURCE_PATH, /* an absolute path */
	SOURCE_SIZE, /* tmpfs bytes, 0 = kernel default */
	SOURCE_NONE, /* nothing: empty */
	SOURCE_NAME, /* a device's name (9p tag, disk serial): not empty */
};

/*
 * The one table of mount kinds: X(kind, name in the file, source, takes options, the step that
 * mounts it). 9p and disk are the devices of a VM sandbox (device-mounts.h); the steps are
 * mounts.c's and device-mounts.c's, read only where the table is expanded with them (mounts.c).
 */
#define MOUNT_KINDS(X)                                                                                                 \
	X(MOUNT_BIND, "bind", SOURCE_PATH, 0, mount_bind)                                                              \
	X(MOUNT_TMPFS, "tmpfs", SOURCE_SIZE, 1, mount_tmpfs)                                                           \
	X(MOUNT_RO, "ro", SOURCE_NONE, 0, mount_ro)                                                                    \
	X(MOUNT_MOVE, "move", SOURCE_PATH, 0, mount_move)                                                              \
	X(MOUNT_9P, "9p", SOURCE_NAME, 0, mount_9p)                                                                    \
	X(MOUNT_DISK, "disk", SOURCE_NAME, 0, mount_disk)

#define MOUNT_KIND_ENUM(kind, name, source, options, step) kind,
enum mount_kind { MOUNT_KINDS(MOUNT_KIND_ENUM) MOUNT_KIND_COUNT };
#undef MOUNT_KIND_ENUM

/* Ids inside the app's user namespace: 0 .. USERNS_SIZE-1 are host userns .. userns+USERNS_SIZE-1. */
#define USERNS_SIZE 65536u

struct mount_rec {
	enum mount_kind kind;
	const char *source;
	const char *target;
	const char *options;
	unsigned long long size; /* tmpfs bytes, 0 = kernel default */
};

/* Network work of the init (net.c), key `net`: find a link by MAC and name it, DHCP, a static address, a route. */
enum net_kind { NET_LINK, NET_DHCP, NET_ADDR, NET_ROUTE };

struct net_rec {
	enum net_kind kind;
	const char *ifname;
	const char *a; /* link: MAC; addr: IP/PREFIX; route: NET/PREFIX */
	const char *b; /* addr: broadcast or ""; route: gateway */
};

/* A block device the app gets as /dev/disk/by-tag/TAG (key `disk`, disks.c). */
struct disk_rec {
	const char *tag;
	const char *device; /* absolute: a device node (LXC); else a virtio serial (VM) */
};

/* An include the init copies from the config dir once the mounts are done (key `copy`, copy-tree.c). */
struct copy_rec {
	const char *source;
	const char *target;
};

struct vsb_config {
	char *buf; /* the file; every string below points into it */
	const char *name, *user, *home, *channel, *term, *cwd;
	const char *shell; /* tty of the debug root shell (`--shell`), or NULL */
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t ngroups;
	int privileged, tty, debug;
	int cwd_soft; /* `cwdsoft=1`: a cwd that cannot be entered falls back to home, then / */
	int split_stderr; /* `splitstderr=1`: in tty mode the app's stderr is a pipe, apart from the pty */
	int seccomp, landlock; /* confine the app (seccomp.c, landlock.c); absent = 0 */
	const char **writable; /* Landlock: paths the app may write beneath, in file order */
	size_t nwritable;
	int channel_unix; /* `channeltype=unix`: channel is a unix socket to connect to */
	unsigned userns; /* host id of the app's root in its own user namespace; 0 = none (userns.h) */
	unsigned pids; /* at most this many processes in the sandbox; 0 = no bound */
	char **env; /* KEY=VALUE in file order */
	size_t nenv;
	char **argv; /* NULL-terminated */
	size_t nargv;
	struct mount_rec *mounts;
	size_t nmounts;
	struct net_rec *nets;
	size_t nnets;
	struct disk_rec *disks;
	size_t ndisks;
	struct copy_rec *copies;
	size_t ncopies;
	/* First problem found; parsing goes on so that channel and debug are known for reporting it. */
	char err[256];
};

/* Both return 0, or -1 with c->err set. config_parse takes ownership of buf (malloc'ed). */
int config_read(const char *path, struct vsb_config *c);
int config_parse(char *buf, size_t len, struct vsb_config *c);
void config_free(struct vsb_config *c);

#endif
