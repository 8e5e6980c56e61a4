/* Checks the app's confinement (seccomp.c, landlock.c) in forked children, as the app gets it. */
#include "config.h"
#include "landlock.h"
#include "seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failed;

/* Runs check() in a child (confinement cannot be undone); it returns NULL or what went wrong. */
static void in_child(const char *name, const char *(*check)(void *), void *arg)
{
	int pipefd[2];
	char why[256] = "";
	pid_t pid;
	ssize_t n;
	int status;

	if (pipe(pipefd) < 0)
		exit(2);
	pid = fork();
	if (pid == 0) {
		const char *problem = check(arg);

		if (problem && write(pipefd[1], problem, strlen(problem)) < 0)
			_exit(3);
		_exit(problem ? 1 : 0);
	}
	close(pipefd[1]);
	n = read(pipefd[0], why, sizeof(why) - 1);
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		failed++;
		printf("not ok - confine: %s: %s\n", name, n > 0 ? why : "child died");
	} else {
		printf("ok - confine: %s\n", name);
	}
}

static const char *expect_errno(long r, int want, const char *what)
{
	static char why[128];

	if (r == -1 && errno == want)
		return NULL;
	snprintf(why, sizeof(why), "%s: got %ld (%s), want %s", what, r, r < 0 ? strerror(errno) : "ok",
		 strerror(want));
	return why;
}

static const char *seccomp_refuses(void *unused)
{
	const char *p;
	pid_t pid;

	(void)unused;
	if (seccomp_enforce() < 0)
		return strerror(errno);
	if ((p = expect_errno(unshare(CLONE_NEWUSER), EPERM, "unshare(CLONE_NEWUSER)")) ||
	    (p = expect_errno(syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0), EPERM,
			      "clone(CLONE_NEWUSER)")) ||
	    (p = expect_errno(mount("x", "/mnt", "tmpfs", 0, NULL), EPERM, "mount")) ||
	    (p = expect_errno(umount2("/", MNT_DETACH), EPERM, "umount2")) ||
	    (p = expect_errno(syscall(SYS_add_key, "user", "k", "v", 1, -2), EPERM, "add_key")) ||
	    (p = expect_errno(syscall(SYS_finit_module, -1, "", 0), EPERM, "finit_module")) ||
	    (p = expect_errno(syscall(SYS_bpf, 0, NULL, 0), EPERM, "bpf")) ||
	    (p = expect_errno(syscall(SYS_setns, -1, 0), EPERM, "setns")) ||
	    (p = expect_errno(syscall(SYS_clone3, NULL, 0), ENOSYS, "clone3")))
		return p;
	/* What an ordinary program does still works: fork (clone without CLONE_NEWUSER), unshare(0). */
	if (unshare(0) < 0)
		return "unshare(0) refused";
	pid = fork();
	if (pid == 0)
		_exit(7);
	if (pid < 0)
		return "fork refused";
	{
		int status;

		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 7)
			return "forked child did not exit 7";
	}
	return NULL;
}

static int try_create(const char *dir, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : -1;
}

struct dirs {
	char rw[64], ro[64];
};

static const char *landlock_confines(void *arg)
{
	struct dirs *d = arg;
	struct vsb_config c;
	int fd;

	memset(&c, 0, sizeof(c));
	c.landlock = 1;
	c.writable = (const char *[]){ d->rw };
	c.nwritable = 1;
	/* A failure dies: logged, the child exits 1. */
	landlock_prepare(&c);
	if (landlock_enforce() < 0)
		return strerror(errno);
	if (try_create(d->rw, "yes") < 0)
		return "cannot create a file in the writable dir";
	if (try_create(d->ro, "no") == 0 || errno != EACCES)
		return "created a file outside the writable dirs (or not EACCES)";
	fd = open("/dev/null", O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return "cannot open /dev/null for writing with O_TRUNC";
	close(fd);
	fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return "cannot read elsewhere";
	close(fd);
	return NULL;
}

int main(void)
{
	struct dirs d;

	in_child("seccomp refuses the listed syscalls with EPERM, clone3 with ENOSYS, allows the rest", seccomp_refuses,
		 NULL);
	strcpy(d.rw, "/tmp/vsb-confine-rw-XXXXXX");
	strcpy(d.ro, "/tmp/vsb-confine-ro-XXXXXX");
	if (!mkdtemp(d.rw) || !mkdtemp(d.ro))
		return 2;
	/* vsb's sandboxes count on Landlock: a kernel without it fails here, as the rest of the suite would. */
	if (syscall(SYS_landlock_create_ruleset, NULL, 0, 1UL) < 0) {
		printf("not ok - confine: landlock: the kernel has no Landlock\n");
		failed++;
	} else
		in_child("landlock allows writes only beneath the writable paths and to /dev/null", landlock_confines,
			 &d);
	{
		char file[80];

		snprintf(file, sizeof(file), "%s/yes", d.rw);
		unlink(file);
		rmdir(d.rw);
		rmdir(d.ro);
	}
	return failed ? 1 : 0;
}
