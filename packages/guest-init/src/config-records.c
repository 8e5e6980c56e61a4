/* The structured records of the guest config: mount, net, disk, copy (config-records.h). */
#include "config-records.h"

#include <stdlib.h>
#include <string.h>

/* Fields of one record are apart by this byte (GUEST-CONFIG.md), which no path or option holds. */
#define FIELD_SEP '\x1f'

/* A tmpfs size: digits only, no overflow. */
static int parse_size(const char *s, unsigned long long *out)
{
	unsigned long long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (~0ull - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = v;
	return 0;
}

/* Splits a record into exactly n fields at FIELD_SEP (NULs put in); -1 when the count differs. */
static int split_fields(char *v, char **field, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		char *sep = strchr(v, FIELD_SEP);

		field[i] = v;
		if (i == n - 1)
			return sep ? -1 : 0;
		if (!sep)
			return -1;
		*sep = 0;
		v = sep + 1;
	}
	return 0;
}

void config_mount(struct vsb_config *c, char *v)
{
	static const struct {
		const char *name;
		enum mount_source source;
		int options;
	} kinds[] = {
#define MOUNT_KIND_RULE(kind, name, source, options, step) [kind] = { name, source, options },
		MOUNT_KINDS(MOUNT_KIND_RULE)
#undef MOUNT_KIND_RULE
	};
	char *field[4];
	struct mount_rec *m = &c->mounts[c->nmounts];
	size_t k;

	if (split_fields(v, field, 4) < 0) {
		config_fail(c, "mount record needs 4 fields");
		return;
	}
	m->source = field[1];
	m->target = field[2];
	m->options = field[3];
	m->size = 0;
	for (k = 0; k < MOUNT_KIND_COUNT && strcmp(field[0], kinds[k].name); k++)
		;
	if (k == MOUNT_KIND_COUNT) {
		config_fail(c, "unknown mount kind '%.32s'", field[0]);
		return;
	}
	m->kind = (enum mount_kind)k;
	if (m->target[0] != '/')
		config_fail(c, "mount target '%.64s' is not absolute", m->target);
	else if (kinds[k].source == SOURCE_SIZE && parse_size(m->source, &m->size) < 0)
		config_fail(c, "bad %s size '%.32s'", field[0], m->source);
	else if (!kinds[k].options && m->options[0])
		config_fail(c, "%s mount of '%.64s' takes no options", field[0], m->target);
	else if (kinds[k].source == SOURCE_NAME && !m->source[0])
		config_fail(c, "%s mount of '%.64s' needs a source", field[0], m->target);
	else if (kinds[k].source == SOURCE_NONE && m->source[0])
		config_fail(c, "%s mount of '%.64s' takes no source", field[0], m->target);
	else if (kinds[k].source == SOURCE_PATH && m->source[0] != '/')
		config_fail(c, "%s mount of '%.64s' needs an absolute source", field[0], m->target);
	else
		c->nmounts++;
}

static int is_mac(const char *s)
{
	int i;

	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return 0;
	return s[17] == 0;
}

void config_net(struct vsb_config *c, char *v)
{
	static const char *const kinds[] = {
		[NET_LINK] = "link", [NET_DHCP] = "dhcp", [NET_ADDR] = "addr", [NET_ROUTE] = "route"
	};
	struct net_rec *n = &c->nets[c->nnets];
	char *field[4];
	size_t k, len;

	if (split_fields(v, field, 4) < 0) {
		config_fail(c, "net record needs 4 fields");
		return;
	}
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && strcmp(field[0], kinds[k]); k++)
		;
	if (k == sizeof(kinds) / sizeof(kinds[0])) {
		config_fail(c, "unknown net kind '%.32s'", field[0]);
		return;
	}
	len = strlen(field[1]);
	if (!len || len > 15 || strchr(field[1], '/')) {
		config_fail(c, "bad interface name '%.32s'", field[1]);
		return;
	}
	n->kind = (enum net_kind)k;
	n->ifname = field[1];
	n->a = field[2];
	n->b = field[3];
	if ((n->kind == NET_LINK && (!is_mac(n->a) || n->b[0])) || (n->kind == NET_DHCP && (n->a[0] || n->b[0])) ||
	    (n->kind == NET_ADDR && !strchr(n->a, '/')) || (n->kind == NET_ROUTE && (!strchr(n->a, '/') || !n->b[0]))) {
		config_fail(c, "bad %s record for '%s'", field[0], n->ifname);
		return;
	}
	c->nnets++;
}

void config_disk(struct vsb_config *c, char *v)
{
	struct disk_rec *d = &c->disks[c->ndisks];
	char *field[2];

	if (split_fields(v, field, 2) < 0) {
		config_fail(c, "disk record needs 2 fields");
		return;
	}
	if (!field[0][0] || strchr(field[0], '/') || !strcmp(field[0], ".") || !strcmp(field[0], "..") ||
	    !field[1][0]) {
		config_fail(c, "bad disk record for tag '%.32s'", field[0]);
		return;
	}
	d->tag = field[0];
	d->device = field[1];
	c->ndisks++;
}

void config_copy(struct vsb_config *c, char *v)
{
	struct copy_rec *r = &c->copies[c->ncopies];
	char *field[2];

	if (split_fields(v, field, 2) < 0) {
		config_fail(c, "copy record needs 2 fields");
		return;
	}
	if (field[0][0] != '/' || field[1][0] != '/') {
		config_fail(c, "copy of '%.64s' to '%.64s' needs absolute paths", field[0], field[1]);
		return;
	}
	r->source = field[0];
	r->target = field[1];
	c->ncopies++;
}
