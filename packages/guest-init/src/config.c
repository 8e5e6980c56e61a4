/* Reader of the guest config file (docs/GUEST-CONFIG.md): NUL-terminated KEY=VALUE records. */
#include "config.h"
#include "config-records.h"
#include "read-file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void config_fail(struct vsb_config *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->err[0])
		return;
	n = snprintf(c->err, sizeof(c->err), "config: ");
	va_start(ap, fmt);
	vsnprintf(c->err + n, sizeof(c->err) - n, fmt, ap);
	va_end(ap);
}

/* Strict: digits only, no sign or blanks, fits in 32 bits (uid/gid -1 means "unchanged" to the kernel). */
static int parse_id(const char *s, const char *end, unsigned int *out)
{
	unsigned long long v = 0;

	if (s == end)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
		if (v >= 0xffffffffull)
			return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static void parse_groups(struct vsb_config *c, const char *v)
{
	size_t n = 1;
	const char *p, *end;

	if (!*v)
		return;
	for (p = v; *p; p++)
		n += *p == ',';
	c->groups = calloc(n, sizeof(*c->groups));
	if (!c->groups) {
		config_fail(c, "out of memory");
		return;
	}
	for (p = v;; p = end + 1) {
		unsigned int id;

		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		if (parse_id(p, end, &id) < 0) {
			config_fail(c, "bad groups value '%.64s'", v);
			return;
		}
		c->groups[c->ngroups++] = id;
		if (!*end)
			return;
	}
}

static void parse_flag(struct vsb_config *c, const char *key, const char *v, int *out)
{
	if (strcmp(v, "0") && strcmp(v, "1"))
		config_fail(c, "%s must be 0 or 1, not '%.32s'", key, v);
	else
		*out = v[0] == '1';
}

/* Side by side, so that the keys can be read at a glance: */
/* clang-format off */
enum key_id {
	K_VERSION, K_NAME, K_UID, K_GID, K_GROUPS, K_USER, K_HOME, K_PRIVILEGED, K_TTY, K_CHANNEL,
	K_ENV, K_TERM, K_CWD, K_ARGV, K_MOUNT, K_DEBUG, K_SHELL, K_SECCOMP, K_LANDLOCK, K_WRITABLE,
	K_CHANNELTYPE, K_USERNS, K_PIDS, K_NET, K_DISK, K_COPY, K_SPLITSTDERR, K_CWDSOFT, K_COUNT
};

/* Keys given once: 1 = required, 0 = optional. Repeated keys (env, argv, mount, writable) are -1. */
static const struct {
	const char *name;
	int required;
} keys[K_COUNT] = {
	[K_VERSION] = { "version", 1 },	   [K_NAME] = { "name", 1 },    [K_UID] = { "uid", 1 },
	[K_GID] = { "gid", 1 },		   [K_GROUPS] = { "groups", 0 }, [K_USER] = { "user", 1 },
	[K_HOME] = { "home", 1 },	   [K_PRIVILEGED] = { "privileged", 1 },
	[K_TTY] = { "tty", 1 },		   [K_CHANNEL] = { "channel", 1 },
	[K_ENV] = { "env", -1 },	   [K_TERM] = { "term", 0 },	 [K_CWD] = { "cwd", 0 },
	[K_ARGV] = { "argv", -1 },	   [K_MOUNT] = { "mount", -1 },  [K_DEBUG] = { "debug", 1 },
	[K_SHELL] = { "shell", 0 },	   [K_SECCOMP] = { "seccomp", 0 },
	[K_LANDLOCK] = { "landlock", 0 },  [K_WRITABLE] = { "writable", -1 },
	[K_CHANNELTYPE] = { "channeltype", 0 },
	[K_USERNS] = { "userns", 0 },	   [K_PIDS] = { "pids", 0 },
	[K_NET] = { "net", -1 },	   [K_DISK] = { "disk", -1 },
	[K_COPY] = { "copy", -1 },
	[K_SPLITSTDERR] = { "splitstderr", 0 }, [K_CWDSOFT] = { "cwdsoft", 0 },
};
/* clang-format on */

static void apply(struct vsb_config *c, enum key_id k, char *v)
{
	unsigned int id;

	switch (k) {
	case K_VERSION:
		if (strcmp(v, "1"))
			config_fail(c, "unsupported version '%.32s'", v);
		break;
	case K_NAME:
		c->name = v;
		break;
	case K_USER:
		c->user = v;
		break;
	case K_HOME:
		c->home = v;
		break;
	case K_CHANNEL:
		c->channel = v;
		break;
	case K_TERM:
		c->term = v;
		break;
	case K_CWD:
		c->cwd = v;
		break;
	case K_SHELL:
		c->shell = v;
		break;
	case K_UID:
	case K_GID:
	case K_USERNS:
	case K_PIDS:
		if (parse_id(v, v + strlen(v), &id) < 0 || (k == K_USERNS && (!id || id > 0xffffffffu - USERNS_SIZE)))
			config_fail(c, "bad %s '%.32s'", keys[k].name, v);
		else
			*(k == K_UID ? &c->uid : k == K_GID ? &c->gid : k == K_USERNS ? &c->userns : &c->pids) = id;
		break;
	case K_GROUPS:
		parse_groups(c, v);
		break;
	case K_PRIVILEGED:
		parse_flag(c, "privileged", v, &c->privileged);
		break;
	case K_TTY:
		parse_flag(c, "tty", v, &c->tty);
		break;
	case K_DEBUG:
		parse_flag(c, "debug", v, &c->debug);
		break;
	case K_CWDSOFT:
		parse_flag(c, "cwdsoft", v, &c->cwd_soft);
		break;
	case K_SPLITSTDERR:
		parse_flag(c, "splitstderr", v, &c->split_stderr);
		break;
	case K_SECCOMP:
		parse_flag(c, "seccomp", v, &c->seccomp);
		break;
	case K_LANDLOCK:
		parse_flag(c, "landlock", v, &c->landlock);
		break;
	case K_WRITABLE:
		if (v[0] != '/')
			config_fail(c, "writable path '%.64s' is not absolute", v);
		else
			c->writable[c->nwritable++] = v;
		break;
	case K_ENV:
		if (!strchr(v, '=') || v[0] == '=')
			config_fail(c, "env record '%.64s' is not KEY=VALUE", v);
		else
			c->env[c->nenv++] = v;
		break;
	case K_ARGV:
		c->argv[c->nargv++] = v;
		break;
	case K_MOUNT:
		config_mount(c, v);
		break;
	case K_NET:
		config_net(c, v);
		break;
	case K_DISK:
		config_disk(c, v);
		break;
	case K_COPY:
		config_copy(c, v);
		break;
	case K_CHANNELTYPE:
		if (!strcmp(v, "unix"))
			c->channel_unix = 1;
		else if (strcmp(v, "device"))
			config_fail(c, "channeltype must be device or unix, not '%.32s'", v);
		break;
	case K_COUNT:
		break;
	}
}

int config_parse(char *buf, size_t len, struct vsb_config *c)
{
	size_t nrec = 0, i, seen[K_COUNT] = { 0 };
	char *p, *next, *end = buf + len;

	memset(c, 0, sizeof(*c));
	c->buf = buf;
	for (i = 0; i < len; i++)
		nrec += buf[i] == 0;
	/* Sized by the record count so no record can overflow them. */
	c->env = calloc(nrec + 1, sizeof(*c->env));
	c->argv = calloc(nrec + 1, sizeof(*c->argv));
	c->mounts = calloc(nrec + 1, sizeof(*c->mounts));
	c->writable = calloc(nrec + 1, sizeof(*c->writable));
	c->nets = calloc(nrec + 1, sizeof(*c->nets));
	c->disks = calloc(nrec + 1, sizeof(*c->disks));
	c->copies = calloc(nrec + 1, sizeof(*c->copies));
	if (!c->env || !c->argv || !c->mounts || !c->writable || !c->nets || !c->disks || !c->copies) {
		config_fail(c, "out of memory");
		return -1;
	}
	if (len && buf[len - 1] != 0)
		config_fail(c, "last record is not NUL-terminated");
	if (len < 10 || memcmp(buf, "version=", 8))
		config_fail(c, "the first record must be version=1");
	for (p = buf; p < end && memchr(p, 0, (size_t)(end - p)); p = next) {
		char *eq = strchr(p, '=');
		int k;

		/* Taken first: a mount record gets NULs put into it. */
		next = p + strlen(p) + 1;

		if (!eq) {
			config_fail(c, "record '%.64s' has no '='", p);
			continue;
		}
		*eq = 0;
		for (k = 0; k < K_COUNT && strcmp(p, keys[k].name); k++)
			;
		if (k == K_COUNT) {
			config_fail(c, "unknown key '%.64s'", p);
			*eq = '=';
			continue;
		}
		*eq = '=';
		if (keys[k].required >= 0 && seen[k])
			config_fail(c, "key '%s' given twice", keys[k].name);
		seen[k]++;
		apply(c, (enum key_id)k, eq + 1);
	}
	for (i = 0; i < K_COUNT; i++)
		if (!seen[i] && (keys[i].required == 1 || i == K_ARGV))
			config_fail(c, "missing key '%s'", keys[i].name);
	if (c->userns && (c->uid >= USERNS_SIZE || c->gid >= USERNS_SIZE))
		config_fail(c, "uid %u / gid %u is outside the sandbox's user namespace (0-%u)", (unsigned)c->uid,
			    (unsigned)c->gid, USERNS_SIZE - 1);
	for (i = 0; c->userns && i < c->ngroups; i++)
		if (c->groups[i] >= USERNS_SIZE)
			config_fail(c, "group %u is outside the sandbox's user namespace (0-%u)",
				    (unsigned)c->groups[i], USERNS_SIZE - 1);
	return c->err[0] ? -1 : 0;
}

int config_read(const char *path, struct vsb_config *c)
{
	size_t len;
	char *buf = read_file(path, NULL, &len);
	int e = errno;

	if (!buf) {
		memset(c, 0, sizeof(*c));
		snprintf(c->err, sizeof(c->err), "config: cannot read %.128s: %s", path, strerror(e));
		return -1;
	}
	return config_parse(buf, len, c);
}

void config_free(struct vsb_config *c)
{
	free(c->buf);
	free(c->groups);
	free(c->env);
	free(c->argv);
	free(c->mounts);
	free(c->writable);
	free(c->nets);
	free(c->disks);
	free(c->copies);
	memset(c, 0, sizeof(*c));
}
