/* The guest's end of the stdio protocol stream: opening it, the handshake, frame input and output. */
#include "channel.h"
#include "log.h"
#include "stdio-fds.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#define IN_CAP (PROTO_HEADER_LEN + PROTO_MAX_PAYLOAD)

int chan_adopt(struct channel *ch, int fd)
{
	memset(ch, 0, sizeof(*ch));
	ch->fd = fd;
	ch->in = malloc(IN_CAP);
	return ch->in ? 0 : -1;
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

static int wait_fd(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	while ((n = poll(&p, 1, timeout_ms)) < 0 && errno == EINTR)
		;
	return n;
}

static int write_all(int fd, const struct iovec *iov_in, int cnt)
{
	struct iovec iov[2];

	memcpy(iov, iov_in, sizeof(*iov) * (size_t)cnt);
	while (cnt) {
		ssize_t n = writev(fd, iov, cnt);

		if (n < 0) {
			if (errno == EAGAIN) {
				wait_fd(fd, POLLOUT, -1);
				continue;
			}
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (cnt && (size_t)n >= iov[0].iov_len) {
			n -= (ssize_t)iov[0].iov_len;
			iov[0] = iov[1];
			cnt--;
		}
		if (cnt) {
			iov[0].iov_base = (char *)iov[0].iov_base + n;
			iov[0].iov_len -= (size_t)n;
		}
	}
	return 0;
}

int chan_send(struct channel *ch, uint8_t type, const void *payload, uint32_t len)
{
	uint8_t hdr[PROTO_HEADER_LEN];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { (void *)payload, len } };

	proto_put_header(hdr, type, len);
	return write_all(ch->fd, iov, len ? 2 : 1);
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
	if (timeout_ms && wait_fd(ch->fd, POLLIN, timeout_ms) < 0)
		return -1;
	n = ch->unix_socket ? stdio_fds_recv(ch->fd, ch->in + ch->len, IN_CAP - ch->len) :
			      read(ch->fd, ch->in + ch->len, IN_CAP - ch->len);
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
				struct iovec iov = { (void *)&ack, 1 };

				if (write_all(ch->fd, &iov, 1) < 0)
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
