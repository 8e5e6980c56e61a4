/* A supervised process and the flow-controlled relay of its stdio (proc.h). */
#include "proc.h"
#include "log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* How long orphans that hold a process's output open may delay its EXIT after it exited. */
#define EOF_GRACE_MS 200

long long proc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

struct proc *proc_new(uint32_t stream)
{
	struct proc *p = calloc(1, sizeof(*p));

	if (p) {
		p->stream = stream;
		p->pty = p->in_fd = p->out_fd = p->err_fd = -1;
	}
	return p;
}

static void close_fd(struct proc *p, int *fd)
{
	if (*fd >= 0 && *fd != p->pty)
		close(*fd);
	*fd = -1;
}

void proc_free(struct proc *p)
{
	close_fd(p, &p->in_fd);
	close_fd(p, &p->out_fd);
	close_fd(p, &p->err_fd);
	if (p->pty >= 0)
		close(p->pty);
	free(p->in_buf);
	free(p->cmd);
	free(p);
}

static void close_stdin(struct proc *p)
{
	p->stdin_done = 1;
	p->in_len = p->in_off = 0;
	close_fd(p, &p->in_fd);
}

/* The input ended: a pipe is closed; a pty has no EOF to give, so VEOF makes one for the reader. */
static void end_input(struct proc *p)
{
	struct termios t;
	uint8_t veof = 4; /* ^D, unless the pty says otherwise */

	if (!p->tty) {
		close_stdin(p);
		return;
	}
	if (tcgetattr(p->pty, &t) == 0 && t.c_cc[VEOF] != _POSIX_VDISABLE)
		veof = t.c_cc[VEOF];
	if (write(p->pty, &veof, 1) < 0 && (errno == EAGAIN || errno == EINTR))
		return; /* again on POLLOUT */
	close_stdin(p);
}

int proc_write_stdin(struct proc *p, struct channel *ch)
{
	size_t taken = 0;

	while (p->in_len) {
		ssize_t n = write(p->in_fd, p->in_buf + p->in_off, p->in_len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			/* EPIPE, or EIO from a pty nobody holds: it will never read it. */
			log_debug("stream %u stdin: %s, dropping input", p->stream, strerror(errno));
			taken += p->in_len;
			close_stdin(p);
			break;
		}
		p->in_off += (size_t)n;
		p->in_len -= (size_t)n;
		taken += (size_t)n;
	}
	if (!p->in_len)
		p->in_off = 0;
	if (p->in_eof && !p->in_len && !p->stdin_done)
		end_input(p);
	return taken ? chan_ack(ch, p->stream, (uint32_t)taken) : 0;
}

int proc_stdin(struct proc *p, struct channel *ch, const struct frame *f)
{
	if (p->stdin_done || p->in_eof)
		/* After EOF, or it can no longer read: dropped, and acknowledged so the host goes on. */
		return f->len ? chan_ack(ch, p->stream, f->len) : 0;
	if (!f->len) {
		p->in_eof = 1;
		return proc_write_stdin(p, ch);
	}
	if (p->in_len + f->len > PROTO_STDIN_WINDOW) {
		snprintf(ch->err, sizeof(ch->err), "stream %u: STDIN beyond its window", p->stream);
		return -1;
	}
	if (!p->in_buf && !(p->in_buf = malloc(PROTO_STDIN_WINDOW))) {
		snprintf(ch->err, sizeof(ch->err), "out of memory");
		return -1;
	}
	if (p->in_off + p->in_len + f->len > PROTO_STDIN_WINDOW) {
		memmove(p->in_buf, p->in_buf + p->in_off, p->in_len);
		p->in_off = 0;
	}
	memcpy(p->in_buf + p->in_off + p->in_len, f->payload, f->len);
	p->in_len += f->len;
	return proc_write_stdin(p, ch);
}

void proc_winsize(struct proc *p, const struct frame *f)
{
	struct winsize ws;

	if (!p->tty)
		return;
	memset(&ws, 0, sizeof(ws));
	proto_get_winsize(f->payload, &ws.ws_row, &ws.ws_col);
	ioctl(p->pty, TIOCSWINSZ, &ws);
}

void proc_signal(struct proc *p, int signo)
{
	if (!p->exited)
		kill(-p->pid, signo);
}

