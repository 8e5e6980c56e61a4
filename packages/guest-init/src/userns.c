/* The app's user namespace and its process bound (userns.h). */
#include "userns.h"
#include "cleanup.h"
#include "die.h"
#include "idmap-tree.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The host uid that creates the app's namespace: the last of the sandbox's range (inside: 65535),
 * which nothing on the host runs as. Being its creator makes the kernel count every process of the
 * namespace, whatever uid it switches to inside, against the creator's RLIMIT_NPROC: one bound for
 * the whole sandbox, which no process in it may raise (that takes CAP_SYS_RESOURCE on the host).
 */
static uid_t creator(const struct vsb_config *c)
{
	return c->userns + USERNS_SIZE - 1;
}

uid_t userns_host_uid(const struct vsb_config *c)
{
	return c->userns ? c->userns + c->uid : c->uid;
}

gid_t userns_host_gid(const struct vsb_config *c)
{
	return c->userns ? c->userns + c->gid : c->gid;
}

void userns_sync_open(struct userns_sync *s)
{
	if (pipe2(s->ready, O_CLOEXEC) < 0 || pipe2(s->go, O_CLOEXEC) < 0)
		die("cannot start the app: pipe: %s", strerror(errno));
}

/* The app's namespaces, for exec'd processes (userns_keep). */
static int app_user_ns = -1, app_mnt_ns = -1;

/* RLIMIT_NPROC of the sandbox's processes: `pids`, which none of them may raise. */
static int bound_processes(const struct vsb_config *c)
{
	struct rlimit nproc = { RLIM_INFINITY, RLIM_INFINITY };

	if (c->pids)
		nproc.rlim_cur = nproc.rlim_max = c->pids;
	return setrlimit(RLIMIT_NPROC, &nproc);
}

int userns_enter(const struct vsb_config *c, struct userns_sync *s)
{
	uid_t k = creator(c);
	char b = 'u';

	close(s->ready[0]);
	close(s->go[1]);
	if (bound_processes(c) < 0 || setgroups(0, NULL) < 0 || setresgid(k, k, k) < 0 || setresuid(k, k, k) < 0 ||
	    unshare(CLONE_NEWUSER) < 0 || write(s->ready[1], &b, 1) != 1)
		return -1;
	/* The init closes its end without a byte when it could not finish: it reports why. */
	if (read(s->go[0], &b, 1) != 1) {
		errno = ECANCELED;
		return -1;
	}
	close(s->ready[1]);
	close(s->go[0]);
	/* Owned by the new user namespace: every mount copied into it is locked to its flags. */
	return unshare(CLONE_NEWNS);
}

static int open_ns(pid_t pid, const char *ns)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns);
	return open(path, O_RDONLY | O_CLOEXEC);
}

void userns_keep(pid_t app)
{
	if ((app_user_ns = open_ns(app, "user")) < 0 || (app_mnt_ns = open_ns(app, "mnt")) < 0)
		log_debug("userns: cannot keep the app's namespaces: %s", strerror(errno));
}

int userns_join(const struct vsb_config *c)
{
	if (bound_processes(c) < 0)
		return -1;
	if (app_user_ns < 0 || app_mnt_ns < 0) {
		errno = ESRCH;
		return -1;
	}
	/* Root in the parent namespace may enter the child one; inside it, the mount namespace it owns. */
	return setns(app_user_ns, CLONE_NEWUSER) < 0 || setns(app_mnt_ns, CLONE_NEWNS) < 0 ? -1 : 0;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = -1;

	if (fd >= 0) {
		r = write(fd, text, strlen(text)) == (ssize_t)strlen(text) ? 0 : -1;
		close(fd);
	}
	return r;
}

/* `ID HOST COUNT` for both uid_map and gid_map of pid's namespace; then opens that namespace. */
static int map_ids(pid_t pid, unsigned id, unsigned host, unsigned count)
{
	char path[64], map[64];

	snprintf(map, sizeof(map), "%u %u %u\n", id, host, count);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	if (write_file(path, map) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	if (write_file(path, map) < 0)
		return -1;
	return open_ns(pid, "user");
}

/*
 * The namespace whose idmapping read-only host mounts get: it maps only the creator's uid, which no
 * host file has, so every host file is unmapped there and the kernel refuses to write to it.
 */
static int ro_namespace(const struct vsb_config *c)
{
	int ready[2], go[2], fd = -1, e;
	pid_t pid;
	char b = 0;

	if (pipe2(ready, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(go, O_CLOEXEC) < 0) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		if (unshare(CLONE_NEWUSER) == 0 && write(ready[1], &b, 1) == 1)
			(void)!read(go[0], &b, 1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	if (pid > 0 && read(ready[0], &b, 1) == 1)
		fd = map_ids(pid, creator(c), creator(c), 1);
	e = errno;
	close(ready[0]);
	close(go[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	errno = e;
	return fd;
}

int userns_setup(const struct vsb_config *c, pid_t child, struct userns_sync *s)
{
	auto_fd int ready = s->ready[0], go = s->go[1], app_ns = -1, ro_ns = -1;
	char b = 'g';

	close(s->ready[1]);
	close(s->go[0]);
	/* The child's own report says why. */
	if (read(ready, &b, 1) != 1)
		return -1;
	if ((app_ns = map_ids(child, 0, c->userns, USERNS_SIZE)) < 0 || (ro_ns = ro_namespace(c)) < 0)
		die("cannot map the ids of the app's user namespace: %s", strerror(errno));
	idmap_tree(c, app_ns, ro_ns);
	if (write(go, &b, 1) != 1)
		die("cannot start the app: %s", strerror(errno));
	log_debug("userns: ids 0-%u are host %u-%u, at most %u processes", USERNS_SIZE - 1, c->userns,
		  c->userns + USERNS_SIZE - 1, c->pids);
	return 0;
}
