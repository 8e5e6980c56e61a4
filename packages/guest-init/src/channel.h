/* The guest's end of the stdio protocol stream: opening it, the handshake, frame input and output. */
#ifndef VSB_CHANNEL_H
#define VSB_CHANNEL_H

#include "protocol.h"

#include <stddef.h>
#include <stdint.h>

struct channel {
	int fd; /* non-blocking */
	int unix_socket; /* read with recvmsg(): descriptors may come with the bytes (stdio-fds.h) */
	uint8_t *in; /* received bytes not yet consumed: in[start .. len) */
	size_t start, len;
	char err[PROTO_ERR_LEN];
};

/* Opens a device (a console tty, made raw). Returns 0, or -1 with errno set. */
int chan_open(struct channel *ch, const char *path);

/* Makes an open non-blocking fd the channel (allocates its input buffer). Returns 0 or -1. */
int chan_adopt(struct channel *ch, int fd);

/* Guest side of the PROTOCOL.md handshake; frames that follow the host's SYNC-ACK stay buffered. */
int chan_handshake(struct channel *ch);

/*
 * Reads what the stream has (waiting up to timeout_ms, -1 = forever, when there is nothing).
 * Returns 1 when bytes arrived or none are there yet, 0 on end of stream, -1 on error.
 */
int chan_fill(struct channel *ch, int timeout_ms);

/*
 * Next buffered frame: 1 with *f set (payload valid until the next chan_fill), 0 when more bytes are
 * needed, -1 on a protocol error (ch->err).
 */
int chan_next(struct channel *ch, struct frame *f);

/* Blocking send of a whole frame. Returns 0 or -1 with errno set. */
int chan_send(struct channel *ch, uint8_t type, const void *payload, uint32_t len);

#endif
