/*
 * The app's user namespace (GUEST-CONFIG.md `userns`, `pids`; DESIGN.md "User namespace"): the app's
 * root is an unprivileged host uid range of its own, and every filesystem from the host is seen
 * through an idmapped mount, so no host file, socket or cgroup is the app's to write.
 */
#ifndef VSB_USERNS_H
#define VSB_USERNS_H

#include "config.h"

#include <sys/types.h>

/* Two pipes between the init and the app's process while the namespace is set up. */
struct userns_sync {
	int ready[2]; /* child -> init: "my user namespace exists" */
	int go[2]; /* init -> child: "maps written, mounts idmapped" */
};

/* Before the app's fork(); a failure dies (die.h). */
void userns_sync_open(struct userns_sync *s);

/*
 * In the app's process: bounds its process count (`pids`), becomes the sandbox's own unprivileged
 * host uid, enters a new user namespace, waits for the init, then takes a mount namespace of its
 * own whose mounts are all locked. Returns 0, or -1 with errno set.
 */
int userns_enter(const struct vsb_config *c, struct userns_sync *s);

/*
 * In the init: writes the child's id maps and swaps every host filesystem for an idmapped mount
 * (DESIGN.md), then lets the child go on. Returns 0, or -1 when the child stopped before it could
 * be set up (its own report says why); a failure of the init's part dies (die.h).
 */
int userns_setup(const struct vsb_config *c, pid_t child, struct userns_sync *s);

/*
 * In the init, once the app runs: keeps its user and mount namespaces open, for the processes the
 * host starts later (EXEC). Logged, not fatal, when they are gone already (the app ended at once).
 */
void userns_keep(pid_t app);

/*
 * In an exec'd process: the app's process bound, then its user and mount namespaces, the ones
 * userns_keep() holds (not new ones: the same ids, the same locked mounts). 0, or -1 with errno set.
 */
int userns_join(const struct vsb_config *c);

/* The host uid/gid the app's own identity has, for the files the init makes for it (pty, pipes). */
uid_t userns_host_uid(const struct vsb_config *c);
gid_t userns_host_gid(const struct vsb_config *c);

#endif
