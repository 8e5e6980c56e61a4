/* The channel's output: frames queued in order, written as the stream takes them (channel.h). */
#include "channel.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

int chan_write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EAGAIN) {
				chan_wait(fd, POLLOUT, -1);
				continue;
			}
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int chan_flush(struct channel *ch)
{
	while (ch->out_off < ch->out_len) {
		ssize_t n = write(ch->fd, ch->out + ch->out_off, ch->out_len - ch->out_off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			ch->broken = 1;
			return -1;
		}
		ch->out_off += (size_t)n;
	}
	ch->out_off = ch->out_len = 0;
	return 0;
}

int chan_out_pending(const struct channel *ch)
{
	return ch->out_off < ch->out_len;
}

int chan_drain(struct channel *ch)
{
	int r = chan_write_all(ch->fd, ch->out + ch->out_off, ch->out_len - ch->out_off);

	ch->out_off = ch->out_len = 0;
	if (r < 0)
		ch->broken = 1;
	return r;
}

int chan_queue(struct channel *ch, uint8_t type, uint32_t stream, const void *payload, uint32_t len)
{
	size_t need = PROTO_HEADER_LEN + len;

	if (ch->out_len + need > CHAN_OUT_CAP && ch->out_off) {
		memmove(ch->out, ch->out + ch->out_off, ch->out_len - ch->out_off);
		ch->out_len -= ch->out_off;
		ch->out_off = 0;
	}
	if (ch->out_len + need > CHAN_OUT_CAP && chan_drain(ch) < 0)
		return -1;
	if (need > CHAN_OUT_CAP) {
		errno = EMSGSIZE;
		return -1;
	}
	proto_put_header(ch->out + ch->out_len, type, stream, len);
	if (len)
		memcpy(ch->out + ch->out_len + PROTO_HEADER_LEN, payload, len);
	ch->out_len += need;
	return 0;
}

int chan_ack(struct channel *ch, uint32_t stream, uint32_t n)
{
	uint8_t payload[4];

	proto_put_u32(payload, n);
	return chan_queue(ch, FRAME_ACK, stream, payload, sizeof(payload));
}

int chan_send(struct channel *ch, uint8_t type, uint32_t stream, const void *payload, uint32_t len)
{
	uint8_t hdr[PROTO_HEADER_LEN];

	if (chan_drain(ch) < 0)
		return -1;
	proto_put_header(hdr, type, stream, len);
	if (chan_write_all(ch->fd, hdr, sizeof(hdr)) < 0)
		return -1;
	return len ? chan_write_all(ch->fd, payload, len) : 0;
}

uint8_t *chan_data_slot(struct channel *ch)
{
	return chan_out_pending(ch) ? NULL : ch->out + PROTO_HEADER_LEN;
}

void chan_data_commit(struct channel *ch, uint8_t type, uint32_t stream, uint32_t n)
{
	proto_put_header(ch->out, type, stream, n);
	ch->out_off = 0;
	ch->out_len = PROTO_HEADER_LEN + n;
}
