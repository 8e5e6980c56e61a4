/*
 * One DHCPv4 exchange (RFC 2131) over a UDP socket bound to the interface: the client has no address
 * yet, so it sends from 0.0.0.0 to the limited broadcast and sets the BROADCAST flag, which makes
 * the server (libvirt's dnsmasq, passt) broadcast its answers too; the kernel delivers those to a
 * socket bound to port 68 on that device without any raw socket. The lease is not renewed: a
 * sandbox lives one command (docs/DESIGN.md "Networks").
 */
#include "dhcp.h"
#include "cleanup.h"
#include "die.h"

#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DHCP_DISCOVER 1
#define DHCP_OFFER 2
#define DHCP_REQUEST 3
#define DHCP_ACK 5
#define DHCP_NAK 6
#define OPT_MASK 1
#define OPT_ROUTER 3
#define OPT_DNS 6
#define OPT_REQUESTED 50
#define OPT_LEASE 51
#define OPT_TYPE 53
#define OPT_SERVER 54
#define OPT_PARAMS 55
#define OPT_END 255
#define ATTEMPTS 6

struct dhcp_msg {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16], sname[64], file[128];
	uint8_t magic[4];
	uint8_t options[312];
} __attribute__((packed));

static const uint8_t MAGIC[4] = { 99, 130, 83, 99 };

/* What one reply said; fields 0 when absent. */
struct reply {
	int type;
	uint32_t yiaddr, server, mask, router, dns, lease;
};

static size_t build(struct dhcp_msg *m, uint32_t xid, const unsigned char mac[6], int type, uint32_t requested,
		    uint32_t server)
{
	uint8_t *o = m->options;

	memset(m, 0, sizeof(*m));
	m->op = 1;
	m->htype = 1;
	m->hlen = 6;
	m->xid = xid;
	m->flags = htons(0x8000);
	memcpy(m->chaddr, mac, 6);
	memcpy(m->magic, MAGIC, 4);
	*o++ = OPT_TYPE, *o++ = 1, *o++ = (uint8_t)type;
	if (requested) {
		*o++ = OPT_REQUESTED, *o++ = 4;
		memcpy(o, &requested, 4), o += 4;
		*o++ = OPT_SERVER, *o++ = 4;
		memcpy(o, &server, 4), o += 4;
	}
	*o++ = OPT_PARAMS, *o++ = 4, *o++ = OPT_MASK, *o++ = OPT_ROUTER, *o++ = OPT_DNS, *o++ = OPT_LEASE;
	*o++ = OPT_END;
	/* BOOTP's minimum of 300 bytes; some servers drop shorter messages. */
	return sizeof(*m) - sizeof(m->options) + 64;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Parses a reply for our xid and MAC; 0 on success, -1 when it is not ours or malformed. */
static int parse(const struct dhcp_msg *m, size_t len, uint32_t xid, const unsigned char mac[6], struct reply *r)
{
	const uint8_t *o = m->options, *end = (const uint8_t *)m + len;

	memset(r, 0, sizeof(*r));
	if (len < sizeof(*m) - sizeof(m->options) || m->op != 2 || m->xid != xid || memcmp(m->chaddr, mac, 6) ||
	    memcmp(m->magic, MAGIC, 4))
		return -1;
	r->yiaddr = m->yiaddr;
	while (o < end && *o != OPT_END) {
		uint8_t code = *o++, n;

		if (code == 0)
			continue;
		if (o >= end || o + 1 + *o > end)
			return -1;
		n = *o++;
		if (code == OPT_TYPE && n >= 1)
			r->type = o[0];
		else if (n >= 4 && code == OPT_SERVER)
			r->server = get32(o);
		else if (n >= 4 && code == OPT_MASK)
			r->mask = get32(o);
		else if (n >= 4 && code == OPT_ROUTER)
			r->router = get32(o);
		else if (n >= 4 && code == OPT_DNS)
			r->dns = get32(o);
		else if (n >= 4 && code == OPT_LEASE)
			r->lease = ntohl(get32(o));
		o += n;
	}
	return r->type ? 0 : -1;
}

/* Sends one message and waits up to `ms` for a reply of one of the two types; 1 got, 0 timed out, -1 error. */
static int exchange(int fd, const struct dhcp_msg *out, size_t outlen, uint32_t xid, const unsigned char mac[6],
		    int want, struct reply *r, int ms)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(67), .sin_addr = { INADDR_BROADCAST } };
	struct timespec start, now;
	struct dhcp_msg in;

	if (sendto(fd, out, outlen, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = ms - ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000);
		if (left <= 0)
			return 0;
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (!(p.revents & POLLIN))
			continue;
		n = recv(fd, &in, sizeof(in), 0);
		if (n < 0)
			return errno == EINTR || errno == EAGAIN ? 0 : -1;
		if (parse(&in, (size_t)n, xid, mac, r) == 0 && (r->type == want || r->type == DHCP_NAK))
			return 1;
	}
}

static unsigned mask_prefix(uint32_t mask)
{
	return mask ? (unsigned)__builtin_popcount(mask) : 24;
}

void dhcp_request(const char *ifname, const unsigned char mac[6], struct dhcp_lease *lease)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(68) };
	struct dhcp_msg m;
	struct reply offer, ack;
	int one = 1, attempt, r = 0;
	auto_fd int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint32_t xid;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		die("dhcp on %s: socket: %s", ifname, strerror(errno));
	if (getrandom(&xid, sizeof(xid), 0) != sizeof(xid))
		xid = (uint32_t)getpid() ^ (uint32_t)time(NULL);
	/* 0.5 s, 1 s, 2 s ... as RFC 2131's backoff, shorter: the server is on the same host. */
	for (attempt = 0; attempt < ATTEMPTS; attempt++) {
		int wait_ms = 500 << (attempt < 3 ? attempt : 3);

		r = exchange(fd, &m, build(&m, xid, mac, DHCP_DISCOVER, 0, 0), xid, mac, DHCP_OFFER, &offer, wait_ms);
		if (r < 0)
			break;
		if (r == 0 || offer.type != DHCP_OFFER || !offer.yiaddr)
			continue;
		r = exchange(fd, &m, build(&m, xid, mac, DHCP_REQUEST, offer.yiaddr, offer.server), xid, mac, DHCP_ACK,
			     &ack, wait_ms);
		if (r < 0)
			break;
		if (r == 1 && ack.type == DHCP_ACK && ack.yiaddr) {
			lease->addr.s_addr = ack.yiaddr;
			lease->router.s_addr = ack.router ? ack.router : offer.router;
			lease->dns.s_addr = ack.dns ? ack.dns : offer.dns;
			lease->prefix = mask_prefix(ack.mask ? ack.mask : offer.mask);
			lease->seconds = ack.lease;
			return;
		}
	}
	if (r < 0)
		die("dhcp on %s: %s", ifname, strerror(errno));
	die("dhcp on %s: no lease from any server (%d attempts)", ifname, ATTEMPTS);
}
