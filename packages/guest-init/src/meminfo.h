/* A seekable /proc/meminfo for LXC sandboxes (libvirt's FUSE one is not). */
#ifndef VSB_MEMINFO_H
#define VSB_MEMINFO_H

/*
 * Before the identity switch (it mounts): when /proc/meminfo cannot seek, binds a regular copy
 * of it over it. Failing to is logged, never fatal: the app then sees libvirt's file as before.
 */
void meminfo_setup(void);
/* A timerfd to poll (POLLIN every second) while the copy needs refreshing, else -1. */
int meminfo_timer_fd(void);
/* On the timer: reads the timer and rewrites the copy from libvirt's file. */
void meminfo_refresh(void);

#endif
