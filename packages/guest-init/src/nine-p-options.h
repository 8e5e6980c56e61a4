/* Mount options of a VM sandbox's 9p shares, over the transport its host chose. */
#ifndef VSB_NINE_P_OPTIONS_H
#define VSB_NINE_P_OPTIONS_H

#include <stddef.h>

/*
 * The kernel command line's `vsb_9p=TRANSPORT` (virtio, xen), which the kernel hands to init as its
 * environment: the backend chose it with its devices (packages/vm-boot, bootCmdline).
 */
#define NINE_P_TRANSPORT_ENV "vsb_9p"

/*
 * Writes `trans=TRANSPORT,version=9p2000.L` and then `extra` (",msize=..." or "") into buf.
 * Returns -1 when the command line named no transport (or one with a comma) or buf is too small.
 */
int nine_p_options(char *buf, size_t len, const char *extra);

#endif
