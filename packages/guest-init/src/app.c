/* Starting the app: its environment, working directory, pty or pipes, PATH lookup and exec. */
#include "app.h"
#include "identity.h"
#include "landlock.h"
#include "log.h"
#include "seccomp.h"
#include "stdio-fds.h"
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static char *concat(const char *key, const char *value)
{
	size_t k = strlen(key), v = strlen(value);
	char *s = malloc(k + v + 1);

	if (s) {
		memcpy(s, key, k);
		memcpy(s + k, value, v + 1);
	}
	return s;
}

char **app_environment(const struct vsb_config *c)
{
	char **env = calloc(c->nenv + 6, sizeof(*env));
	size_t n = 0, i, j;

	if (!env)
		return NULL;
	env[n++] = concat("PATH=", DEFAULT_PATH);
	env[n++] = concat("HOME=", c->home);
	env[n++] = concat("USER=", c->user);
	env[n++] = concat("LOGNAME=", c->user);
	env[n++] = concat("TERM=", c->tty && c->term ? c->term : "dumb");
	for (i = 0; i < n; i++)
		if (!env[i])
			return NULL;
	for (i = 0; i < c->nenv; i++) {
		size_t klen = (size_t)(strchr(c->env[i], '=') - c->env[i]) + 1;

		for (j = 0; j < n && strncmp(env[j], c->env[i], klen); j++)
			;
		env[j] = c->env[i];
		n += j == n;
	}
	return env;
}

int app_chdir(const struct vsb_config *c, char *err, size_t errlen)
{
	const char *dir = c->cwd ? c->cwd : c->home;

	if (chdir(dir) == 0) {
		log_debug("cwd: %s", dir);
		return 0;
	}
	if (c->cwd && !c->cwd_soft) {
		snprintf(err, errlen, "cannot change to directory %s: %s", dir, strerror(errno));
		return -1;
	}
	log_debug("cwd: cannot enter %s: %s", dir, strerror(errno));
	if (c->cwd && chdir(c->home) == 0) {
		log_debug("cwd: %s", c->home);
		return 0;
	}
	if (chdir("/") < 0) {
		snprintf(err, errlen, "cannot change to directory /: %s", strerror(errno));
		return -1;
	}
	log_debug("cwd: /");
	return 0;
}

/* Like execve(), and like execvp() a file without #! is a shell script. */
static void try_exec(const char *path, char **argv, char **envp)
{
	size_t argc = 0;

	execve(path, argv, envp);
	if (errno != ENOEXEC)
		return;
	while (argv[argc])
		argc++;
	{
		char *sh_argv[argc + 2];

		sh_argv[0] = "/bin/sh";
		sh_argv[1] = (char *)path;
		memcpy(sh_argv + 2, argv + 1, argc * sizeof(*argv));
		execve("/bin/sh", sh_argv, envp);
	}
	errno = ENOEXEC;
}

/* execvp() with the app's PATH, not ours; returns with errno set like a shell would judge it. */
static void exec_app(char **argv, char **envp)
{
	const char *file = argv[0], *path = DEFAULT_PATH, *dir, *end;
	char buf[PATH_MAX];
	int eacces = 0;
	size_t i;

	if (strchr(file, '/') || !*file) {
		if (!*file)
			errno = ENOENT;
		else
			try_exec(file, argv, envp);
		return;
	}
	for (i = 0; envp[i]; i++)
		if (!strncmp(envp[i], "PATH=", 5))
			path = envp[i] + 5;
	for (dir = path;; dir = end + 1) {
		size_t dlen;

		end = strchrnul(dir, ':');
		dlen = (size_t)(end - dir);
		if (dlen + strlen(file) + 2 <= sizeof(buf)) {
			/* An empty PATH entry means the current directory. */
			snprintf(buf, sizeof(buf), "%.*s%s%s", (int)dlen, dir, dlen ? "/" : "", file);
			try_exec(buf, argv, envp);
			if (errno == EACCES)
				eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP &&
				 errno != ENAMETOOLONG)
				return;
		}
		if (!*end)
			break;
	}
	errno = eacces ? EACCES : ENOENT;
}

/* Runs in the child after fork(): never returns. */
void app_reset_signals(void)
{
	sigset_t none;

	/* The init blocks SIGCHLD for its signalfd and ignores SIGPIPE; both survive exec otherwise. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
}

/* What the app's process tells the init before exec: a failed setup (msg) or exec's errno. */
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

static void __attribute__((noreturn)) child(const struct vsb_config *c, char **envp, int slave,
					    const int in[2], const int out[2], const int errp[2],
					    struct userns_sync *sync, int report_fd)
{
	struct report rep = { 0 };

	app_reset_signals();
	prefer_oom_kill();
	if (c->userns && userns_enter(c, sync) < 0) {
		snprintf(rep.msg, sizeof(rep.msg), "cannot enter the app's user namespace: %s", strerror(errno));
		goto setup_failed;
	}
	if (identity_switch(c, rep.msg, sizeof(rep.msg)) < 0 || app_chdir(c, rep.msg, sizeof(rep.msg)) < 0)
		goto setup_failed;
	setsid();
	if (c->tty) {
		if (ioctl(slave, TIOCSCTTY, 0) < 0 || dup2(slave, 0) < 0 || dup2(slave, 1) < 0 ||
		    dup2(c->split_stderr ? errp[1] : slave, 2) < 0)
			goto fail;
	} else if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 || dup2(errp[1], 2) < 0) {
		goto fail;
	}
	/* Last, so the init's own work above is not confined; Landlock first: the filter allows its calls anyway. */
	if ((c->landlock && landlock_enforce() < 0) || (c->seccomp && seccomp_enforce() < 0))
		goto fail;
	exec_app(c->argv, envp);
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
	snprintf(err, errlen, "cannot start the app: %s: %s", what, strerror(errno));
	return -1;
}

