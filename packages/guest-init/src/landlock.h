/* The app's Landlock ruleset: read and execute anywhere, write only to the sandbox's writable paths. */
#ifndef VSB_LANDLOCK_H
#define VSB_LANDLOCK_H

#include "config.h"

/*
 * In the init, before the app is forked: builds the ruleset when c->landlock is set and the kernel
 * has Landlock (without it the app runs unconfined, logged with debug=1). A failure dies (die.h).
 */
void landlock_prepare(const struct vsb_config *c);

/* In the app's process just before exec: enforces the prepared ruleset, if any. 0, or -1 with errno. */
int landlock_enforce(void);

#endif
