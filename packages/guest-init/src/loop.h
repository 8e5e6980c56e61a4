/* The init's event loop while the app runs: the channel, the supervised processes, reaping, EXIT. */
#ifndef VSB_LOOP_H
#define VSB_LOOP_H

#include "supervisor.h"

enum loop_end {
	LOOP_EXIT_SENT, /* the app is done and its EXIT went out: wait for QUIT */
	LOOP_QUIT, /* the host said QUIT before the app was done */
	LOOP_HANGUP, /* the channel ended or broke */
	LOOP_PROTOCOL_ERROR, /* ch->err says why */
};

/* sigfd: a non-blocking signalfd for SIGCHLD. s->procs[0] is the app, started already. */
enum loop_end loop_run(struct supervisor *s, int sigfd);

#endif
