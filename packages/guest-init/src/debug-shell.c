/* The debug root shell of `--shell`: started before the identity switch, so it keeps root. */
#include "debug-shell.h"
#include "app.h"
#include "die.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

void debug_shell_spawn(const struct vsb_config *c, char **envp)
{
	static char *const argv[] = { "/bin/sh", "-i", NULL };
	pid_t pid;
	int fd;

	pid = fork();
	if (pid < 0)
		die("cannot start the debug shell: %s", strerror(errno));
	if (pid > 0) {
		log_debug("debug shell pid %d on %s", (int)pid, c->shell);
		return;
	}
	app_reset_signals();
	setsid();
	fd = open(c->shell, O_RDWR | O_NOCTTY);
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0)
		_exit(126);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	if (chdir("/") < 0)
		_exit(126);
	execve(argv[0], argv, envp);
	_exit(127);
}
