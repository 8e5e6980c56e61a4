/*
 * Reads the guest config files the host's writer produced (the .cfg files of config-vectors/, kept
 * byte for byte by packages/core's guest-config-vectors test): writer and reader checked together.
 */
#include "config-test.h"

#include <stdio.h>
#include <string.h>

/* Where make put the vectors (the Makefile gives the absolute path). */
#ifndef CONFIG_VECTORS
#define CONFIG_VECTORS "test/config-vectors"
#endif

static const char *read_vector(const char *name, struct vsb_config *c)
{
	static char why[400];
	char path[256];

	snprintf(path, sizeof(path), "%s/%s.cfg", CONFIG_VECTORS, name);
	if (config_read(path, c) == 0)
		return NULL;
	snprintf(why, sizeof(why), "rejected: %s", c->err);
	return why;
}

static const char *check_minimal(struct vsb_config *c)
{
	if (c->uid != 65534 || c->gid != 65534 || c->ngroups || strcmp(c->user, "nobody") || c->privileged || c->tty ||
	    strcmp(c->channel, "/dev/tty2") || c->channel_unix || strcmp(c->term, "dumb") || c->cwd)
		return "scalar values differ";
	if (c->nargv != 1 || strcmp(c->argv[0], "/bin/true") || c->nenv || c->nmounts || c->nnets || c->userns)
		return "records differ";
	return NULL;
}

static const char *check_container(struct vsb_config *c)
{
	if (c->ngroups != 2 || c->groups[0] != 27 || c->groups[1] != 44 || !c->tty || !c->split_stderr || !c->debug ||
	    !c->channel_unix || strcmp(c->channel, "/run/vsb/config/rpc.sock") || strcmp(c->term, "xterm-256color") ||
	    strcmp(c->cwd, "/home/ann/src") || c->cwd_soft || strcmp(c->shell, "/dev/tty3") || c->userns != 100000 ||
	    c->pids != 256)
		return "scalar values differ";
	if (c->nmounts != 4 || c->mounts[0].kind != MOUNT_MOVE || strcmp(c->mounts[0].source, "/run/vsb/stage/0") ||
	    c->mounts[1].kind != MOUNT_TMPFS || c->mounts[1].size != 1048576 ||
	    strcmp(c->mounts[1].options, "mode=1777") || c->mounts[2].kind != MOUNT_BIND ||
	    c->mounts[3].kind != MOUNT_RO || strcmp(c->mounts[3].target, "/etc/hosts"))
		return "mounts differ";
	if (c->ndisks != 1 || strcmp(c->disks[0].device, "/dev/loop7") || c->ncopies != 1 ||
	    strcmp(c->copies[0].target, "/etc/app.conf"))
		return "disk or copy records differ";
	if (!c->seccomp || !c->landlock || c->nwritable != 2 || strcmp(c->writable[0], "/data") ||
	    strcmp(c->writable[1], "/tmp"))
		return "confinement differs";
	if (c->nenv != 3 || strcmp(c->env[0], "A=<&'\"\nx=y") || strcmp(c->env[1], "A=later"))
		return "env differs";
	if (c->nargv != 4 || strcmp(c->argv[2], "echo \"a b\"\nexit 3") || strcmp(c->argv[3], "x\xffy"))
		return "argv differs (a byte that is not UTF-8 must stay as it is)";
	return NULL;
}

static const char *check_vm(struct vsb_config *c)
{
	if (c->uid || !c->privileged || strcmp(c->channel, "/dev/hvc1") || strcmp(c->cwd, "/work") || !c->cwd_soft)
		return "scalar values differ";
	if (c->nnets != 6 || c->nets[0].kind != NET_LINK || strcmp(c->nets[0].a, "52:54:00:12:34:56") ||
	    c->nets[1].kind != NET_DHCP || c->nets[3].kind != NET_ADDR || strcmp(c->nets[3].b, "10.0.0.255") ||
	    strcmp(c->nets[4].a, "fd00::2/64") || c->nets[5].kind != NET_ROUTE || strcmp(c->nets[5].b, "10.0.0.1"))
		return "net records differ";
	if (c->nmounts != 2 || c->mounts[0].kind != MOUNT_9P || strcmp(c->mounts[0].source, "vsb-share-0") ||
	    c->mounts[1].kind != MOUNT_DISK || strcmp(c->mounts[1].target, "/mnt/img"))
		return "mounts differ";
	if (c->ndisks != 1 || strcmp(c->disks[0].tag, "data") || strcmp(c->disks[0].device, "vsb-disk-1"))
		return "disk records differ";
	return NULL;
}

void check_config_vectors(void)
{
	static const struct {
		const char *name;
		const char *(*check)(struct vsb_config *c);
	} vectors[] = { { "minimal", check_minimal }, { "container", check_container }, { "vm", check_vm } };
	static char title[64];
	size_t i;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		struct vsb_config c;
		const char *p = read_vector(vectors[i].name, &c);

		snprintf(title, sizeof(title), "the host's %s.cfg", vectors[i].name);
		result(title, p ? p : vectors[i].check(&c));
		config_free(&c);
	}
}
