/* What every process of the app's kind gets: its environment, working directory, PATH lookup. */
#include "app.h"
#include "die.h"
#include "log.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

char **env_merge(char *const *base, char *const *extra, size_t nextra)
{
	size_t nbase = 0, n, i, j;
	char **env;

	while (base[nbase])
		nbase++;
	env = calloc(nbase + nextra + 1, sizeof(*env));
	if (!env)
		return NULL;
	memcpy(env, base, nbase * sizeof(*env));
	n = nbase;
	for (i = 0; i < nextra; i++) {
		size_t klen = (size_t)(strchr(extra[i], '=') - extra[i]) + 1;

		for (j = 0; j < n && strncmp(env[j], extra[i], klen); j++)
			;
		env[j] = extra[i];
		n += j == n;
	}
	return env;
}

char **app_environment(const struct vsb_config *c)
{
	char *defaults[6] = {
		concat("PATH=", DEFAULT_PATH),
		concat("HOME=", c->home),
		concat("USER=", c->user),
		concat("LOGNAME=", c->user),
		concat("TERM=", c->tty && c->term ? c->term : "dumb"),
		NULL,
	};
	size_t i;

	for (i = 0; i < 5; i++)
		if (!defaults[i])
			return NULL;
	return env_merge(defaults, c->env, c->nenv);
}

void app_chdir(const struct vsb_config *c)
{
	const char *dir = c->cwd ? c->cwd : c->home;

	if (chdir(dir) == 0) {
		log_debug("cwd: %s", dir);
		return;
	}
	if (c->cwd && !c->cwd_soft)
		die("cannot change to directory %s: %s", dir, strerror(errno));
	log_debug("cwd: cannot enter %s: %s", dir, strerror(errno));
	if (c->cwd && chdir(c->home) == 0) {
		log_debug("cwd: %s", c->home);
		return;
	}
	if (chdir("/") < 0)
		die("cannot change to directory /: %s", strerror(errno));
	log_debug("cwd: /");
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

void app_exec(char **argv, char **envp)
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
			else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP && errno != ENAMETOOLONG)
				return;
		}
		if (!*end)
			break;
	}
	errno = eacces ? EACCES : ENOENT;
}

void app_reset_signals(void)
{
	sigset_t none;

	/* The init blocks SIGCHLD for its signalfd and ignores SIGPIPE; both survive exec otherwise. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
}
