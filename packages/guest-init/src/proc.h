/*
 * A process the init supervises, the app (stream 0) or one the host started with EXEC, and the
 * relay of its stdio over its stream of the channel, flow-controlled both ways (PROTOCOL.md).
 */
#ifndef VSB_PROC_H
#define VSB_PROC_H

#include "channel.h"

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct proc {
	uint32_t stream;
	pid_t pid; /* also its process group: it leads its own session */
	int tty;
	int pty; /* the pty master in tty mode (in_fd and out_fd), else -1; closed by proc_free */
	int in_fd; /* its stdin's host end: a pipe, or the pty; -1 once done, or when passed (STDIO_FDS) */
	int out_fd; /* its stdout pipe, or the pty (stdout and stderr merged); -1 at EOF */
	int err_fd; /* its stderr pipe; -1 at EOF, or in tty mode unless stderr is split */
	int exec_errno; /* 0 when exec succeeded */
	char *cmd; /* its argv[0], named in the message when it cannot be executed */
	/* STDIN taken from the channel and not yet written: at most PROTO_STDIN_WINDOW bytes. */
	uint8_t *in_buf;
	size_t in_off, in_len;
	int in_eof; /* the EOF frame came: the input ends once in_buf is written */
	int stdin_done; /* nothing more goes to its stdin */
	size_t out_unacked; /* STDOUT/STDERR bytes sent that the host has not acknowledged */
	int stderr_first; /* alternates, so a busy stdout cannot starve stderr */
	int exited;
	uint32_t code, signo;
	long long exit_ms;
};

/* A zeroed process of `stream` with no descriptors, or NULL on no memory. */
struct proc *proc_new(uint32_t stream);
void proc_free(struct proc *p);

/* STDIN for it. Returns 0, or -1 with ch->err set when the host overran the stream's window. */
int proc_stdin(struct proc *p, struct channel *ch, const struct frame *f);
/* Writes what its stdin takes and acknowledges it. Returns 0, or -1 when the channel broke. */
int proc_write_stdin(struct proc *p, struct channel *ch);
void proc_winsize(struct proc *p, const struct frame *f);
/* SIGNAL for its process group (not once reaped: the id may be someone else's by then). */
void proc_signal(struct proc *p, int signo);
/* The host took n more of its output bytes. */
void proc_acked(struct proc *p, uint32_t n);

/* Its three poll entries: stdin while input is pending, outputs while the window and channel allow. */
void proc_poll(const struct proc *p, const struct channel *ch, struct pollfd fds[3]);
/* Acts on its poll entries' events. Returns 0, or -1 when the channel broke. */
int proc_events(struct proc *p, struct channel *ch, const struct pollfd fds[3]);

/* Its waitpid() status. */
void proc_reaped(struct proc *p, int status);

/* Queues `vsb: CMD: REASON` as its STDERR: what a shell says when it cannot execute a command. */
int proc_exec_error(struct proc *p, struct channel *ch);

/*
 * 1 when its EXIT may go: it exited and its outputs reached EOF, or orphans holding them kept
 * them open past the grace (then they are closed); else 0, with *timeout_ms lowered to the grace left.
 */
int proc_done(struct proc *p, long long now_ms, int *timeout_ms);
/* Queues its EXIT. Returns 0 or -1. */
int proc_exit(struct proc *p, struct channel *ch);

long long proc_now_ms(void);

#endif
