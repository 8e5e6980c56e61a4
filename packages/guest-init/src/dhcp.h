/* A DHCPv4 client for one exchange (DISCOVER, OFFER, REQUEST, ACK): roots need no dhclient or udhcpc. */
#ifndef VSB_DHCP_H
#define VSB_DHCP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct dhcp_lease {
	struct in_addr addr, router, dns; /* router/dns 0.0.0.0 when the server gave none */
	unsigned prefix; /* from the subnet mask; 24 when absent */
	uint32_t seconds; /* lease time */
};

/* Asks on `ifname` (up, no address yet) for a lease for `mac`; dies (die.h) when none comes. */
void dhcp_request(const char *ifname, const unsigned char mac[6], struct dhcp_lease *lease);

#endif
