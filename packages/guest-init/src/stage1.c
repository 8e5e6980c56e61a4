/* VM stage 1: from the generated initrd to the host root (modules, 9p root, /dev /proc /sys). */
#include "stage1.h"
#include "log.h"
#include "nine-p-options.h"
#include "read-file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Paths inside the initrd; the host's initrd builder (packages/vm-boot) creates them. */
#define MODULE_DIR "/modules"
#define NEW_ROOT "/sysroot"
#define CONFIG_DIR "/config"
/* finit_module: let the kernel decompress .ko.xz/.ko.zst/.ko.gz (CONFIG_MODULE_DECOMPRESS). */
#define MODULE_INIT_COMPRESSED_FILE 4
/* Read-only root: the page cache may keep what it read, which makes exec and lookups fast under TCG. */
#define ROOT_OPTS ",msize=262144,cache=loose"

int stage1_booted;

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * The initrd carries the virtio transports of both machines; the host says which one this VM has
 * (vsb_transport=mmio or pci on the kernel command line, which the kernel hands to init as the
 * environment): the other one's modules (virtio_pci*, virtio_mmio) would only cost load time.
 */
static int other_transport(const char *file)
{
	const char *transport = getenv("vsb_transport"), *name = strchr(file, '-');

	name = name ? name + 1 : file;
	if (!transport)
		return 0;
	if (!strcmp(transport, "mmio"))
		return !strncmp(name, "virtio_pci", 10);
	if (!strcmp(transport, "pci"))
		return !strncmp(name, "virtio_mmio", 11);
	return 0;
}

/*
 * A word the host put on the kernel command line for stage 1 (`NAME=VALUE`, which the kernel hands
 * to init as its environment); NULL, after saying which is missing. What a backend chooses has no
 * default here: a guessed tag or transport would only fail later, as a mount error naming neither.
 */
static const char *boot_param(const char *name, const char *what)
{
	const char *value = getenv(name);

	if (value && *value)
		return value;
	log_error("stage1: no %s= on the kernel command line (%s)", name, what);
	return NULL;
}

