/* The app's run: relaying frames and output between the channel and the app, reaping, EXIT. */
#include "loop.h"
#include "log.h"
#include "meminfo.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* One read() of the app's output becomes one frame. */
#define OUT_CHUNK 65536
/* How long orphans that hold the app's output open may delay EXIT after the app exited. */
#define EOF_GRACE_MS 200

struct loop {
	struct channel *ch;
	struct app *app;
	int sigfd;
	/* The frame being written to the channel: header and payload side by side, so one write(). */
	uint8_t out[PROTO_HEADER_LEN + OUT_CHUNK];
	size_t out_len, out_off;
	/* STDIN payload not yet taken by the app; points into ch->in, so the channel is not read meanwhile. */
	const uint8_t *in_pending;
	size_t in_len;
	int stdin_done;
	int out_fd, err_fd; /* -1 once at EOF */
	int stderr_first; /* alternates, so a busy stdout cannot starve stderr */
	int exited;
	uint32_t code, signo;
	long long exit_ms;
};

enum { RUN, QUIT, PROTO_ERR, HANGUP };

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* 0: written or would block; -1: the channel is broken. */
static int flush_out(struct loop *l)
{
	while (l->out_off < l->out_len) {
		ssize_t n = write(l->ch->fd, l->out + l->out_off, l->out_len - l->out_off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN ? 0 : -1;
		}
		l->out_off += (size_t)n;
	}
	l->out_len = l->out_off = 0;
	return 0;
}

static void close_stdin(struct loop *l)
{
	l->stdin_done = 1;
	l->in_len = 0;
	if (!l->app->tty) {
		close(l->app->in_fd);
		l->app->in_fd = -1;
	}
}

static void write_stdin(struct loop *l)
{
	while (l->in_len) {
		ssize_t n = write(l->app->in_fd, l->in_pending, l->in_len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			/* EPIPE, or EIO from a pty nobody holds: the app will never read it. */
			log_debug("app stdin: %s, dropping input", strerror(errno));
			close_stdin(l);
			return;
		}
		l->in_pending += n;
		l->in_len -= (size_t)n;
	}
}

static int handle_frame(struct loop *l, const struct frame *f)
{
	static uint8_t veof = 4; /* ^D, unless the pty says otherwise */
	struct termios t;
	struct winsize ws;

	switch (f->type) {
	case FRAME_STDIN:
		if (l->stdin_done)
			break;
		if (f->len) {
			l->in_pending = f->payload;
			l->in_len = f->len;
		} else if (l->app->tty) {
			/* A pty has no EOF to give: the line discipline turns VEOF into one for the reader. */
			if (tcgetattr(l->app->in_fd, &t) == 0 && t.c_cc[VEOF] != _POSIX_VDISABLE)
				veof = t.c_cc[VEOF];
			l->in_pending = &veof;
			l->in_len = 1;
			l->stdin_done = 1;
		} else {
			close_stdin(l);
		}
		write_stdin(l);
		break;
	case FRAME_WINSIZE:
		if (l->app->tty) {
			memset(&ws, 0, sizeof(ws));
			proto_get_winsize(f->payload, &ws.ws_row, &ws.ws_col);
			ioctl(l->app->in_fd, TIOCSWINSZ, &ws);
		}
		break;
	case FRAME_SIGNAL:
		/* Once reaped, the group id may belong to someone else. */
		if (!l->exited)
			kill(-l->app->pid, (int)proto_get_u32(f->payload));
		break;
	case FRAME_QUIT:
		return QUIT;
	default:
		snprintf(l->ch->err, sizeof(l->ch->err), "unexpected frame type %u", f->type);
		return PROTO_ERR;
	}
	return RUN;
}

static int process_frames(struct loop *l)
{
	struct frame f;
	int r;

	while (!l->in_len) {
		r = chan_next(l->ch, &f);
		if (r == 0)
			return RUN;
		if (r < 0)
			return PROTO_ERR;
		r = handle_frame(l, &f);
		if (r != RUN)
			return r;
	}
	return RUN;
}

/* As PID 1 every orphan in the sandbox is ours to reap, not only the app. */
static void reap(struct loop *l)
{
	struct signalfd_siginfo si;
	pid_t pid;
	int st;

	while (read(l->sigfd, &si, sizeof(si)) > 0)
		;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid != l->app->pid)
			continue;
		l->exited = 1;
		l->exit_ms = now_ms();
		l->code = WIFEXITED(st) ? (uint32_t)WEXITSTATUS(st) : 0;
		l->signo = WIFSIGNALED(st) ? (uint32_t)WTERMSIG(st) : 0;
		log_debug("app exited: code %u signal %u", l->code, l->signo);
	}
}

/* 0 or -1 (channel broken). At EOF (or a pty's EIO once the app is gone) the fd leaves the loop. */
static int read_output(struct loop *l, int *fd, uint8_t type)
{
	ssize_t n = read(*fd, l->out + PROTO_HEADER_LEN, OUT_CHUNK);

	if (n > 0) {
		proto_put_header(l->out, type, (uint32_t)n);
		l->out_len = PROTO_HEADER_LEN + (size_t)n;
		return flush_out(l);
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
		if (*fd != l->app->in_fd)
			close(*fd);
		*fd = -1;
	}
	return 0;
}

