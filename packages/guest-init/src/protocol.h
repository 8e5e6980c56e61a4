/* The stdio protocol's bytes (docs/PROTOCOL.md): frame headers, payload codecs. No I/O here. */
#ifndef VSB_PROTOCOL_H
#define VSB_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_SYNC_REQ 0x1B
#define PROTO_SYNC_ACK 0x1C
#define PROTO_HEADER_LEN 8
#define PROTO_MAX_PAYLOAD 262144u
/* Flow control per stream: STDIN bytes the host may send ahead of ACKs, output bytes the guest may. */
#define PROTO_STDIN_WINDOW 262144u
#define PROTO_OUTPUT_WINDOW 1048576u
/* Stream ids are u24: 0 is the app, others are processes the host started with EXEC. */
#define PROTO_MAX_STREAM 0xFFFFFFu

enum frame_type {
	FRAME_STDIN = 1,
	FRAME_STDOUT = 2,
	FRAME_STDERR = 3,
	FRAME_EXIT = 4,
	FRAME_QUIT = 5,
	FRAME_WINSIZE = 6,
	FRAME_SIGNAL = 7,
	FRAME_START = 8,
	FRAME_ERROR = 9,
	FRAME_STDIO_FDS = 10,
	FRAME_STARTED = 11,
	FRAME_EXEC = 12,
	FRAME_ACK = 13,
};

struct frame {
	uint8_t type;
	uint32_t stream;
	uint32_t len;
	const uint8_t *payload; /* points into the caller's buffer */
};

/* Big enough for every message frame_next() writes into err. */
#define PROTO_ERR_LEN 96

void proto_put_header(uint8_t *hdr, uint8_t type, uint32_t stream, uint32_t len);

/*
 * Decodes the first frame of buf. Returns the bytes it spans, 0 when buf holds only part of it,
 * or -1 with err set (the texts of protocol-vectors.json "invalid") when the stream is broken.
 * The header alone decides validity, so a bad frame is caught before its payload arrives.
 */
long proto_next(const uint8_t *buf, size_t len, struct frame *f, char err[PROTO_ERR_LEN]);

/* ERROR's payload is one line of text: control characters in msg become spaces. */
void proto_one_line(char *msg);

void proto_put_exit(uint8_t payload[8], uint32_t code, uint32_t signo);
void proto_put_u32(uint8_t *p, uint32_t v);
void proto_get_exit(const uint8_t payload[8], uint32_t *code, uint32_t *signo);
void proto_get_winsize(const uint8_t payload[4], uint16_t *rows, uint16_t *cols);
uint32_t proto_get_u32(const uint8_t *p);

#endif
