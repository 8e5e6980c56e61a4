/*
 * vsb-init: PID 1 of a vsb sandbox. Reads the guest config, speaks the stdio protocol with the host,
 * prepares the sandbox (hostname, mounts, environment, identity), runs the app, reports its exit.
 */
#include "app.h"
#include "channel.h"
#include "config.h"
#include "copy-tree.h"
#include "debug-shell.h"
#include "die.h"
#include "disks.h"
#include "landlock.h"
#include "log.h"
#include "loop.h"
#include "meminfo.h"
#include "mounts.h"
#include "net.h"
#include "spawn.h"
#include "stage1.h"
#include "stdio-fds.h"
#include "unix-channel.h"
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* LXC: PID 1 exiting ends the container. A QEMU guest powers off instead. */
static void __attribute__((noreturn)) sandbox_end(int status)
{
	sync();
	log_debug("end, status %d", status);
	if (stage1_booted)
		stage1_poweroff();
	exit(status);
}

/* Frames after EXIT carry nothing we need; only QUIT or the stream's end matter. */
static void wait_quit(struct channel *ch)
{
	struct frame f;
	int r;

	for (;;) {
		while ((r = chan_next(ch, &f)) > 0)
			if (f.type == FRAME_QUIT)
				return;
		if (r < 0 || chan_fill(ch, -1) <= 0)
			return;
	}
}

/* Returns 1 on START, 0 on QUIT, -1 when the stream ended or broke. */
static int wait_start(struct channel *ch, struct winsize *ws)
{
	struct frame f;
	int r;

	for (;;) {
		while ((r = chan_next(ch, &f)) > 0) {
			if (f.stream) {
				snprintf(ch->err, sizeof(ch->err), "a frame of stream %u before START", f.stream);
				return -1;
			}
			switch (f.type) {
			case FRAME_START:
				return 1;
			case FRAME_QUIT:
				return 0;
			case FRAME_WINSIZE:
				proto_get_winsize(f.payload, &ws->ws_row, &ws->ws_col);
				break;
			case FRAME_STDIO_FDS:
				if (stdio_fds_take(&f, ch->err, sizeof(ch->err)) < 0)
					return -1;
				break;
			default:
				snprintf(ch->err, sizeof(ch->err), "unexpected frame type %u before START", f.type);
				return -1;
			}
		}
		if (r < 0)
			return -1;
		r = chan_fill(ch, -1);
		if (r <= 0) {
			snprintf(ch->err, sizeof(ch->err), "channel closed before START");
			return -1;
		}
	}
}

/* The channel that die() reports on, once the host is listening. */
static struct channel ch;

/* An init failure: the host shows the message as `vsb: guest: MESSAGE` and exits 1. */
static void __attribute__((noreturn)) fail(char *msg)
{
	static const uint8_t exit1[8] = { 0, 0, 0, 1, 0, 0, 0, 0 };

	log_error("%s", msg);
	proto_one_line(msg);
	if (chan_send(&ch, FRAME_ERROR, 0, msg, (uint32_t)strlen(msg)) == 0 &&
	    chan_send(&ch, FRAME_EXIT, 0, exit1, sizeof(exit1)) == 0)
		wait_quit(&ch);
	sandbox_end(1);
}

/* A failure before the host listens: only the log console can tell. */
static void __attribute__((noreturn)) fail_unheard(char *msg)
{
	log_error("%s", msg);
	sandbox_end(1);
}

