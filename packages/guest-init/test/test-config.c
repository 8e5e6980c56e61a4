/* Checks the guest config reader (GUEST-CONFIG.md) and the environment built from it. */
#include "app.h"
#include "config.h"
#include "config-test.h"
#include "nine-p-options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int failed;

void result(const char *name, const char *problem)
{
	if (problem) {
		failed++;
		printf("not ok - config: %s: %s\n", name, problem);
	} else {
		printf("ok - config: %s\n", name);
	}
}

/* Records are given as one C string with '|' for NUL, so tests read like the file. */
int parse(const char *records, struct vsb_config *c)
{
	size_t i, len = strlen(records);
	char *buf = malloc(len + 1);

	for (i = 0; i < len; i++)
		buf[i] = records[i] == '|' ? 0 : records[i];
	return config_parse(buf, len, c);
}

static const char *check_full(void)
{
	static char why[300];
	static struct vsb_config c;
	const char *p = NULL;

	if (parse(BASE "groups=10,20,30|term=xterm-256color|cwd=/tmp|"
		       "env=A=line1\nline2|env=B=x=y=z|env=C=<&'\">|env=A=again|"
		       "argv=sh|argv=-c|argv=echo \"$A\" <&'\n=|"
		       "mount=bind\x1f/src dir\x1f/dst\x1f|mount=tmpfs\x1f"
		       "1048576\x1f/tmp\x1fmode=1777|"
		       "mount=ro\x1f\x1f/dst\x1f|mount=move\x1f/stage/0\x1f/m\x1f|"
		       "seccomp=1|landlock=1|writable=/dst|writable=/tmp|",
		  &c) < 0) {
		snprintf(why, sizeof(why), "rejected: %s", c.err);
		return why;
	}
	if (strcmp(c.name, "sb1") || c.uid != 1000 || c.gid != 100 || strcmp(c.user, "alice") ||
	    strcmp(c.home, "/home/alice") || c.privileged || !c.tty || c.debug || strcmp(c.channel, "/dev/tty2") ||
	    strcmp(c.term, "xterm-256color") || strcmp(c.cwd, "/tmp"))
		p = "scalar values differ";
	else if (c.ngroups != 3 || c.groups[0] != 10 || c.groups[1] != 20 || c.groups[2] != 30)
		p = "groups differ";
	else if (c.nenv != 4 || strcmp(c.env[0], "A=line1\nline2") || strcmp(c.env[1], "B=x=y=z") ||
		 strcmp(c.env[2], "C=<&'\">") || strcmp(c.env[3], "A=again"))
		p = "env differs";
	else if (c.nargv != 3 || strcmp(c.argv[0], "sh") || strcmp(c.argv[1], "-c") ||
		 strcmp(c.argv[2], "echo \"$A\" <&'\n=") || c.argv[3])
		p = "argv differs";
	else if (c.nmounts != 4 || c.mounts[0].kind != MOUNT_BIND || strcmp(c.mounts[0].source, "/src dir") ||
		 strcmp(c.mounts[0].target, "/dst") || c.mounts[0].options[0] || c.mounts[1].kind != MOUNT_TMPFS ||
		 c.mounts[1].size != 1048576 || strcmp(c.mounts[1].options, "mode=1777") ||
		 c.mounts[2].kind != MOUNT_RO || strcmp(c.mounts[2].target, "/dst") || c.mounts[3].kind != MOUNT_MOVE ||
		 strcmp(c.mounts[3].source, "/stage/0") || strcmp(c.mounts[3].target, "/m"))
		p = "mounts differ";
	else if (!c.seccomp || !c.landlock || c.nwritable != 2 || strcmp(c.writable[0], "/dst") ||
		 strcmp(c.writable[1], "/tmp"))
		p = "confinement differs";
	config_free(&c);
	return p;
}

static const char *check_env(void)
{
	static struct vsb_config c;
	const char *want[] = { "PATH=/opt/bin", "HOME=/home/alice", "USER=alice", "LOGNAME=alice", "TERM=xterm",
			       "X=2",		"Y=a\nb=c",	    NULL };
	char **env;
	size_t i;

	if (parse(BASE "term=xterm|env=X=1|env=PATH=/opt/bin|env=Y=a\nb=c|env=X=2|argv=true|", &c) < 0)
		return c.err;
	if (c.seccomp || c.landlock)
		return "confinement is on without seccomp= and landlock= records";
	env = app_environment(&c);
	for (i = 0; want[i]; i++)
		if (!env[i] || strcmp(env[i], want[i]))
			return "environment differs";
	if (env[i])
		return "extra environment entries";
	config_free(&c);
	if (parse("version=1|name=n|uid=0|gid=0|user=root|home=/root|privileged=1|tty=0|"
		  "channel=/dev/tty2|debug=1|term=xterm|argv=true|",
		  &c) < 0)
		return c.err;
	env = app_environment(&c);
	if (strcmp(env[4], "TERM=dumb"))
		return "pipe mode TERM is not dumb";
	config_free(&c);
	return NULL;
}

static const char *check_channeltype(void)
{
	static struct vsb_config c;
	const char *p = NULL;

	if (parse(BASE "argv=x|", &c) < 0 || c.channel_unix)
		p = "a config without channeltype is not a device channel";
	config_free(&c);
	if (!p && (parse(BASE "channeltype=device|argv=x|", &c) < 0 || c.channel_unix))
		p = "channeltype=device is not a device channel";
	config_free(&c);
	if (!p && (parse(BASE "channeltype=unix|argv=x|", &c) < 0 || !c.channel_unix))
		p = "channeltype=unix is not a unix channel";
	config_free(&c);
	return p;
}

