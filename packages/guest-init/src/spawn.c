/* Starting a process of the app's kind, the app's or an exec'd one (spawn.h). */
#include "spawn.h"
#include "app.h"
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

static int enter_cwd(const struct vsb_config *c, const struct spawn_req *r, char *err, size_t errlen)
{
	if (!r->cwd)
		return app_chdir(c, err, errlen);
	if (chdir(r->cwd) == 0)
		return 0;
	snprintf(err, errlen, "cannot change to directory %s: %s", r->cwd, strerror(errno));
	return -1;
}

static void __attribute__((noreturn)) child(const struct vsb_config *c, const struct spawn_req *r,
					    int slave, const int in[2], const int out[2],
					    const int errp[2], struct userns_sync *sync, int report_fd)
{
	struct report rep = { 0 };
	int ns = 0;

	app_reset_signals();
	prefer_oom_kill();
	if (c->userns)
		ns = r->join ? userns_join(c) : userns_enter(c, sync);
	if (ns < 0) {
		snprintf(rep.msg, sizeof(rep.msg), "cannot enter the app's user namespace: %s", strerror(errno));
		goto setup_failed;
	}
	if (identity_switch(c, rep.msg, sizeof(rep.msg)) < 0 || enter_cwd(c, r, rep.msg, sizeof(rep.msg)) < 0)
		goto setup_failed;
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
setup_failed:
	(void)!write(report_fd, &rep, sizeof(rep));
	_exit(126);
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

/*
 * The pty and pipes belong to the app's host ids (a user-namespaced process reopens /dev/stdin or
 * its pty by name: root-owned ones would be closed to it); made with the init's fsuid switched to them.
 */
static int open_stdio(const struct vsb_config *c, const struct spawn_req *r, struct proc *p, int *slave,
		      int in[2], int out[2], int errp[2], char *err, size_t errlen)
{
	int rc = -1;

	setfsgid(userns_host_gid(c));
	setfsuid(userns_host_uid(c));
	if (r->tty) {
		char name[64];
		int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

		if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
		    ptsname_r(master, name, sizeof(name)) != 0) {
			fail_errno(err, errlen, "pty");
		} else if ((*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
			fail_errno(err, errlen, name);
		} else if (r->ws.ws_row && ioctl(master, TIOCSWINSZ, &r->ws) < 0) {
			fail_errno(err, errlen, "TIOCSWINSZ");
		} else {
			p->pty = p->in_fd = p->out_fd = master;
			rc = 0;
			/* The host's stderr is not its terminal (`2>file`): keep stderr apart. */
			if (r->split_stderr && pipe2(errp, O_CLOEXEC) < 0)
				rc = fail_errno(err, errlen, "pipe");
			p->err_fd = errp[0];
		}
		if (rc < 0 && master >= 0)
			close(master);
	} else if (stdio_fds_pipes(in, out, errp) < 0) {
		/* A stream whose host descriptor was passed in (STDIO_FDS) gets it instead of a pipe. */
		fail_errno(err, errlen, "pipe");
	} else {
		p->in_fd = in[1];
		p->out_fd = out[0];
		p->err_fd = errp[0];
		rc = 0;
	}
	setfsuid(0);
	setfsgid(0);
	return rc;
}

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/* A start that failed before fork: nothing of it stays open (the init lives on for more execs). */
static int abandon(struct proc *p, int slave, int in[2], int out[2], int errp[2])
{
	if (slave >= 0)
		close(slave);
	if (p->pty >= 0)
		close(p->pty);
	close_pair(in);
	close_pair(out);
	close_pair(errp);
	p->pty = p->in_fd = p->out_fd = p->err_fd = -1;
	return -1;
}

int spawn_proc(const struct vsb_config *c, const struct spawn_req *r, struct proc *p, char *err,
	       size_t errlen)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 }, report[2] = { -1, -1 };
	struct userns_sync sync = { { -1, -1 }, { -1, -1 } };
	struct report rep = { 0 };
	int slave = -1, setup = 0, make_ns = c->userns && !r->join;
	ssize_t n;

	p->tty = r->tty;
	if (open_stdio(c, r, p, &slave, in, out, errp, err, errlen) < 0)
		return abandon(p, slave, in, out, errp);
	if (pipe2(report, O_CLOEXEC) < 0) {
		fail_errno(err, errlen, "pipe");
		return abandon(p, slave, in, out, errp);
	}
	if (make_ns && userns_sync_open(&sync, err, errlen) < 0) {
		close_pair(report);
		return abandon(p, slave, in, out, errp);
	}
	p->pid = fork();
	if (p->pid < 0) {
		fail_errno(err, errlen, "fork");
		close_pair(report);
		close_pair(sync.ready);
		close_pair(sync.go);
		return abandon(p, slave, in, out, errp);
	}
	if (p->pid == 0)
		child(c, r, slave, in, out, errp, &sync, report[1]);
	/* Our copies of its ends would keep EOF (or the pty's EIO) from ever coming. */
	close(report[1]);
	if (slave >= 0)
		close(slave);
	if (r->tty) {
		if (errp[1] >= 0)
			close(errp[1]);
	} else {
		/* A passed descriptor is the process's end: ours is closed, it holds its own. */
		if (in[0] >= 0)
			close(in[0]);
		if (out[1] >= 0)
			close(out[1]);
		if (errp[1] >= 0)
			close(errp[1]);
	}
	if (make_ns)
		setup = userns_setup(c, p->pid, &sync, err, errlen);
	while ((n = read(report[0], &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	close(report[0]);
	/* A child told to stop by a failed setup says only that: the init's reason is in err. */
	if (setup == 0 && n == sizeof(rep) && rep.msg[0]) {
		snprintf(err, errlen, "%s", rep.msg);
		setup = -1;
	}
	if (setup < 0) {
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
		if (!err[0])
			snprintf(err, errlen, "cannot start the command");
		return -1;
	}
	p->exec_errno = n == sizeof(rep) ? rep.exec_errno : 0;
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