/*
 * The app's pty and pipes belong to its host ids (a user-namespaced app reopens /dev/stdin or its
 * pty by name: root-owned ones would be closed to it); made with the init's fsuid switched to them.
 */
static int open_stdio(const struct vsb_config *c, const struct winsize *ws, struct app *app, int *slave,
		      int in[2], int out[2], int errp[2], char *err, size_t errlen)
{
	int r = -1;

	setfsgid(userns_host_gid(c));
	setfsuid(userns_host_uid(c));
	if (c->tty) {
		char name[64];
		int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

		if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
		    ptsname_r(master, name, sizeof(name)) != 0) {
			fail_errno(err, errlen, "pty");
		} else if ((*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
			fail_errno(err, errlen, name);
		} else if (ws->ws_row && ioctl(master, TIOCSWINSZ, ws) < 0) {
			fail_errno(err, errlen, "TIOCSWINSZ");
		} else {
			app->in_fd = app->out_fd = master;
			app->err_fd = -1;
			r = 0;
			/* The host's stderr is not its terminal (`2>file`): keep the app's stderr apart. */
			if (c->split_stderr && pipe2(errp, O_CLOEXEC) < 0)
				r = fail_errno(err, errlen, "pipe");
			app->err_fd = errp[0];
		}
	} else if (stdio_fds_pipes(in, out, errp) < 0) {
		/* A stream whose host descriptor was passed in (STDIO_FDS) gets it instead of a pipe. */
		fail_errno(err, errlen, "pipe");
	} else {
		app->in_fd = in[1];
		app->out_fd = out[0];
		app->err_fd = errp[0];
		r = 0;
	}
	setfsuid(0);
	setfsgid(0);
	return r;
}

int app_spawn(const struct vsb_config *c, char **envp, const struct winsize *ws, struct app *app,
	      char *err, size_t errlen)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, errp[2] = { -1, -1 }, report[2];
	struct userns_sync sync = { { -1, -1 }, { -1, -1 } };
	struct report rep = { 0 };
	int slave = -1, setup = 0;
	ssize_t n;

	memset(app, 0, sizeof(*app));
	app->tty = c->tty;
	if (open_stdio(c, ws, app, &slave, in, out, errp, err, errlen) < 0)
		return -1;
	if (pipe2(report, O_CLOEXEC) < 0)
		return fail_errno(err, errlen, "pipe");
	if (c->userns && userns_sync_open(&sync, err, errlen) < 0)
		return -1;
	app->pid = fork();
	if (app->pid < 0)
		return fail_errno(err, errlen, "fork");
	if (app->pid == 0)
		child(c, envp, slave, in, out, errp, &sync, report[1]);
	/* Our copies of the app's ends would keep EOF (or the pty's EIO) from ever coming. */
	close(report[1]);
	if (c->tty) {
		close(slave);
		if (c->split_stderr)
			close(errp[1]);
	} else {
		close(in[0]);
		close(out[1]);
		close(errp[1]);
	}
	if (c->userns)
		setup = userns_setup(c, app->pid, &sync, err, errlen);
	while ((n = read(report[0], &rep, sizeof(rep))) < 0 && errno == EINTR)
		;
	close(report[0]);
	/* A child told to stop by a failed setup says only that: the init's reason is in err. */
	if (setup == 0 && n == sizeof(rep) && rep.msg[0]) {
		snprintf(err, errlen, "%s", rep.msg);
		setup = -1;
	}
	if (setup < 0) {
		kill(app->pid, SIGKILL);
		waitpid(app->pid, NULL, 0);
		if (!err[0])
			snprintf(err, errlen, "cannot start the app");
		return -1;
	}
	app->exec_errno = n == sizeof(rep) ? rep.exec_errno : 0;
	if (app->in_fd >= 0)
		set_nonblock(app->in_fd);
	if (!c->tty && app->out_fd >= 0)
		set_nonblock(app->out_fd);
	if (app->err_fd >= 0)
		set_nonblock(app->err_fd);
	log_debug("app: pid %d %s, exec %s", (int)app->pid, c->tty ? "on a pty" : "on pipes",
		  app->exec_errno ? strerror(app->exec_errno) : "ok");
	return 0;
}
