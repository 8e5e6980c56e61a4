/* VM stage 1: from the generated initrd to the host root (modules, 9p root, /dev /proc /sys). */
#ifndef VSB_STAGE1_H
#define VSB_STAGE1_H

/* The argument that asks for stage 1: the kernel command line ends with `-- --stage1 FILE`. */
#define STAGE1_FLAG "--stage1"

/*
 * Loads the initrd's modules (in the order of their file names), mounts the 9p share tagged by the
 * command line's `vsb_root=` read-only as the new root (over `vsb_9p=`'s transport), mounts /dev
 * /proc /sys /dev/pts /dev/shm in it and switches to it. The share tagged `vsb_config=` holds `file`:
 * it cannot be reached by path from the new root, so it is kept open and the returned path is its
 * /proc/self/fd link. Returns NULL (after logging) on failure, a missing command-line word included.
 */
const char *stage1_boot(const char *file);

/* True once stage 1 ran: the sandbox ends by powering the VM off instead of exiting. */
extern int stage1_booted;

/* Ends a VM sandbox: nothing must outlive the app, and on_poweroff=destroy removes the domain. */
void __attribute__((noreturn)) stage1_poweroff(void);

#endif
