/* The sandbox's network interfaces (config key `net`), set up by rtnetlink before the app starts. */
#ifndef VSB_NET_H
#define VSB_NET_H

#include "config.h"

#include <stddef.h>

/* Loopback up, then each record in order; a failure dies (die.h). Nothing without records. */
void net_apply(const struct vsb_config *c);

#endif
