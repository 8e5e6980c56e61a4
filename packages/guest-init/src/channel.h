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
	uint8_t *out; /* frames queued for the host, not yet written: out[out_off .. out_len) */
	size_t out_off, out_len;
	int broken; /* a write failed: the host is gone (chan_queue callers need not check each one) */
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

/* Channel output (channel-out.c): frames are queued in order and written as the stream takes them. */

/* Blocking: writes everything queued, then the frame. Returns 0 or -1 with errno set. */
int chan_send(struct channel *ch, uint8_t type, uint32_t stream, const void *payload, uint32_t len);

/*
 * Queues a small frame (waiting for the stream only when the queue is full). 0, or -1 with errno
 * and ch->broken set.
 */
int chan_queue(struct channel *ch, uint8_t type, uint32_t stream, const void *payload, uint32_t len);

/* Queues an ACK of n bytes of a stream's data. */
int chan_ack(struct channel *ch, uint32_t stream, uint32_t n);

/*
 * Where a process's output is read to, so it goes out without a copy: room for CHAN_DATA_MAX
 * bytes, or NULL while earlier frames are still queued. chan_data_commit() makes the n bytes
 * read there a frame and queues it.
 */
#define CHAN_DATA_MAX 65536u
uint8_t *chan_data_slot(struct channel *ch);
void chan_data_commit(struct channel *ch, uint8_t type, uint32_t stream, uint32_t n);

/* Writes what the stream takes without blocking: 0, or -1 when it is broken. */
int chan_flush(struct channel *ch);

/* Blocking: writes everything queued. 0 or -1. */
int chan_drain(struct channel *ch);

/* Whether frames are still queued. */
int chan_out_pending(const struct channel *ch);

/* Room for one output frame and the small frames queued behind it (ACK, EXIT, ERROR ...). */
#define CHAN_OUT_CAP (PROTO_HEADER_LEN + CHAN_DATA_MAX + 16384u)

/* poll() one fd, retrying on EINTR; poll's result. */
int chan_wait(int fd, short events, int timeout_ms);

/* Blocking write of len bytes to a non-blocking fd. 0 or -1 with errno set. */
int chan_write_all(int fd, const void *buf, size_t len);

#endif
