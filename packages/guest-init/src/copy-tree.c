/* Copies staged includes into the guest's own mounts (copy-tree.h). */
#include "copy-tree.h"
#include "cleanup.h"
#include "die.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	auto_fd int in = open(from, O_RDONLY | O_CLOEXEC);
	int out;
	ssize_t n = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		char *p = buf;

		while (n > 0) {
			ssize_t w = write(out, p, (size_t)n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				goto done;
			p += w;
			n -= w;
		}
	}
done:
	/* The mode last: a read-only file must still be written, and umask must not narrow it. */
	if (n < 0 || fchmod(out, mode) < 0) {
		close(out);
		return -1;
	}
	return close(out);
}

/* Copies `from` to `to`; on failure `bad` names the path that failed. */
static int copy_tree(const char *from, const char *to, const char **bad)
{
	struct stat st;
	char target[PATH_MAX];
	ssize_t n;

	*bad = from;
	if (lstat(from, &st) < 0)
		return -1;
	*bad = to;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(from, target, sizeof(target) - 1);
		if (n < 0)
			return -1;
		target[n] = 0;
		if (unlink(to) < 0 && errno != ENOENT)
			return -1;
		return symlink(target, to);
	}
	if (S_ISREG(st.st_mode))
		return copy_file(from, to, st.st_mode & 07777);
	if (S_ISDIR(st.st_mode)) {
		DIR *d;
		struct dirent *e;
		int r = 0;

		if (mkdir(to, 0700) < 0 && errno != EEXIST)
			return -1;
		d = opendir(from);
		if (!d) {
			*bad = from;
			return -1;
		}
		while (r == 0 && (e = readdir(d))) {
			char a[PATH_MAX], b[PATH_MAX];

			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (snprintf(a, sizeof(a), "%s/%s", from, e->d_name) >= (int)sizeof(a) ||
			    snprintf(b, sizeof(b), "%s/%s", to, e->d_name) >= (int)sizeof(b)) {
				errno = ENAMETOOLONG;
				r = -1;
				break;
			}
			r = copy_tree(a, b, bad);
		}
		closedir(d);
		if (r == 0)
			*bad = to;
		return r < 0 ? -1 : chmod(to, st.st_mode & 07777);
	}
	errno = EINVAL; /* devices, fifos, sockets: nothing an include should carry */
	*bad = from;
	return -1;
}

/* mkdir -p of the parent of `path` (0755). */
static int make_parents(const char *path)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* O_PATH fds of each record's source directory, opened by copies_prepare. */
static int *source_dirs;

void copies_prepare(const struct vsb_config *c)
{
	size_t i;

	if (!c->ncopies)
		return;
	source_dirs = calloc(c->ncopies, sizeof(*source_dirs));
	if (!source_dirs)
		die("out of memory");
	for (i = 0; i < c->ncopies; i++) {
		char dir[PATH_MAX];
		char *slash;

		snprintf(dir, sizeof(dir), "%s", c->copies[i].source);
		slash = strrchr(dir, '/');
		*(slash == dir ? slash + 1 : slash) = 0;
		source_dirs[i] = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (source_dirs[i] < 0)
			die("--include %.128s: cannot open %.128s: %s", c->copies[i].target, dir, strerror(errno));
	}
}

void copies_apply(const struct vsb_config *c)
{
	size_t i;

	for (i = 0; i < c->ncopies; i++) {
		const struct copy_rec *r = &c->copies[i];
		const char *bad = r->target;
		char source[PATH_MAX];

		/* Through the directory opened before the mounts hid it. */
		snprintf(source, sizeof(source), "/proc/self/fd/%d/%s", source_dirs[i], strrchr(r->source, '/') + 1);
		if (make_parents(r->target) < 0 || copy_tree(source, r->target, &bad) < 0)
			die("--include %.128s: cannot copy %.128s: %s", r->target, bad, strerror(errno));
		log_debug("include: %s", r->target);
		close(source_dirs[i]);
	}
	free(source_dirs);
	source_dirs = NULL;
}
