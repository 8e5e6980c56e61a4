/* The guest-side mounts of the config, done in order (mounts.h). */
#include "mounts.h"
#include "device-mounts.h"
#include "die.h"
#include "log.h"
#include "mount-targets.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static void mount_bind(const struct mount_rec *m, int staged)
{
	struct stat st;

	(void)staged;
	if (stat(m->source, &st) < 0)
		die("cannot bind %s: %s", m->source, strerror(errno));
	if (S_ISDIR(st.st_mode))
		make_dirs(m->target);
	else
		make_file(m->target);
	if (mount(m->source, m->target, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("cannot bind %s to %s: %s", m->source, m->target, strerror(errno));
}

static void mount_tmpfs(const struct mount_rec *m, int staged)
{
	char data[512];
	int n = 0;

	(void)staged;
	if (m->size)
		n = snprintf(data, sizeof(data), "size=%llu", m->size);
	if (m->options[0])
		n += snprintf(data + n, sizeof(data) - (size_t)n, "%s%s", n ? "," : "", m->options);
	if ((size_t)n >= sizeof(data))
		die("tmpfs options for %s too long", m->target);
	data[n] = 0;
	make_dirs(m->target);
	if (mount("tmpfs", m->target, "tmpfs", MS_NOSUID | MS_NODEV, data) < 0)
		die("cannot mount tmpfs on %s: %s", m->target, strerror(errno));
}

void remount_ro(const char *target)
{
	static const struct {
		unsigned long st, ms;
	} keep[] = {
		{ ST_NOSUID, MS_NOSUID },   { ST_NODEV, MS_NODEV },	      { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME }, { ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	struct statvfs sv;
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
	size_t i;

	if (statvfs(target, &sv) < 0)
		die("cannot remount %s read-only: %s", target, strerror(errno));
	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (sv.f_flag & keep[i].st)
			flags |= keep[i].ms;
	if (mount(NULL, target, NULL, flags, NULL) < 0)
		die("cannot remount %s read-only: %s", target, strerror(errno));
}

static void mount_ro(const struct mount_rec *m, int staged)
{
	(void)staged;
	remount_ro(m->target);
}

/* The staged mount opened by mounts_apply moves onto the target; it keeps its flags (ro, nosuid ...). */
static void mount_move(const struct mount_rec *m, int staged)
{
	char src[32];

	make_dirs(m->target);
	snprintf(src, sizeof(src), "/proc/self/fd/%d", staged);
	if (mount(src, m->target, NULL, MS_MOVE, NULL) < 0)
		die("cannot move the mount at %s to %s: %s", m->source, m->target, strerror(errno));
}

/* Each kind's name and step (MOUNT_KINDS); `staged` is the open mount of a `move` record, else -1. */
void mounts_apply(const struct vsb_config *c)
{
	static const struct {
		const char *name;
		void (*apply)(const struct mount_rec *m, int staged);
	} kinds[] = {
#define MOUNT_KIND_STEP(kind, name, source, options, apply) [kind] = { name, apply },
		MOUNT_KINDS(MOUNT_KIND_STEP)
#undef MOUNT_KIND_STEP
	};
	int *staged;
	size_t i;

	if (!c->nmounts)
		return;
	staged = calloc(c->nmounts, sizeof(*staged));
	if (!staged)
		die("out of memory");
	/* Mounts are moved and the root pivoted: neither works under shared propagation. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("cannot make the mounts private: %s", strerror(errno));
	targets_prepare_root(c);
	/* Opened before any record runs: a later tmpfs (on /run, say) may hide where they are staged. */
	for (i = 0; i < c->nmounts; i++) {
		staged[i] = -1;
		if (c->mounts[i].kind == MOUNT_MOVE &&
		    (staged[i] = open(c->mounts[i].source, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			die("cannot open the staged mount %s: %s", c->mounts[i].source, strerror(errno));
	}
	for (i = 0; i < c->nmounts; i++) {
		const struct mount_rec *m = &c->mounts[i];

		kinds[m->kind].apply(m, staged[i]);
		log_debug("mount: %s %s", kinds[m->kind].name, m->target);
	}
	targets_seal();
	for (i = 0; i < c->nmounts; i++)
		if (staged[i] >= 0)
			close(staged[i]);
	free(staged);
}
