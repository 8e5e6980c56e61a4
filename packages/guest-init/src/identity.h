/* Switching to the app's identity and dropping capabilities (GUEST-CONFIG.md uid/gid/groups/privileged). */
#ifndef VSB_IDENTITY_H
#define VSB_IDENTITY_H

#include "config.h"

/* In the app's process before exec; a failure dies (die.h), so it never runs as the init is. */
void identity_switch(const struct vsb_config *c);

#endif
