/* The stdio protocol's bytes (docs/PROTOCOL.md): frame headers, payload codecs. No I/O here. */
#include "protocol.h"

#include <stdio.h>

void proto_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

uint32_t proto_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void proto_put_header(uint8_t *hdr, uint8_t type, uint32_t stream, uint32_t len)
{
	proto_put_u32(hdr, stream);
	hdr[0] = type;
	proto_put_u32(hdr + 4, len);
}

/* Fixed payload sizes; -1 = any length up to the maximum. */
static long fixed_len(uint8_t type)
{
	switch (type) {
	case FRAME_EXIT:
		return 8;
	case FRAME_WINSIZE:
	case FRAME_SIGNAL:
	case FRAME_ACK:
		return 4;
	case FRAME_QUIT:
	case FRAME_START:
	case FRAME_STARTED:
		return 0;
	case FRAME_STDIO_FDS:
		return 1;
	default:
		return -1;
	}
}

long proto_next(const uint8_t *buf, size_t len, struct frame *f, char err[PROTO_ERR_LEN])
{
	uint32_t plen, stream;
	long want;

	if (len < PROTO_HEADER_LEN)
		return 0;
	if (buf[0] < FRAME_STDIN || buf[0] > FRAME_ACK) {
		snprintf(err, PROTO_ERR_LEN, "unknown frame type %u", buf[0]);
		return -1;
	}
	stream = proto_get_u32(buf) & PROTO_MAX_STREAM;
	if (stream && (buf[0] == FRAME_START || buf[0] == FRAME_QUIT)) {
		snprintf(err, PROTO_ERR_LEN, "frame type %u is for stream 0 only", buf[0]);
		return -1;
	}
	if (!stream && buf[0] == FRAME_EXEC) {
		snprintf(err, PROTO_ERR_LEN, "frame type %u needs a stream other than 0", buf[0]);
		return -1;
	}
	plen = proto_get_u32(buf + 4);
	if (plen > PROTO_MAX_PAYLOAD) {
		snprintf(err, PROTO_ERR_LEN, "frame length %u exceeds %u", plen, PROTO_MAX_PAYLOAD);
		return -1;
	}
	want = fixed_len(buf[0]);
	if (want >= 0 && plen != (uint32_t)want) {
		snprintf(err, PROTO_ERR_LEN, "frame type %u needs payload length %ld, got %u", buf[0], want, plen);
		return -1;
	}
	if (len - PROTO_HEADER_LEN < plen)
		return 0;
	f->type = buf[0];
	f->stream = stream;
	f->len = plen;
	f->payload = buf + PROTO_HEADER_LEN;
	return PROTO_HEADER_LEN + (long)plen;
}

void proto_put_exit(uint8_t payload[8], uint32_t code, uint32_t signo)
{
	proto_put_u32(payload, code);
	proto_put_u32(payload + 4, signo);
}

void proto_get_exit(const uint8_t payload[8], uint32_t *code, uint32_t *signo)
{
	*code = proto_get_u32(payload);
	*signo = proto_get_u32(payload + 4);
}

void proto_get_winsize(const uint8_t payload[4], uint16_t *rows, uint16_t *cols)
{
	*rows = (uint16_t)(payload[0] << 8 | payload[1]);
	*cols = (uint16_t)(payload[2] << 8 | payload[3]);
}

void proto_one_line(char *msg)
{
	for (; *msg; msg++)
		if ((unsigned char)*msg < 0x20 || *msg == 0x7f)
			*msg = ' ';
}
