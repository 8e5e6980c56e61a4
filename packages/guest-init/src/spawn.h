/*
 * Starting a process of the app's kind: the app itself, or one the host asks for with EXEC
 * (`vsb exec`), which gets exactly the app's identity and confinement: its user and mount
 * namespaces (joined, not new ones), process bound, capabilities, Landlock and seccomp.
 */
#ifndef VSB_SPAWN_H
#define VSB_SPAWN_H

#include "config.h"
#include "proc.h"

#include <sys/ioctl.h>

struct spawn_req {
	char **argv; /* NULL-terminated */
	char **envp;
	const char *cwd; /* a directory it must start in; NULL: the app's rules (app_chdir) */
	int tty; /* on a pty of its own */
	int split_stderr; /* tty mode: stderr stays a pipe apart from the pty */
	struct winsize ws; /* the pty's size; 0 rows: left as the kernel makes it */
	int join; /* an exec'd process: joins the app's namespaces (userns_join) */
};

/*
 * Forks and execs r->argv, and returns once exec succeeded or failed (p->exec_errno; the child
 * then exits 127 or 126), with p's pid and descriptors set (non-blocking on the init's side).
 * Returns 0, or -1 with a reason in err when it could not be started at all: returned, not
 * died (die.h), because one `vsb exec` failing must not end the sandbox. Descriptors already in p
 * then are proc_free's to close. Only the app's new user namespace (userns_setup) dies.
 */
int spawn_proc(const struct vsb_config *c, const struct spawn_req *r, struct proc *p, char *err, size_t errlen);

#endif
