/* Switching to the app's identity and dropping capabilities (GUEST-CONFIG.md uid/gid/groups/privileged). */
#ifndef VSB_IDENTITY_H
#define VSB_IDENTITY_H

#include "config.h"

/* Returns 0, or -1 with a one-line reason in err. */
int identity_switch(const struct vsb_config *c, char *err, size_t errlen);

#endif
