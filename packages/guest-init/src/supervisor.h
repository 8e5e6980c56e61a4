/*
 * The processes the init runs for the host, one per stream of the channel: the app (stream 0)
 * and those the host starts with EXEC (`vsb exec`), each exactly as confined as the app.
 */
#ifndef VSB_SUPERVISOR_H
#define VSB_SUPERVISOR_H

#include "channel.h"
#include "config.h"
#include "proc.h"

/* Processes at once, the app included; an EXEC beyond is refused (ERROR, EXIT 1). */
#define SUP_MAX_PROCS 512

struct supervisor {
	const struct vsb_config *cfg;
	char **envp; /* the app's environment: an exec'd process's starts from it */
	struct channel *ch;
	struct proc *procs[SUP_MAX_PROCS]; /* procs[0] is the app */
	size_t nprocs;
};

enum sup_result { SUP_RUN, SUP_QUIT, SUP_PROTO_ERR };

/* Acts on one frame from the host. SUP_PROTO_ERR leaves the reason in ch->err. */
enum sup_result sup_frame(struct supervisor *s, const struct frame *f);

/* Reads the SIGCHLD signalfd and reaps every child: ours, and as PID 1 every orphan. */
void sup_reap(struct supervisor *s, int sigfd);

/* Forgets the exec'd process at index i (its EXIT went out). */
void sup_remove(struct supervisor *s, size_t i);

/* SIGKILL to every exec'd process group: the app ended, the sandbox goes with it. */
void sup_kill_execs(struct supervisor *s);

#endif
