/* Checks that the guest config reader refuses bad records with exactly the message the host shows. */
#include "config-test.h"

#include <stdio.h>
#include <string.h>

/* The record list must fail with exactly this message; channel must still be known when present. */
static void check_error(const char *name, const char *records, const char *want)
{
	static char why[400];
	static struct vsb_config c;
	int r = parse(records, &c);

	if (r == 0)
		result(name, "accepted");
	else if (strcmp(c.err, want)) {
		snprintf(why, sizeof(why), "error '%s', want '%s'", c.err, want);
		result(name, why);
	} else if (strstr(records, "channel=/dev/tty2|") && (!c.channel || strcmp(c.channel, "/dev/tty2")))
		result(name, "channel not known after the error");
	else
		result(name, NULL);
	config_free(&c);
}

void check_config_errors(void)
{
	check_error("net with 3 fields",
		    BASE "net=dhcp\x1f"
			 "eth0\x1f|argv=x|",
		    "config: net record needs 4 fields");
	check_error("net kind",
		    BASE "net=bridge\x1f"
			 "eth0\x1f\x1f|argv=x|",
		    "config: unknown net kind 'bridge'");
	check_error("net interface name",
		    BASE "net=dhcp\x1f"
			 "a-name-far-too-long\x1f\x1f|argv=x|",
		    "config: bad interface name 'a-name-far-too-long'");
	check_error("link without a MAC",
		    BASE "net=link\x1f"
			 "eth0\x1f"
			 "52:54\x1f|argv=x|",
		    "config: bad link record for 'eth0'");
	check_error("addr without a prefix",
		    BASE "net=addr\x1f"
			 "eth0\x1f"
			 "10.0.0.2\x1f|argv=x|",
		    "config: bad addr record for 'eth0'");
	check_error("disk with 1 field", BASE "disk=data|argv=x|", "config: disk record needs 2 fields");
	check_error("disk tag with a slash", BASE "disk=a/b\x1f/dev/loop0|argv=x|",
		    "config: bad disk record for tag 'a/b'");
	check_error("copy with a relative path",
		    BASE "copy=/stage/0\x1f"
			 "tmp/a|argv=x|",
		    "config: copy of '/stage/0' to 'tmp/a' needs absolute paths");
	check_error("route without a gateway",
		    BASE "net=route\x1f"
			 "eth0\x1f"
			 "10.0.0.0/8\x1f|argv=x|",
		    "config: bad route record for 'eth0'");
	check_error("userns 0", BASE "userns=0|argv=x|", "config: bad userns '0'");
	check_error("userns past the last id", BASE "userns=4294901760|argv=x|", "config: bad userns '4294901760'");
	check_error("pids garbage", BASE "pids=many|argv=x|", "config: bad pids 'many'");
	check_error("uid outside the namespace",
		    "version=1|name=n|uid=70000|gid=0|user=u|home=/|privileged=0|tty=0|channel=/dev/tty2|debug=0|"
		    "userns=1610612736|argv=x|",
		    "config: uid 70000 / gid 0 is outside the sandbox's user namespace (0-65535)");
	check_error("group outside the namespace", BASE "groups=10,70000|userns=1610612736|argv=x|",
		    "config: group 70000 is outside the sandbox's user namespace (0-65535)");
	check_error("unknown key", BASE "bogus=1|argv=true|", "config: unknown key 'bogus'");
	check_error("unknown key before channel",
		    "version=1|Name=x|name=sb|uid=0|gid=0|user=u|home=/|privileged=0|tty=0|channel=/dev/tty2|"
		    "debug=0|argv=true|",
		    "config: unknown key 'Name'");
	check_error("missing argv", BASE, "config: missing key 'argv'");
	check_error("missing uid",
		    "version=1|name=n|gid=0|user=u|home=/|privileged=0|tty=0|channel=/dev/tty2|debug=0|argv=x|",
		    "config: missing key 'uid'");
	check_error("key twice", BASE "name=again|argv=true|", "config: key 'name' given twice");
	check_error("version first", "name=x|version=1|", "config: the first record must be version=1");
	check_error("version 2", "version=2|", "config: unsupported version '2'");
	check_error("unterminated record", BASE "argv=true", "config: last record is not NUL-terminated");
	check_error("record without =", BASE "argv|", "config: record 'argv' has no '='");
	check_error("bad uid", "version=1|uid=-1|", "config: bad uid '-1'");
	check_error("bad groups", BASE "groups=1,,2|argv=x|", "config: bad groups value '1,,2'");
	check_error("bad flag", "version=1|tty=yes|", "config: tty must be 0 or 1, not 'yes'");
	check_error("bad channeltype", BASE "channeltype=tcp|argv=x|",
		    "config: channeltype must be device or unix, not 'tcp'");
	check_error("env without =", BASE "env=FOO|argv=x|", "config: env record 'FOO' is not KEY=VALUE");
	check_error("mount with 3 fields", BASE "mount=bind\x1f/a\x1f/b|argv=x|",
		    "config: mount record needs 4 fields");
	check_error("mount kind", BASE "mount=nfs\x1f/a\x1f/b\x1f|argv=x|", "config: unknown mount kind 'nfs'");
	check_error("tmpfs size",
		    BASE "mount=tmpfs\x1f"
			 "1G\x1f/b\x1f|argv=x|",
		    "config: bad tmpfs size '1G'");
	check_error("bind options", BASE "mount=bind\x1f/a\x1f/b\x1fro|argv=x|",
		    "config: bind mount of '/b' takes no options");
	check_error("move without a source", BASE "mount=move\x1f\x1f/b\x1f|argv=x|",
		    "config: move mount of '/b' needs an absolute source");
	check_error("ro with a source", BASE "mount=ro\x1f/a\x1f/b\x1f|argv=x|",
		    "config: ro mount of '/b' takes no source");
	check_error("9p without a tag", BASE "mount=9p\x1f\x1f/b\x1f|argv=x|",
		    "config: 9p mount of '/b' needs a source");
	check_error("disk without a serial", BASE "mount=disk\x1f\x1f/b\x1f|argv=x|",
		    "config: disk mount of '/b' needs a source");
	check_error("9p options",
		    BASE "mount=9p\x1fsandbox:mount0\x1f/b\x1f"
			 "cache=loose|argv=x|",
		    "config: 9p mount of '/b' takes no options");
	check_error("relative target",
		    BASE "mount=ro\x1f\x1f"
			 "b\x1f|argv=x|",
		    "config: mount target 'b' is not absolute");
	check_error("relative writable path", BASE "writable=tmp|argv=x|",
		    "config: writable path 'tmp' is not absolute");
	check_error("landlock twice", BASE "landlock=1|landlock=0|argv=x|", "config: key 'landlock' given twice");
	check_error("seccomp flag", BASE "seccomp=on|argv=x|", "config: seccomp must be 0 or 1, not 'on'");
}
