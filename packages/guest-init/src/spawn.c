/* Starting a process of the app's kind, the app's or an exec'd one (spawn.h). */
#include "spawn.h"
#include "app.h"
#include "cleanup.h"
#include "die.h"
#include "identity.h"
#include "landlock.h"
#include "log.h"
#include "seccomp.h"
#include "stdio-fds.h"
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the new process tells the init before exec: a failed setup (msg) or exec's errno. */
struct report {
	int exec_errno;
	char msg[256];
};

/* The OOM killer takes the app before the init or the host's side of the sandbox (raising needs no privilege). */
static void prefer_oom_kill(void)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		(void)!write(fd, "1000", 4);
		close(fd);
	}
}

/* Where die() reports in the new process: the init reads it back (report_failure). */
static int report_fd = -1;

/* die() in the new process before exec: the reason goes to the init, which tells the host. */
static void __attribute__((noreturn)) report_failure(char *msg)
{
	struct report rep = { 0 };

	snprintf(rep.msg, sizeof(rep.msg), "%s", msg);
	(void)!write(report_fd, &rep, sizeof(rep));
	_exit(126);
}

static void enter_cwd(const struct vsb_config *c, const struct spawn_req *r)
{
	if (!r->cwd)
		app_chdir(c);
	else if (chdir(r->cwd) < 0)
		die("cannot change to directory %s: %s", r->cwd, strerror(errno));
}

static void __attribute__((noreturn))
child(const struct vsb_config *c, const struct spawn_req *r, int slave, const int in[2], const int out[2],
      const int errp[2], struct userns_sync *sync)
{
	struct report rep = { 0 };

	die_with(report_failure);
	app_reset_signals();
	prefer_oom_kill();
	if (c->userns && (r->join ? userns_join(c) : userns_enter(c, sync)) < 0)
		die("cannot enter the app's user namespace: %s", strerror(errno));
	identity_switch(c);
	enter_cwd(c, r);
	setsid();
	if (r->tty) {
		if (ioctl(slave, TIOCSCTTY, 0) < 0 || dup2(slave, 0) < 0 || dup2(slave, 1) < 0 ||
		    dup2(r->split_stderr ? errp[1] : slave, 2) < 0)
			goto fail;
	} else if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(errp[1], 2) < 0) {
		goto fail;
	}
	/* Last, so the init's own work above is not confined; Landlock first: the filter allows its calls anyway. */
	if ((c->landlock && landlock_enforce() < 0) || (c->seccomp && seccomp_enforce() < 0))
		goto fail;
	app_exec(r->argv, r->envp);
fail:
	rep.exec_errno = errno;
	if (write(report_fd, &rep, sizeof(rep)) < 0)
		_exit(126);
	_exit(rep.exec_errno == ENOENT ? 127 : 126);
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static int fail_errno(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "cannot start the command: %s: %s", what, strerror(errno));
	return -1;
}

/* The pty of tty mode: its master goes to p, its slave to *slave (the caller's to close). */
static int open_pty(const struct spawn_req *r, struct proc *p, int *slave, int errp[2], char *err, size_t errlen)
{
	auto_fd int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	char name[64];

	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name)) != 0)
		return fail_errno(err, errlen, "pty");
	if ((*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return fail_errno(err, errlen, name);
	if (r->ws.ws_row && ioctl(master, TIOCSWINSZ, &r->ws) < 0)
		return fail_errno(err, errlen, "TIOCSWINSZ");
	/* The host's stderr is not its terminal (`2>file`): keep stderr apart. */
	if (r->split_stderr && pipe2(errp, O_CLOEXEC) < 0)
		return fail_errno(err, errlen, "pipe");
	p->pty = p->in_fd = p->out_fd = steal_fd(&master);
	p->err_fd = steal_fd(&errp[0]);
	return 0;
}

/*
 * The pty and pipes belong to the app's host ids (a user-namespaced process reopens /dev/stdin or
 * its pty by name: root-owned ones would be closed to it); made with the init's fsuid switched to them.
 */
static int open_stdio(const struct vsb_config *c, const struct spawn_req *r, struct proc *p, int *slave, int in[2],
		      int out[2], int errp[2], char *err, size_t errlen)
{
	int rc;

	setfsgid(userns_host_gid(c));
	setfsuid(userns_host_uid(c));
	if (r->tty) {
		rc = open_pty(r, p, slave, errp, err, errlen);
	} else if (stdio_fds_pipes(in, out, errp) < 0) {
		/* A stream whose host descriptor was passed in (STDIO_FDS) gets it instead of a pipe. */
		rc = fail_errno(err, errlen, "pipe");
	} else {
		p->in_fd = steal_fd(&in[1]);
		p->out_fd = steal_fd(&out[0]);
		p->err_fd = steal_fd(&errp[0]);
		rc = 0;
	}
	setfsuid(0);
	setfsgid(0);
	return rc;
}

/* In the init: what the new process reported before exec; -1 with its reason in err when setup failed. */
static int read_report(int fd, struct proc *p, char *err, size_t errlen)
{
	struct report rep = { 0 };
	ssize_t n;

	while ((n = read(fd, &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	if (n == sizeof(rep) && rep.msg[0]) {
		snprintf(err, errlen, "%s", rep.msg);
		return -1;
	}
	p->exec_errno = n == sizeof(rep) ? rep.exec_errno : 0;
	return 0;
}

int spawn_proc(const struct vsb_config *c, const struct spawn_req *r, struct proc *p, char *err, size_t errlen)
{
	/* The new process's ends (the init's go to p): closed here once it holds its own copies. */
	auto_pair int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 }, report[2] = { -1, -1 };
	auto_fd int slave = -1;
	struct userns_sync sync = { { -1, -1 }, { -1, -1 } };
	int make_ns = c->userns && !r->join, setup = 0;

	p->tty = r->tty;
	if (open_stdio(c, r, p, &slave, in, out, errp, err, errlen) < 0)
		return -1;
	if (pipe2(report, O_CLOEXEC) < 0)
		return fail_errno(err, errlen, "pipe");
	if (make_ns)
		userns_sync_open(&sync);
	p->pid = fork();
	if (p->pid < 0) {
		fail_errno(err, errlen, "fork");
		close_pairp(&sync.ready);
		close_pairp(&sync.go);
		return -1;
	}
	if (p->pid == 0) {
		report_fd = report[1];
		child(c, r, slave, in, out, errp, &sync);
	}
	/* Our copies of its ends would keep EOF (or the pty's EIO) from ever coming. */
	close_fdp(&report[1]);
	close_fdp(&slave);
	close_pairp(&in);
	close_pairp(&out);
	close_pairp(&errp);
	if (make_ns)
		setup = userns_setup(c, p->pid, &sync);
	/* A child told to stop by a failed setup says only that: the init's reason is in err. */
	if (read_report(report[0], p, err, errlen) < 0 || setup < 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
		if (!err[0])
			snprintf(err, errlen, "cannot start the command");
		return -1;
	}
	p->cmd = strdup(r->argv[0]);
	if (p->in_fd >= 0)
		set_nonblock(p->in_fd);
	if (!r->tty && p->out_fd >= 0)
		set_nonblock(p->out_fd);
	if (p->err_fd >= 0)
		set_nonblock(p->err_fd);
	p->stdin_done = p->in_fd < 0;
	log_debug("stream %u: pid %d %s, exec %s", p->stream, (int)p->pid, r->tty ? "on a pty" : "on pipes",
		  p->exec_errno ? strerror(p->exec_errno) : "ok");
	return 0;
}
