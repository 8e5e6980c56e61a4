/* The processes the init runs for the host, by stream (supervisor.h). */
#include "supervisor.h"
#include "app.h"
#include "exec-spec.h"
#include "log.h"
#include "spawn.h"
#include "stdio-fds.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static struct proc *find(struct supervisor *s, uint32_t stream)
{
	size_t i;

	for (i = 0; i < s->nprocs; i++)
		if (s->procs[i]->stream == stream)
			return s->procs[i];
	return NULL;
}

/* An exec that never ran: ERROR with the reason, EXIT 1, as an init failure of the app is told. */
static void refuse(struct supervisor *s, uint32_t stream, char *msg)
{
	static const uint8_t exit1[8] = { 0, 0, 0, 1, 0, 0, 0, 0 };

	log_debug("stream %u: %s", stream, msg);
	proto_one_line(msg);
	if (chan_queue(s->ch, FRAME_ERROR, stream, msg, (uint32_t)strlen(msg)) == 0)
		chan_queue(s->ch, FRAME_EXIT, stream, exit1, sizeof(exit1));
}

static enum sup_result start_exec(struct supervisor *s, const struct frame *f)
{
	struct spawn_req req = { 0 };
	struct exec_spec spec;
	char err[256] = "";
	struct proc *p;
	uint32_t fds_for;
	int r;

	if (find(s, f->stream)) {
		snprintf(s->ch->err, sizeof(s->ch->err), "EXEC: stream %u is in use", f->stream);
		return SUP_PROTO_ERR;
	}
	if (stdio_fds_pending(&fds_for) && fds_for != f->stream) {
		snprintf(s->ch->err, sizeof(s->ch->err), "STDIO_FDS of stream %u not followed by its EXEC", fds_for);
		return SUP_PROTO_ERR;
	}
	if (s->nprocs == SUP_MAX_PROCS) {
		stdio_fds_drop();
		snprintf(err, sizeof(err), "too many processes at once (%d)", SUP_MAX_PROCS);
		refuse(s, f->stream, err);
		return SUP_RUN;
	}
	if (exec_spec_parse(f->payload, f->len, &spec, err, sizeof(err)) < 0) {
		stdio_fds_drop();
		refuse(s, f->stream, err);
		return SUP_RUN;
	}
	req.argv = spec.argv;
	req.envp = env_merge(s->envp, spec.env, spec.nenv);
	req.cwd = spec.cwd;
	req.tty = spec.tty;
	req.split_stderr = spec.split_stderr;
	req.ws = spec.ws;
	req.join = 1;
	p = proc_new(f->stream);
	r = p && req.envp ? spawn_proc(s->cfg, &req, p, err, sizeof(err)) : -1;
	free(req.envp);
	exec_spec_free(&spec);
	stdio_fds_drop(); /* what spawn did not take, when it failed early */
	if (r < 0) {
		if (p)
			proc_free(p);
		if (!err[0])
			snprintf(err, sizeof(err), "out of memory");
		refuse(s, f->stream, err);
		return SUP_RUN;
	}
	s->procs[s->nprocs++] = p;
	if (p->exec_errno)
		proc_exec_error(p, s->ch);
	else
		chan_queue(s->ch, FRAME_STARTED, p->stream, NULL, 0);
	return SUP_RUN;
}

enum sup_result sup_frame(struct supervisor *s, const struct frame *f)
{
	struct proc *p = find(s, f->stream);
	uint32_t fds_for;

	if (stdio_fds_pending(&fds_for) && f->type != FRAME_EXEC) {
		snprintf(s->ch->err, sizeof(s->ch->err), "STDIO_FDS of stream %u not followed by its EXEC", fds_for);
		return SUP_PROTO_ERR;
	}
	/* Frames of a stream that is not (or no longer) open, e.g. crossing its EXIT, are dropped. */
	switch (f->type) {
	case FRAME_STDIN:
		return p && proc_stdin(p, s->ch, f) < 0 ? SUP_PROTO_ERR : SUP_RUN;
	case FRAME_WINSIZE:
		if (p)
			proc_winsize(p, f);
		return SUP_RUN;
	case FRAME_SIGNAL:
		if (p)
			proc_signal(p, (int)proto_get_u32(f->payload));
		return SUP_RUN;
	case FRAME_ACK:
		if (p)
			proc_acked(p, proto_get_u32(f->payload));
		return SUP_RUN;
	case FRAME_EXEC:
		return start_exec(s, f);
	case FRAME_STDIO_FDS:
		if (f->stream)
			return stdio_fds_take(f, s->ch->err, sizeof(s->ch->err)) < 0 ? SUP_PROTO_ERR : SUP_RUN;
		break;
	case FRAME_QUIT:
		return SUP_QUIT;
	}
	snprintf(s->ch->err, sizeof(s->ch->err), "unexpected frame type %u", f->type);
	return SUP_PROTO_ERR;
}

void sup_reap(struct supervisor *s, int sigfd)
{
	struct signalfd_siginfo si;
	pid_t pid;
	size_t i;
	int st;

	while (read(sigfd, &si, sizeof(si)) > 0)
		;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (i = 0; i < s->nprocs; i++)
			if (s->procs[i]->pid == pid && !s->procs[i]->exited)
				proc_reaped(s->procs[i], st);
}

void sup_remove(struct supervisor *s, size_t i)
{
	proc_free(s->procs[i]);
	s->procs[i] = s->procs[--s->nprocs];
}

void sup_kill_execs(struct supervisor *s)
{
	size_t i;

	for (i = 1; i < s->nprocs; i++)
		proc_signal(s->procs[i], SIGKILL);
}
