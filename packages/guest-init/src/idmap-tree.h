/* The mount tree the app of a user-namespaced sandbox sees (DESIGN.md "User namespace"). */
#ifndef VSB_IDMAP_TREE_H
#define VSB_IDMAP_TREE_H

#include "config.h"

#include <stddef.h>

/*
 * Replaces the init's mount tree (and so the app's, which copies it) by a copy in which every
 * mount of a filesystem that can be idmapped is: read-write ones and the host-binds and images the
 * user gave through `rw_ns` (the app's namespace, so its files land on the host as the ids it has
 * inside), the other read-only ones (the host's root ...) through `ro_ns`, which maps no id the
 * host's files have: the kernel then refuses every write-permission check there, connect() to a
 * unix socket included, whatever the socket's mode. Cgroup mounts become read-only.
 * A failure dies (die.h).
 */
void idmap_tree(const struct vsb_config *c, int rw_ns, int ro_ns);

#endif
