/* The app's seccomp filter: EPERM for syscalls a sandboxed app has no business with. */
#ifndef VSB_SECCOMP_H
#define VSB_SECCOMP_H

/* In the app's process just before exec: sets no_new_privs, installs the filter. 0, or -1 with errno. */
int seccomp_enforce(void);

#endif