void proc_acked(struct proc *p, uint32_t n)
{
	p->out_unacked -= n < p->out_unacked ? n : p->out_unacked;
}

static int output_room(const struct proc *p, const struct channel *ch)
{
	return chan_data_slot((struct channel *)ch) && p->out_unacked < PROTO_OUTPUT_WINDOW;
}

void proc_poll(const struct proc *p, const struct channel *ch, struct pollfd fds[3])
{
	int room = output_room(p, ch);

	fds[0].fd = !p->stdin_done && (p->in_len || p->in_eof) ? p->in_fd : -1;
	fds[0].events = POLLOUT;
	fds[1].fd = room ? p->out_fd : -1;
	fds[1].events = POLLIN;
	fds[2].fd = room ? p->err_fd : -1;
	fds[2].events = POLLIN;
}

/* 0 or -1 (channel broken). At EOF (or a pty's EIO once the process is gone) the fd leaves the loop. */
static int read_output(struct proc *p, struct channel *ch, int *fd, uint8_t type)
{
	uint8_t *slot = chan_data_slot(ch);
	size_t room = PROTO_OUTPUT_WINDOW - p->out_unacked;
	ssize_t n;

	if (!slot || !room || *fd < 0)
		return 0;
	n = read(*fd, slot, room < CHAN_DATA_MAX ? room : CHAN_DATA_MAX);
	if (n > 0) {
		chan_data_commit(ch, type, p->stream, (uint32_t)n);
		p->out_unacked += (size_t)n;
		return chan_flush(ch);
	}
	if (n == 0 || (errno != EAGAIN && errno != EINTR))
		close_fd(p, fd);
	return 0;
}

int proc_events(struct proc *p, struct channel *ch, const struct pollfd fds[3])
{
	if (fds[0].fd >= 0 && fds[0].revents && proc_write_stdin(p, ch) < 0)
		return -1;
	p->stderr_first = !p->stderr_first;
	if (p->stderr_first && fds[2].fd >= 0 && fds[2].revents && read_output(p, ch, &p->err_fd, FRAME_STDERR) < 0)
		return -1;
	if (fds[1].fd >= 0 && fds[1].revents && read_output(p, ch, &p->out_fd, FRAME_STDOUT) < 0)
		return -1;
	if (!p->stderr_first && fds[2].fd >= 0 && fds[2].revents && read_output(p, ch, &p->err_fd, FRAME_STDERR) < 0)
		return -1;
	return 0;
}

void proc_reaped(struct proc *p, int status)
{
	p->exited = 1;
	p->exit_ms = proc_now_ms();
	p->code = WIFEXITED(status) ? (uint32_t)WEXITSTATUS(status) : 0;
	p->signo = WIFSIGNALED(status) ? (uint32_t)WTERMSIG(status) : 0;
	log_debug("stream %u exited: code %u signal %u", p->stream, p->code, p->signo);
}

int proc_exec_error(struct proc *p, struct channel *ch)
{
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "vsb: %s: %s\n", p->cmd ? p->cmd : "", strerror(p->exec_errno));

	if (n >= (int)sizeof(msg))
		n = sizeof(msg) - 1;
	p->out_unacked += (size_t)n;
	return chan_queue(ch, FRAME_STDERR, p->stream, msg, (uint32_t)n);
}

int proc_done(struct proc *p, long long now_ms, int *timeout_ms)
{
	long long left;

	if (!p->exited)
		return 0;
	if (p->out_fd >= 0 || p->err_fd >= 0) {
		left = p->exit_ms + EOF_GRACE_MS - now_ms;
		if (left > 0) {
			if (*timeout_ms < 0 || left < *timeout_ms)
				*timeout_ms = (int)left;
			return 0;
		}
		log_debug("stream %u output still open %d ms after exit (orphans?): not waiting", p->stream,
			  EOF_GRACE_MS);
		close_fd(p, &p->out_fd);
		close_fd(p, &p->err_fd);
	}
	return 1;
}

int proc_exit(struct proc *p, struct channel *ch)
{
	uint8_t payload[8];

	proto_put_exit(payload, p->code, p->signo);
	return chan_queue(ch, FRAME_EXIT, p->stream, payload, sizeof(payload));
}