static void queue_exec_error(struct loop *l, const char *cmd)
{
	int n = snprintf((char *)l->out + PROTO_HEADER_LEN, OUT_CHUNK, "vsb: %s: %s\n", cmd,
			 strerror(l->app->exec_errno));

	if (n >= OUT_CHUNK)
		n = OUT_CHUNK - 1;
	proto_put_header(l->out, FRAME_STDERR, (uint32_t)n);
	l->out_len = PROTO_HEADER_LEN + (size_t)n;
}

enum loop_end loop_run(struct channel *ch, struct app *app, int sigfd, const char *cmd)
{
	static struct loop l;
	enum { P_CHAN, P_SIG, P_IN, P_OUT, P_ERR, P_MEM, P_COUNT };
	struct pollfd p[P_COUNT];
	uint8_t exit_payload[8];
	int r = RUN;

	memset(&l, 0, sizeof(l));
	l.ch = ch;
	l.app = app;
	l.sigfd = sigfd;
	l.out_fd = app->out_fd;
	l.err_fd = app->err_fd;
	/* The app reads the host's stdin itself (STDIO_FDS): STDIN frames have nowhere to go. */
	l.stdin_done = app->in_fd < 0;
	if (app->exec_errno)
		queue_exec_error(&l, cmd);
	r = flush_out(&l) < 0 ? HANGUP : process_frames(&l);
	while (r == RUN) {
		int timeout = -1;

		if (l.exited && (l.out_fd >= 0 || l.err_fd >= 0)) {
			long long left = l.exit_ms + EOF_GRACE_MS - now_ms();

			if (left <= 0) {
				log_debug("app output still open %d ms after exit (orphans?): not waiting",
					  EOF_GRACE_MS);
				if (l.err_fd >= 0)
					close(l.err_fd);
				if (l.out_fd >= 0 && l.out_fd != app->in_fd)
					close(l.out_fd);
				l.out_fd = l.err_fd = -1;
			} else {
				timeout = (int)left;
			}
		}
		if (l.exited && l.out_fd < 0 && l.err_fd < 0 && !l.out_len)
			break;
		p[P_CHAN].fd = ch->fd;
		p[P_CHAN].events = (l.in_len ? 0 : POLLIN) | (l.out_len ? POLLOUT : 0);
		p[P_SIG].fd = sigfd;
		p[P_SIG].events = POLLIN;
		p[P_IN].fd = l.in_len ? app->in_fd : -1;
		p[P_IN].events = POLLOUT;
		p[P_OUT].fd = l.out_len ? -1 : l.out_fd;
		p[P_OUT].events = POLLIN;
		p[P_ERR].fd = l.out_len ? -1 : l.err_fd;
		p[P_ERR].events = POLLIN;
		p[P_MEM].fd = meminfo_timer_fd();
		p[P_MEM].events = POLLIN;
		if (poll(p, P_COUNT, timeout) < 0) {
			if (errno == EINTR)
				continue;
			return LOOP_HANGUP;
		}
		if (p[P_SIG].revents)
			reap(&l);
		if (p[P_MEM].revents)
			meminfo_refresh();
		if ((p[P_CHAN].revents & (POLLOUT | POLLERR)) && l.out_len && flush_out(&l) < 0)
			r = HANGUP;
		if (r == RUN && p[P_IN].revents) {
			write_stdin(&l);
			r = process_frames(&l);
		}
		if (r == RUN && !l.in_len && (p[P_CHAN].revents & (POLLIN | POLLHUP | POLLERR)))
			r = chan_fill(ch, 0) <= 0 ? HANGUP : process_frames(&l);
		else if (r == RUN && (p[P_CHAN].revents & (POLLHUP | POLLERR)))
			/* Not reading now (the app holds up its stdin), but poll would keep waking us. */
			r = HANGUP;
		l.stderr_first = !l.stderr_first;
		if (r == RUN && l.stderr_first && !l.out_len && p[P_ERR].revents)
			r = read_output(&l, &l.err_fd, FRAME_STDERR) < 0 ? HANGUP : RUN;
		if (r == RUN && !l.out_len && p[P_OUT].revents)
			r = read_output(&l, &l.out_fd, FRAME_STDOUT) < 0 ? HANGUP : RUN;
		if (r == RUN && !l.stderr_first && !l.out_len && p[P_ERR].revents)
			r = read_output(&l, &l.err_fd, FRAME_STDERR) < 0 ? HANGUP : RUN;
	}
	if (r == QUIT)
		return LOOP_QUIT;
	if (r == PROTO_ERR)
		return LOOP_PROTOCOL_ERROR;
	if (r == HANGUP)
		return LOOP_HANGUP;
	proto_put_exit(exit_payload, l.code, l.signo);
	if (chan_send(ch, FRAME_EXIT, exit_payload, sizeof(exit_payload)) < 0)
		return LOOP_HANGUP;
	log_debug("sent EXIT");
	return LOOP_EXIT_SENT;
}
