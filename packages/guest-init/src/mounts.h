/* The guest-side mounts of the config (`mount` records: bind, tmpfs, ro), done in order. */
#ifndef VSB_MOUNTS_H
#define VSB_MOUNTS_H

#include "config.h"

/* mkdir -p of a mount target; only missing components are created. Returns 0 or -1 (errno). */
int make_dirs(const char *path);

/* Returns 0, or -1 with a one-line reason in err. */
int mounts_apply(const struct vsb_config *c, char *err, size_t errlen);

#endif
