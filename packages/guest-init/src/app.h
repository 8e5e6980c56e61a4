/* Starting the app: its environment, working directory, pty or pipes, PATH lookup and exec. */
#ifndef VSB_APP_H
#define VSB_APP_H

#include "config.h"

#include <sys/ioctl.h>
#include <sys/types.h>

struct app {
	pid_t pid; /* also its process group: the app leads its own session */
	int tty;
	int in_fd; /* app's stdin: a pipe, or the pty master */
	int out_fd; /* app's stdout: a pipe, or the pty master (stdout and stderr merged) */
	int err_fd; /* app's stderr pipe; -1 in tty mode */
	int exec_errno; /* 0 when exec succeeded */
};

/* Defaults, then the config's env records; a later KEY replaces an earlier one. NULL on no memory. */
char **app_environment(const struct vsb_config *c);

/* In a child of the init before exec: the signal mask and dispositions a normal program expects. */
void app_reset_signals(void);

/* cwd, else home when it exists, else /. Returns 0, or -1 with a reason in err. */
int app_chdir(const struct vsb_config *c, char *err, size_t errlen);

/*
 * Forks and execs the app, and returns once exec succeeded or failed (app->exec_errno; the child
 * then exits 127 or 126). Returns 0, or -1 with a reason in err when it could not be started at all.
 * The parent's fds are non-blocking.
 */
int app_spawn(const struct vsb_config *c, char **envp, const struct winsize *ws, struct app *app,
	      char *err, size_t errlen);

#endif
