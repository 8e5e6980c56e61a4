/* Switching to the app's identity and dropping capabilities (GUEST-CONFIG.md uid/gid/groups/privileged). */
#include "identity.h"
#include "die.h"
#include "log.h"
#include "read-file.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int last_cap(void)
{
	char buf[16];
	size_t len = sizeof(buf);

	if (read_file("/proc/sys/kernel/cap_last_cap", buf, &len) && len)
		return atoi(buf);
	/* No /proc: the newest cap this was built against still covers every cap the kernel knows. */
	return CAP_LAST_CAP;
}

/* Needs CAP_SETPCAP, so it must run before setuid() takes it away from a non-root app. */
static void drop_bounding_set(void)
{
	int cap, last = last_cap();

	for (cap = 0; cap <= last; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			die("cannot drop capability %d from the bounding set: %s", cap, strerror(errno));
	/* EINVAL: a kernel without ambient capabilities has none to clear. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		die("cannot clear ambient capabilities: %s", strerror(errno));
}

/* setuid() to a non-zero uid already empties these, but uid 0 keeps them: root gets CapEff 0 here. */
static void clear_capabilities(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) < 0)
		die("cannot clear capabilities: %s", strerror(errno));
}

void identity_switch(const struct vsb_config *c)
{
	if (setgroups(c->ngroups, c->groups) < 0)
		die("cannot set supplementary groups: %s", strerror(errno));
	if (setgid(c->gid) < 0)
		die("cannot switch to gid %u: %s", (unsigned)c->gid, strerror(errno));
	if (!c->privileged)
		drop_bounding_set();
	if (setuid(c->uid) < 0)
		die("cannot switch to uid %u: %s", (unsigned)c->uid, strerror(errno));
	if (!c->privileged) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			die("cannot set no_new_privs: %s", strerror(errno));
		clear_capabilities();
	}
	log_debug("identity: uid %u gid %u, %zu groups, %s", (unsigned)c->uid, (unsigned)c->gid, c->ngroups,
		  c->privileged ? "privileged" : "no capabilities");
}