/* The host named the files NNN-name.ko so that name order is dependency order (from modules.dep). */
static int load_modules(void)
{
	struct dirent **list;
	int n, i, ok = 0;

	n = scandir(MODULE_DIR, &list, NULL, alphasort);
	if (n < 0) {
		log_error("stage1: cannot list %s: %s", MODULE_DIR, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *name = list[i]->d_name;
		char path[512];
		int fd, flags = ends_with(name, ".ko") ? 0 : MODULE_INIT_COMPRESSED_FILE;

		if (name[0] == '.' || ok < 0 || other_transport(name))
			continue;
		snprintf(path, sizeof(path), MODULE_DIR "/%s", name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		/*
		 * EEXIST: built in or already loaded, just as good. ENODEV: hardware this VM lacks (one of
		 * several candidates for a soft dependency, e.g. crc32c_intel without SSE4.2 under TCG).
		 */
		if (fd < 0 || (syscall(SYS_finit_module, fd, "", flags) < 0 && errno != EEXIST && errno != ENODEV)) {
			log_error("stage1: cannot load module %s: %s", name, strerror(errno));
			ok = -1;
		}
		if (fd >= 0)
			close(fd);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return ok;
}

/*
 * A 9p mount by tag. Devices are probed while their driver loads, but a slow probe (TCG) could still
 * be registering the tag: ENOENT is retried for up to 2 s.
 */
static int mount_9p(const char *tag, const char *target, unsigned long flags, const char *opts)
{
	struct timespec pause = { 0, 5 * 1000 * 1000 };
	int tries;

	for (tries = 0; tries < 400; tries++) {
		if (mount(tag, target, "9p", flags, opts) == 0)
			return 0;
		if (errno != ENOENT)
			break;
		nanosleep(&pause, NULL);
	}
	log_error("stage1: cannot mount 9p share %s on %s: %s", tag, target, strerror(errno));
	return -1;
}

static int mount_in_root(const char *source, const char *dir, const char *type, unsigned long flags, const char *data)
{
	char path[256];

	snprintf(path, sizeof(path), NEW_ROOT "%s", dir);
	/* devtmpfs has no pts/ or shm/; on the read-only root every other directory must exist. */
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		log_error("stage1: cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	if (mount(source, path, type, flags, data) < 0) {
		log_error("stage1: cannot mount %s on %s: %s", type, path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Links each named virtio-serial port as /dev/virtio-ports/NAME; returns how many. */
static int link_ports(void)
{
	DIR *d = opendir(NEW_ROOT "/sys/class/virtio-ports");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d))) {
		char path[512], name[256], link[512];
		size_t len = sizeof(name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), NEW_ROOT "/sys/class/virtio-ports/%s/name", e->d_name);
		if (!read_file(path, name, &len))
			name[0] = 0;
		name[strcspn(name, "\n")] = 0;
		if (!name[0] || strchr(name, '/'))
			continue;
		snprintf(path, sizeof(path), "../%s", e->d_name);
		snprintf(link, sizeof(link), NEW_ROOT "/dev/virtio-ports/%s", name);
		if (symlink(path, link) == 0 || errno == EEXIST)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

/*
 * There is no udev to make /dev/virtio-ports/NAME, where the host's channel config points. Ports
 * appear once the host side answers the driver, so wait for one (at most 2 s).
 */
static void link_virtio_ports(void)
{
	struct timespec pause = { 0, 2 * 1000 * 1000 };
	int tries;

	if (mkdir(NEW_ROOT "/dev/virtio-ports", 0755) < 0 && errno != EEXIST)
		return;
	for (tries = 0; tries < 1000 && link_ports() == 0; tries++)
		nanosleep(&pause, NULL);
}

/* Write end of the pipe the power-off helper waits on; -1 without one. */
static int poweroff_fd = -1;

/*
 * The init gives up its capabilities with the app's identity, and then reboot(RB_POWER_OFF) fails:
 * PID 1 exited instead and every VM run ended in "Kernel panic - not syncing: Attempted to kill
 * init". So a child forked now, while the init still has CAP_SYS_BOOT, powers the VM off when told
 * (a byte on the pipe) or when the init is gone (the pipe's EOF). It sits in its own session, out
 * of the app's process group.
 */
static void start_poweroff_helper(void)
{
	int p[2];
	pid_t pid;
	char byte;

	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		setsid();
		while (read(p[0], &byte, 1) < 0 && errno == EINTR)
			;
		sync();
		reboot(RB_POWER_OFF);
		_exit(1);
	}
	close(p[0]);
	if (pid > 0)
		poweroff_fd = p[1];
	else
		close(p[1]);
}

const char *stage1_boot(const char *file)
{
	static char config_path[64];
	const char *root_tag, *config_tag;
	char path[256], root_opts[128], config_opts[128];
	int fd;

	/* Loading modules and replacing / is only ever right as the VM's PID 1, never on a host. */
	if (getpid() != 1) {
		log_error("stage1: only runs as PID 1 of a VM sandbox");
		return NULL;
	}
	/* The shares the backend exported (packages/vm-boot's bootCmdline writes these words). */
	root_tag = boot_param("vsb_root", "the 9p tag of the root share");
	config_tag = boot_param("vsb_config", "the 9p tag of the config share");
	if (!root_tag || !config_tag)
		return NULL;
	if (nine_p_options(root_opts, sizeof(root_opts), ROOT_OPTS) < 0 ||
	    nine_p_options(config_opts, sizeof(config_opts), "") < 0) {
		log_error("stage1: no valid " NINE_P_TRANSPORT_ENV
			  "= on the kernel command line (the 9p transport of the shares)");
		return NULL;
	}
	if (load_modules() < 0 || mount_9p(root_tag, NEW_ROOT, MS_RDONLY, root_opts) < 0 ||
	    mount_9p(config_tag, CONFIG_DIR, MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, config_opts) < 0)
		return NULL;
	snprintf(path, sizeof(path), CONFIG_DIR "/%s", file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_error("stage1: cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (mount_in_root("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755") < 0 ||
	    mount_in_root("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
	    mount_in_root("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0 ||
	    mount_in_root("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "mode=0620,ptmxmode=0666") < 0 ||
	    mount_in_root("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
		return NULL;
	link_virtio_ports();
	/* switch_root: the 9p root replaces the initrd as /, so no path leads back into the initrd. */
	if (chdir(NEW_ROOT) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 || chdir("/") < 0) {
		log_error("stage1: cannot switch to the host root: %s", strerror(errno));
		return NULL;
	}
	stage1_booted = 1;
	start_poweroff_helper();
	/* The config share stays mounted in the initrd, out of reach but for this open file. */
	snprintf(config_path, sizeof(config_path), "/proc/self/fd/%d", fd);
	return config_path;
}

void stage1_poweroff(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* Without CAP_SYS_BOOT (see start_poweroff_helper): the helper does it, and PID 1 waits for the end. */
	if (poweroff_fd >= 0 && write(poweroff_fd, "", 1) == 1)
		for (;;)
			pause();
	/* Not reached unless power-off failed: PID 1 exiting panics the kernel, and panic=-1 reboots (destroy). */
	_exit(1);
}