static const char *check_userns(void)
{
	static struct vsb_config c;
	const char *p = NULL;

	if (parse(BASE "argv=x|", &c) < 0 || c.userns || c.pids)
		p = "a config without userns has a user namespace";
	config_free(&c);
	if (!p &&
	    (parse(BASE "userns=1610612736|pids=4096|argv=x|", &c) < 0 || c.userns != 1610612736u || c.pids != 4096))
		p = "userns=1610612736 pids=4096 not read";
	config_free(&c);
	if (!p && (parse(BASE "userns=1610612736|pids=0|argv=x|", &c) < 0 || c.pids != 0))
		p = "pids=0 (no bound) not read";
	config_free(&c);
	return p;
}

static const char *check_file(void)
{
	static const char data[] = "version=1\0name=f\0uid=0\0gid=0\0user=root\0home=/\0privileged=1\0"
				   "tty=0\0channel=/dev/tty2\0debug=0\0argv=a\nb\0";
	char path[] = "/tmp/vsb-config-test-XXXXXX";
	static struct vsb_config c;
	int fd = mkstemp(path);
	const char *p = NULL;

	if (fd < 0 || write(fd, data, sizeof(data) - 1) != (ssize_t)sizeof(data) - 1)
		return "cannot write a temp file";
	close(fd);
	if (config_read(path, &c) < 0)
		p = c.err;
	else if (c.nargv != 1 || strcmp(c.argv[0], "a\nb"))
		p = "argv differs";
	unlink(path);
	config_free(&c);
	if (!p && (config_read(path, &c) == 0 || !strstr(c.err, "cannot read")))
		p = "a missing file is not reported";
	return p;
}

static const char *check_net(void)
{
	static struct vsb_config c;
	const char *p = NULL;

	if (parse(BASE "net=link\x1f"
		       "eth0\x1f"
		       "52:54:00:ab:cd:ef\x1f|net=dhcp\x1f"
		       "eth0\x1f\x1f|"
		       "net=link\x1f"
		       "eth1\x1f"
		       "52:54:00:00:00:01\x1f|"
		       "net=addr\x1f"
		       "eth1\x1f"
		       "10.0.0.2/24\x1f"
		       "10.0.0.255|net=addr\x1f"
		       "eth1\x1f"
		       "fd00::2/64\x1f|"
		       "net=route\x1f"
		       "eth1\x1f"
		       "0.0.0.0/0\x1f"
		       "10.0.0.1|argv=x|",
		  &c) < 0)
		return c.err;
	if (c.nnets != 6 || c.nets[0].kind != NET_LINK || strcmp(c.nets[0].ifname, "eth0") ||
	    strcmp(c.nets[0].a, "52:54:00:ab:cd:ef") || c.nets[1].kind != NET_DHCP || c.nets[3].kind != NET_ADDR ||
	    strcmp(c.nets[3].a, "10.0.0.2/24") || strcmp(c.nets[3].b, "10.0.0.255") || c.nets[4].b[0] ||
	    c.nets[5].kind != NET_ROUTE || strcmp(c.nets[5].a, "0.0.0.0/0") || strcmp(c.nets[5].b, "10.0.0.1"))
		p = "net records differ";
	config_free(&c);
	if (!p && (parse(BASE "argv=x|", &c) < 0 || c.nnets))
		p = "a config without net records has interfaces";
	config_free(&c);
	return p;
}

static const char *check_disk_copy(void)
{
	static struct vsb_config c;
	const char *p = NULL;

	if (parse(BASE "disk=data\x1f/dev/loop3|disk=vm\x1fvm|copy=/c/include/0\x1f/scratch/a|argv=x|", &c) < 0)
		return c.err;
	if (c.ndisks != 2 || strcmp(c.disks[0].tag, "data") || strcmp(c.disks[0].device, "/dev/loop3") ||
	    strcmp(c.disks[1].device, "vm"))
		p = "disk records differ";
	else if (c.ncopies != 1 || strcmp(c.copies[0].source, "/c/include/0") ||
		 strcmp(c.copies[0].target, "/scratch/a"))
		p = "copy records differ";
	config_free(&c);
	return p;
}

/* 9p mount options name the transport the host's command line gave (vsb_9p=), never a default. */
static const char *check_nine_p_options(void)
{
	char buf[64];

	unsetenv(NINE_P_TRANSPORT_ENV);
	if (nine_p_options(buf, sizeof(buf), "") == 0)
		return "options without a transport";
	setenv(NINE_P_TRANSPORT_ENV, "virtio,cache=none", 1);
	if (nine_p_options(buf, sizeof(buf), "") == 0)
		return "a transport with a comma was taken";
	setenv(NINE_P_TRANSPORT_ENV, "xen", 1);
	if (nine_p_options(buf, sizeof(buf), ",msize=262144") < 0 ||
	    strcmp(buf, "trans=xen,version=9p2000.L,msize=262144"))
		return "xen options differ";
	if (nine_p_options(buf, 8, "") == 0)
		return "truncated options were taken";
	unsetenv(NINE_P_TRANSPORT_ENV);
	return NULL;
}

int main(void)
{
	result("9p options over the host's transport", check_nine_p_options());
	result("net: links by MAC, dhcp, addresses and routes in order", check_net());
	result("disk and copy records", check_disk_copy());
	result("full config with newlines, '=', <&'\" in values", check_full());
	result("environment: defaults, then env records, later wins", check_env());
	result("read from a file", check_file());
	result("channeltype: device by default, unix when asked", check_channeltype());
	result("userns and pids: absent, or a host id base and a bound", check_userns());
	check_config_errors();
	check_config_vectors();
	return failed ? 1 : 0;
}
