/* The host's own stdio descriptors, handed to a local sandbox's init (STDIO_FDS, SCM_RIGHTS). */
#ifndef VSB_STDIO_FDS_H
#define VSB_STDIO_FDS_H

#include "protocol.h"

#include <stddef.h>
#include <sys/types.h>

/* Bits of the STDIO_FDS payload: which of the app's stdin, stdout, stderr come attached, in that order. */
#define STDIO_FD_IN 1u
#define STDIO_FD_OUT 2u
#define STDIO_FD_ERR 4u

/*
 * read() for a unix socket channel: recvmsg() that keeps descriptors arriving with the bytes
 * (close-on-exec) for stdio_fds_take(). Descriptors beyond three, or a second set, are closed.
 */
ssize_t stdio_fds_recv(int sock, void *buf, size_t len);

/*
 * The STDIO_FDS frame: matches its mask to the descriptors that came with it and keeps them for the
 * process of its stream (the app's, or the exec'd one whose EXEC follows), blocking (the host's Node
 * made its pipes non-blocking; a program expects what a shell gives). Returns 0, or -1 with a
 * reason in err.
 */
int stdio_fds_take(const struct frame *f, char *err, size_t errlen);

/* 1 with *stream set while taken descriptors wait for their process, else 0. */
int stdio_fds_pending(uint32_t *stream);

/* Closes taken descriptors whose process will not start. */
void stdio_fds_drop(void);

/*
 * For app_spawn: the three stdio pipes of the app, except that a passed descriptor takes the
 * app's end of its stream and the init's end is -1 (no relay). Returns 0, or -1 with errno set.
 */
int stdio_fds_pipes(int in[2], int out[2], int errp[2]);

#endif
