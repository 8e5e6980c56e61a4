/* The guest's end of the stdio protocol stream: opening it, the handshake, frame input and output. */
#include "channel.h"
#include "log.h"
#include "stdio-fds.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define IN_CAP (PROTO_HEADER_LEN + PROTO_MAX_PAYLOAD)

int chan_adopt(struct channel *ch, int fd)
{
	memset(ch, 0, sizeof(*ch));
	ch->fd = fd;
	ch->in = malloc(IN_CAP);
	ch->out = malloc(CHAN_OUT_CAP);
	return ch->in && ch->out ? 0 : -1;
}

int chan_open(struct channel *ch, const char *path)
{
	struct termios t;
	/* O_NOCTTY: as a session leader, PID 1 must not get the channel as its controlling tty. */
	int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0 || chan_adopt(ch, fd) < 0)
		return -1;
	if (tcgetattr(ch->fd, &t) == 0) {
		/*
		 * Raw: no echo of the host's bytes, no ^C/^S handling, no CR/LF rewriting of frames.
		 * Pending input is kept, not flushed: it can only be SYNC-REQs the host already sent,
		 * and throwing them away would cost a 50 ms retry.
		 */
		cfmakeraw(&t);
		if (tcsetattr(ch->fd, TCSANOW, &t) < 0)
			return -1;
	}
	return 0;
}

int chan_wait(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	while ((n = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	return n;
}

int chan_fill(struct channel *ch, int timeout_ms)
{
	ssize_t n;

	/* Only a partial frame is ever left over, so moving it down is cheap. */
	if (ch->start) {
		memmove(ch->in, ch->in + ch->start, ch->len - ch->start);
		ch->len -= ch->start;
		ch->start = 0;
	}
	if (ch->len == IN_CAP)
		return 1;
	if (timeout_ms && chan_wait(ch->fd, POLLIN, timeout_ms) < 0)
		return -1;
	n = ch->unix_socket ? stdio_fds_recv(ch->fd, ch->in + ch->len, IN_CAP - ch->len)
			    : read(ch->fd, ch->in + ch->len, IN_CAP - ch->len);
	if (n < 0)
		/* EIO: a tty whose other side hung up. */
		return errno == EAGAIN || errno == EINTR ? 1 : errno == EIO ? 0 : -1;
	ch->len += (size_t)n;
	return n > 0;
}

int chan_next(struct channel *ch, struct frame *f)
{
	long n = proto_next(ch->in + ch->start, ch->len - ch->start, f, ch->err);

	if (n > 0)
		ch->start += (size_t)n;
	return n > 0 ? 1 : (int)n;
}

int chan_handshake(struct channel *ch)
{
	int acked = 0;

	for (;;) {
		size_t i;
		int r = chan_fill(ch, -1);

		if (r <= 0)
			return -1;
		for (i = ch->start; i < ch->len; i++) {
			if (!acked && ch->in[i] == PROTO_SYNC_REQ) {
				static const uint8_t ack = PROTO_SYNC_ACK;

				if (chan_write_all(ch->fd, &ack, 1) < 0)
					return -1;
				acked = 1;
				log_debug("handshake: sent SYNC-ACK");
			} else if (acked && ch->in[i] == PROTO_SYNC_ACK) {
				ch->start = i + 1;
				log_debug("handshake: done");
				return 0;
			}
		}
		ch->start = ch->len; /* junk before the sync */
	}
}
