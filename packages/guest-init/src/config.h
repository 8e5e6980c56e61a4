/* Reader of the guest config file (docs/GUEST-CONFIG.md): NUL-terminated KEY=VALUE records. */
#ifndef VSB_CONFIG_H
#define VSB_CONFIG_H

#include <stddef.h>
#include <sys/types.h>

/* MOUNT_9P and MOUNT_DISK are the devices of a VM sandbox (device-mounts.h). */
enum mount_kind { MOUNT_BIND, MOUNT_TMPFS, MOUNT_RO, MOUNT_MOVE, MOUNT_9P, MOUNT_DISK };

struct mount_rec {
	enum mount_kind kind;
	const char *source;
	const char *target;
	const char *options;
	unsigned long long size; /* tmpfs bytes, 0 = kernel default */
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
	char **env; /* KEY=VALUE in file order */
	size_t nenv;
	char **argv; /* NULL-terminated */
	size_t nargv;
	struct mount_rec *mounts;
	size_t nmounts;
	/* First problem found; parsing goes on so that channel and debug are known for reporting it. */
	char err[256];
};

/* Both return 0, or -1 with c->err set. config_parse takes ownership of buf (malloc'ed). */
int config_read(const char *path, struct vsb_config *c);
int config_parse(char *buf, size_t len, struct vsb_config *c);
void config_free(struct vsb_config *c);

#endif
