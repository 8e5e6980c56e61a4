/*
 * The app's Landlock ruleset (GUEST-CONFIG.md `landlock`, `writable`; DESIGN.md "In-sandbox
 * confinement"): read and execute anywhere, write only beneath the paths the host listed (the
 * sandbox's writable mounts) and to the few device nodes every program expects. Even root, even
 * with capabilities, cannot write elsewhere: Landlock does not yield to CAP_DAC_OVERRIDE.
 */
#include "landlock.h"
#include "cleanup.h"
#include "die.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Rights newer than the kernel headers this may be built against (uapi values, stable). */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif

#define READ_EXEC (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
/* The rights Landlock accepts on a rule for a file (not a directory). */
#define FILE_RIGHTS                                                                                                    \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |                   \
	 LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV)
/* Device nodes: `>/dev/null` opens with O_TRUNC, `stty </dev/tty` needs device ioctls. */
#define DEVICE_RIGHTS                                                                                                  \
	(LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE |                  \
	 LANDLOCK_ACCESS_FS_IOCTL_DEV)

/* Writable for every app, whatever the host listed: the usual character devices and terminals. */
static const char *const devices[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/tty", "/dev/ptmx", "/dev/pts" };

/* The ruleset built by landlock_prepare() in the init, enforced by the app's process. */
static int ruleset_fd = -1;

/* Every filesystem right the running kernel's ABI knows, so nothing new slips through unhandled. */
static __u64 handled_rights(int abi)
{
	__u64 rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0-12 */

	if (abi >= 2)
		rights |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		rights |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	return rights;
}

/* A missing path is skipped: nothing there to write to, and a mount may not exist on a custom root. */
static void add_rule(int fd, const char *path, __u64 rights, __u64 handled)
{
	struct landlock_path_beneath_attr attr = { .allowed_access = rights & handled };
	auto_fd int parent = open(path, O_PATH | O_CLOEXEC);
	struct stat st;

	if (parent < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		log_debug("landlock: %s: %s, skipped", path, strerror(errno));
		return;
	}
	if (parent < 0)
		die("landlock: cannot open %.200s: %s", path, strerror(errno));
	attr.parent_fd = parent;
	if (fstat(parent, &st) == 0 && !S_ISDIR(st.st_mode))
		attr.allowed_access &= FILE_RIGHTS;
	if (syscall(__NR_landlock_add_rule, fd, LANDLOCK_RULE_PATH_BENEATH, &attr, 0) < 0)
		die("landlock: cannot add a rule for %.200s: %s", path, strerror(errno));
}

void landlock_prepare(const struct vsb_config *c)
{
	struct landlock_ruleset_attr attr = { 0 };
	int abi, fd;
	size_t i;

	if (!c->landlock)
		return;
	abi = (int)syscall(__NR_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0) {
		/* ENOSYS: built without Landlock; EOPNOTSUPP: not in the active LSM list. */
		log_debug("landlock: not available (%s), the app runs without it", strerror(errno));
		return;
	}
	attr.handled_access_fs = handled_rights(abi);
	fd = (int)syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		die("landlock: cannot create a ruleset (ABI %d): %s", abi, strerror(errno));
	add_rule(fd, "/", READ_EXEC, attr.handled_access_fs);
	for (i = 0; i < sizeof(devices) / sizeof(devices[0]); i++)
		add_rule(fd, devices[i], DEVICE_RIGHTS, attr.handled_access_fs);
	for (i = 0; i < c->nwritable; i++)
		add_rule(fd, c->writable[i], attr.handled_access_fs, attr.handled_access_fs);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	ruleset_fd = fd;
	log_debug("landlock: ABI %d, %zu writable paths", abi, c->nwritable);
}

int landlock_enforce(void)
{
	if (ruleset_fd < 0)
		return 0;
	/* Landlock demands no_new_privs unless the caller has CAP_SYS_ADMIN; a privileged app gets it too. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(__NR_landlock_restrict_self, ruleset_fd, 0);
}
