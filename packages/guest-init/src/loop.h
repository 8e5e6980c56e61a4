/* The app's run: relaying frames and output between the channel and the app, reaping, EXIT. */
#ifndef VSB_LOOP_H
#define VSB_LOOP_H

#include "app.h"
#include "channel.h"

enum loop_end {
	LOOP_EXIT_SENT, /* the app is done and EXIT went out: wait for QUIT */
	LOOP_QUIT, /* the host said QUIT before the app was done */
	LOOP_HANGUP, /* the channel ended or broke */
	LOOP_PROTOCOL_ERROR, /* ch->err says why */
};

/* sigfd: a non-blocking signalfd for SIGCHLD. cmd names the app in exec failure messages. */
enum loop_end loop_run(struct channel *ch, struct app *app, int sigfd, const char *cmd);

#endif
