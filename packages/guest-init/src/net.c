/*
 * The sandbox's interfaces by rtnetlink (as bubblewrap's network.c brings up loopback): each `link`
 * record's interface is found by its MAC (a VM's virtio-mmio devices probe in no fixed order, so
 * kernel names say nothing), renamed to ethN and set up; then its static addresses and routes, or
 * the address, prefix and default route of a DHCP lease (dhcp.c). No `ip` binary is needed.
 */
#include "net.h"

#include "cleanup.h"
#include "dhcp.h"
#include "die.h"
#include "log.h"
#include "read-file.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct nlreq {
	struct nlmsghdr h;
	union {
		struct ifinfomsg link;
		struct ifaddrmsg addr;
		struct rtmsg route;
	};
	char attrs[256];
};

static void add_attr(struct nlreq *r, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void init_req(struct nlreq *r, unsigned short type, unsigned short flags, size_t body)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = (unsigned)NLMSG_LENGTH(body);
	r->h.nlmsg_type = type;
	r->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
}

/* Sends one request and reads its ACK; 0, or -1 with errno set to the kernel's answer. */
static int talk(int fd, struct nlreq *r)
{
	static unsigned seq;
	char buf[1024];
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	r->h.nlmsg_seq = ++seq;
	if (sendto(fd, r, r->h.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -1;
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			errno = -((struct nlmsgerr *)NLMSG_DATA(h))->error;
			return errno ? -1 : 0;
		}
	}
}

static int set_link(int fd, int index, const char *newname, int up)
{
	struct nlreq r;

	init_req(&r, RTM_NEWLINK, 0, sizeof(r.link));
	r.link.ifi_family = AF_UNSPEC;
	r.link.ifi_index = index;
	r.link.ifi_change = IFF_UP;
	r.link.ifi_flags = up ? IFF_UP : 0;
	if (newname)
		add_attr(&r, IFLA_IFNAME, newname, strlen(newname) + 1);
	return talk(fd, &r);
}

/* The index of the interface whose /sys/class/net/NAME/address is `mac` (lower case); 0 if none. */
static int index_of_mac(const char *mac, char name[IF_NAMESIZE])
{
	DIR *d = opendir("/sys/class/net");
	struct dirent *e;
	int index = 0;

	while (d && !index && (e = readdir(d))) {
		char path[300], addr[32];
		size_t n = sizeof(addr);

		if (e->d_name[0] == '.' || strlen(e->d_name) >= IF_NAMESIZE)
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/address", e->d_name);
		if (read_file(path, addr, &n) && n >= 17 && !strncasecmp(addr, mac, 17)) {
			index = (int)if_nametoindex(e->d_name);
			/* Shorter than IF_NAMESIZE: checked above. */
			memcpy(name, e->d_name, strlen(e->d_name) + 1);
		}
	}
	if (d)
		closedir(d);
	return index;
}

/* "IP/PREFIX" into family, bytes and prefix; -1 when malformed. */
static int parse_cidr(const char *text, int *family, unsigned char bytes[16], unsigned *prefix)
{
	char ip[64];
	const char *slash = strchr(text, '/');
	char *end;
	unsigned long p;

	if (!slash || (size_t)(slash - text) >= sizeof(ip))
		return -1;
	memcpy(ip, text, (size_t)(slash - text));
	ip[slash - text] = 0;
	*family = strchr(ip, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(*family, ip, bytes) != 1)
		return -1;
	errno = 0;
	p = strtoul(slash + 1, &end, 10);
	if (errno || *end || end == slash + 1 || p > (*family == AF_INET ? 32u : 128u))
		return -1;
	*prefix = (unsigned)p;
	return 0;
}

static int add_address(int fd, int index, int family, const unsigned char *ip, unsigned prefix, const char *bcast)
{
	struct nlreq r;
	size_t len = family == AF_INET ? 4 : 16;
	struct in_addr b;

	init_req(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, sizeof(r.addr));
	r.addr.ifa_family = (unsigned char)family;
	r.addr.ifa_prefixlen = (unsigned char)prefix;
	r.addr.ifa_index = (unsigned)index;
	/* No duplicate address detection: the address is usable at once, as the app starts next. */
	r.addr.ifa_flags = family == AF_INET6 ? IFA_F_NODAD : 0;
	add_attr(&r, IFA_LOCAL, ip, len);
	add_attr(&r, IFA_ADDRESS, ip, len);
	if (bcast && bcast[0]) {
		if (inet_pton(AF_INET, bcast, &b) != 1) {
			errno = EINVAL;
			return -1;
		}
		add_attr(&r, IFA_BROADCAST, &b, 4);
	}
	return talk(fd, &r);
}