/* Everything after the root filesystem is in place; the same for LXC and QEMU. */
static void __attribute__((noreturn)) run_sandbox(const char *config_path, int sigfd)
{
	static struct vsb_config cfg;
	static struct supervisor sup;
	struct spawn_req req = { 0 };
	struct proc *app;
	char err[512] = "";
	enum loop_end end;

	config_read(config_path, &cfg);
	log_debug_enabled = cfg.debug;
	log_debug("config read from %s", config_path);
	if (!cfg.channel)
		die("%s", cfg.err[0] ? cfg.err : "config: missing key 'channel'");
	if ((cfg.channel_unix ? unix_channel_connect(&ch, cfg.channel) : chan_open(&ch, cfg.channel)) < 0)
		die("cannot open channel %s: %s", cfg.channel, strerror(errno));
	log_debug("channel %s open, waiting for the host", cfg.channel);
	if (chan_handshake(&ch) < 0)
		die("handshake on %s failed", cfg.channel);
	switch (wait_start(&ch, &req.ws)) {
	case 0:
		sandbox_end(0);
	case -1:
		die("%s", ch.err);
	}
	log_debug("START, window %ux%u", req.ws.ws_row, req.ws.ws_col);
	die_with(fail);
	/* Config problems wait until now so the host can show them. */
	if (cfg.err[0])
		die("%s", cfg.err);
	if (sethostname(cfg.name, strlen(cfg.name)) == 0)
		log_debug("hostname: %s", cfg.name);
	else if (errno == EPERM)
		log_debug("hostname: not allowed, left as it is");
	else
		die("cannot set hostname '%.64s': %s", cfg.name, strerror(errno));
	net_apply(&cfg);
	copies_prepare(&cfg);
	mounts_apply(&cfg);
	disks_apply(&cfg);
	copies_apply(&cfg);
	meminfo_setup();
	sup.cfg = &cfg;
	sup.ch = &ch;
	sup.envp = app_environment(&cfg);
	app = proc_new(0);
	if (!sup.envp || !app)
		die("out of memory");
	/* Before the identity switch: the debug shell is root. */
	if (cfg.shell)
		debug_shell_spawn(&cfg, sup.envp);
	req.argv = cfg.argv;
	req.envp = sup.envp;
	req.tty = cfg.tty;
	req.split_stderr = cfg.split_stderr;
	/* The ruleset is built as root, so its paths open whoever the app is; the app's process switches to its identity (and user namespace) itself: the init stays root. */
	landlock_prepare(&cfg);
	if (spawn_proc(&cfg, &req, app, err, sizeof(err)) < 0)
		die("%s", err);
	sup.procs[sup.nprocs++] = app;
	if (cfg.userns)
		userns_keep(app->pid);
	/* The app runs its own code now: what `vsb run --detach` waits for before it says so. */
	if (!app->exec_errno && chan_send(&ch, FRAME_STARTED, 0, NULL, 0) < 0) {
		log_error("channel closed before the app was done");
		kill(-app->pid, SIGKILL);
		sandbox_end(1);
	}
	end = loop_run(&sup, sigfd);
	sup_kill_execs(&sup);
	switch (end) {
	case LOOP_EXIT_SENT:
		wait_quit(&ch);
		sandbox_end(0);
	case LOOP_PROTOCOL_ERROR:
		log_error("protocol error: %s", ch.err);
		break;
	case LOOP_HANGUP:
		log_error("channel closed before the app was done");
		break;
	case LOOP_QUIT:
		log_debug("QUIT before the app was done");
		break;
	}
	kill(-app->pid, SIGKILL);
	sandbox_end(end == LOOP_QUIT ? 0 : 1);
}

/* The app gets fds 0-2 by dup2(); if one were closed, a pipe could land there and be lost. */
static void ensure_std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

int main(int argc, char **argv)
{
	sigset_t chld;
	int sigfd;

	const char *config_path = argv[1];

	/* Stage 1 ignores what follows FILE: QEMU's microvm appends virtio_mmio.device=... after `--`. */
	int stage1 = argc >= 3 && !strcmp(argv[1], STAGE1_FLAG);

	if (argc != 2 && !stage1) {
		fprintf(stderr, "usage: vsb-init CONFIG | vsb-init " STAGE1_FLAG " FILE\n");
		return 2;
	}
	ensure_std_fds();
	die_with(fail_unheard);
	/* Outside a sandbox (tests), become the reaper of the app's orphans as PID 1 would be. */
	if (getpid() != 1)
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sigfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	/* A host that hangs up must give EPIPE, not kill us before we clean up. */
	signal(SIGPIPE, SIG_IGN);
	if (sigfd < 0)
		die("signalfd: %s", strerror(errno));
	/* Exiting as PID 1 panics the VM, and panic=-1 ends it. */
	if (stage1 && !(config_path = stage1_boot(argv[2])))
		sandbox_end(1);
	run_sandbox(config_path, sigfd);
}
