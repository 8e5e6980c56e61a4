/* The host's own stdio descriptors, handed to a local sandbox's init (STDIO_FDS, SCM_RIGHTS). */
#include "stdio-fds.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Received, not yet matched to a STDIO_FDS frame. */
static int received[3];
static int nreceived;
/* Taken for the next process: stdin, stdout, stderr; -1 where the relay carries the stream. */
static int passed[3] = { -1, -1, -1 };
static uint32_t passed_stream;

static void keep(const int *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (nreceived < 3)
			received[nreceived++] = fds[i];
		else
			close(fds[i]);
	}
}

ssize_t stdio_fds_recv(int sock, void *buf, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 16)];
		struct cmsghdr align;
	} control;
	struct iovec iov = { buf, len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof(control.buf)
	};
	struct cmsghdr *c;
	ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);

	if (n < 0)
		return n;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			keep((const int *)CMSG_DATA(c), (c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	if (msg.msg_flags & MSG_CTRUNC)
		log_error("stdio descriptors: more came than fit, the rest were dropped");
	return n;
}

int stdio_fds_take(const struct frame *f, char *err, size_t errlen)
{
	unsigned mask = f->payload[0];
	int i, n = 0, want = 0;

	for (i = 0; i < 3; i++)
		want += (mask >> i) & 1;
	if (mask > 7 || want != nreceived || passed[0] >= 0 || passed[1] >= 0 || passed[2] >= 0) {
		snprintf(err, errlen, "STDIO_FDS: mask %u, but %d descriptors came with it", mask, nreceived);
		return -1;
	}
	for (i = 0; i < 3; i++) {
		if (!(mask & (1u << i)))
			continue;
		passed[i] = received[n++];
		/* Shared with the host's file description, which nobody there reads or writes any more. */
		fcntl(passed[i], F_SETFL, fcntl(passed[i], F_GETFL) & ~O_NONBLOCK);
	}
	nreceived = 0;
	passed_stream = f->stream;
	log_debug("stdio descriptors from the host for stream %u: stdin %s, stdout %s, stderr %s", f->stream,
		  passed[0] >= 0 ? "passed" : "relayed", passed[1] >= 0 ? "passed" : "relayed",
		  passed[2] >= 0 ? "passed" : "relayed");
	return 0;
}

int stdio_fds_pending(uint32_t *stream)
{
	*stream = passed_stream;
	return passed[0] >= 0 || passed[1] >= 0 || passed[2] >= 0;
}

void stdio_fds_drop(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (passed[i] >= 0)
			close(passed[i]);
		passed[i] = -1;
	}
}

/* The app's end is p[app_end], the init's the other one; a passed fd goes to the caller (who closes it). */
static int stream(int p[2], int app_end, int *fd)
{
	if (*fd < 0)
		return pipe2(p, O_CLOEXEC);
	p[app_end] = *fd;
	p[!app_end] = -1;
	*fd = -1;
	return 0;
}

int stdio_fds_pipes(int in[2], int out[2], int errp[2])
{
	if (stream(in, 0, &passed[0]) < 0 || stream(out, 1, &passed[1]) < 0 || stream(errp, 1, &passed[2]) < 0)
		return -1;
	return 0;
}