static int add_route(int fd, int index, int family, const unsigned char *dst, unsigned prefix, const unsigned char *gw)
{
	struct nlreq r;
	size_t len = family == AF_INET ? 4 : 16;

	init_req(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, sizeof(r.route));
	r.route.rtm_family = (unsigned char)family;
	r.route.rtm_dst_len = (unsigned char)prefix;
	r.route.rtm_table = RT_TABLE_MAIN;
	r.route.rtm_protocol = RTPROT_BOOT;
	r.route.rtm_scope = RT_SCOPE_UNIVERSE;
	r.route.rtm_type = RTN_UNICAST;
	if (prefix)
		add_attr(&r, RTA_DST, dst, len);
	add_attr(&r, RTA_GATEWAY, gw, len);
	add_attr(&r, RTA_OIF, &index, sizeof(index));
	return talk(fd, &r);
}

static int parse_mac(const char *text, unsigned char mac[6])
{
	return sscanf(text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) == 6
		       ? 0
		       : -1;
}

static void apply_dhcp(int fd, int index, const char *ifname)
{
	static const unsigned char any[4];
	unsigned char mac[6];
	char macs[32], path[64], ip[INET_ADDRSTRLEN];
	size_t n = sizeof(macs);
	struct dhcp_lease l;

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", ifname);
	if (!read_file(path, macs, &n) || n < 17 || parse_mac(macs, mac) < 0)
		die("dhcp on %s: cannot read its MAC", ifname);
	dhcp_request(ifname, mac, &l);
	inet_ntop(AF_INET, &l.addr, ip, sizeof(ip));
	log_debug("dhcp on %s: %s/%u, lease %u s", ifname, ip, l.prefix, l.seconds);
	if (add_address(fd, index, AF_INET, (unsigned char *)&l.addr, l.prefix, NULL) < 0 ||
	    (l.router.s_addr && add_route(fd, index, AF_INET, any, 0, (unsigned char *)&l.router) < 0))
		die("dhcp on %s: cannot set %s/%u: %s", ifname, ip, l.prefix, strerror(errno));
}

static void apply_link(int fd, const struct net_rec *n)
{
	char found[IF_NAMESIZE] = "";
	int index = index_of_mac(n->a, found);

	if (!index)
		die("network: no interface with MAC %s for %s", n->a, n->ifname);
	/* A link must be down to be renamed. */
	if (strcmp(found, n->ifname) && (set_link(fd, index, NULL, 0) < 0 || set_link(fd, index, n->ifname, 0) < 0))
		die("network: cannot rename %s to %s: %s", found, n->ifname, strerror(errno));
	if (set_link(fd, index, NULL, 1) < 0)
		die("network: cannot set %s up: %s", n->ifname, strerror(errno));
	log_debug("network: %s (MAC %s, was %s) up", n->ifname, n->a, found);
}

static void apply_one(int fd, const struct net_rec *n)
{
	unsigned char a[16], gw[16];
	unsigned prefix;
	int family, index;

	if (n->kind == NET_LINK) {
		apply_link(fd, n);
		return;
	}
	index = (int)if_nametoindex(n->ifname);
	if (!index)
		die("network: no interface %s", n->ifname);
	if (n->kind == NET_DHCP) {
		apply_dhcp(fd, index, n->ifname);
		return;
	}
	if (parse_cidr(n->a, &family, a, &prefix) < 0)
		die("network: bad address '%.64s' for %s", n->a, n->ifname);
	if (n->kind == NET_ADDR) {
		if (add_address(fd, index, family, a, prefix, n->b) < 0)
			die("network: cannot add %.64s to %s: %s", n->a, n->ifname, strerror(errno));
		return;
	}
	if ((strchr(n->b, ':') ? AF_INET6 : AF_INET) != family || inet_pton(family, n->b, gw) != 1)
		die("network: bad gateway '%.64s' for %s", n->b, n->ifname);
	if (add_route(fd, index, family, a, prefix, gw) < 0)
		die("network: cannot add route %.64s via %.64s on %s: %s", n->a, n->b, n->ifname, strerror(errno));
}

void net_apply(const struct vsb_config *c)
{
	struct sockaddr_nl me = { .nl_family = AF_NETLINK };
	auto_fd int fd = -1;
	size_t i;
	int lo;

	if (!c->nnets)
		return;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		die("network: netlink: %s", strerror(errno));
	lo = (int)if_nametoindex("lo");
	if (lo && set_link(fd, lo, NULL, 1) < 0)
		die("network: cannot set lo up: %s", strerror(errno));
	for (i = 0; i < c->nnets; i++)
		apply_one(fd, &c->nets[i]);
}
