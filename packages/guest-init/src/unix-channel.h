/* The stdio protocol over a host unix socket (a local sandbox's fast path past libvirt's console). */
#ifndef VSB_UNIX_CHANNEL_H
#define VSB_UNIX_CHANNEL_H

#include "channel.h"

/* Connects to the host's listening socket at path. Returns 0, or -1 with errno set. */
int unix_channel_connect(struct channel *ch, const char *path);

#endif
