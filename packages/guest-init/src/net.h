/* The sandbox's network interfaces (config key `net`), set up by rtnetlink before the app starts. */
#ifndef VSB_NET_H
#define VSB_NET_H

#include "config.h"

#include <stddef.h>

/* Loopback up, then each record in order. 0, or -1 with err set (an init failure). Nothing without records. */
int net_apply(const struct vsb_config *c, char *err, size_t errlen);

#endif
