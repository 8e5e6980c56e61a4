/* The init's event loop while the app runs (loop.h). */
#include "loop.h"
#include "log.h"
#include "meminfo.h"

#include <errno.h>
#include <poll.h>

enum { RUN, QUIT, PROTO_ERR, HANGUP };

/* Everything the host sent so far. */
static int process_frames(struct supervisor *s)
{
	struct frame f;
	int r;

	while ((r = chan_next(s->ch, &f)) > 0) {
		switch (sup_frame(s, &f)) {
		case SUP_RUN:
			break;
		case SUP_QUIT:
			return QUIT;
		case SUP_PROTO_ERR:
			return PROTO_ERR;
		}
	}
	return r < 0 ? PROTO_ERR : RUN;
}

/*
 * EXIT for every process that is done; an exec'd one is then forgotten. Returns 1 when the app's
 * went out, else 0 with *timeout lowered to the soonest grace that ends.
 */
static int finish_done(struct supervisor *s, int *timeout)
{
	long long now = proc_now_ms();
	size_t i;

	for (i = s->nprocs; i-- > 0;) {
		if (!proc_done(s->procs[i], now, timeout))
			continue;
		proc_exit(s->procs[i], s->ch);
		if (i == 0)
			return 1;
		sup_remove(s, i);
	}
	return 0;
}

enum loop_end loop_run(struct supervisor *s, int sigfd)
{
	enum { P_CHAN, P_SIG, P_MEM, P_PROCS };
	static struct pollfd p[P_PROCS + 3 * SUP_MAX_PROCS];
	struct channel *ch = s->ch;
	size_t i, k, n, first = 0;
	int r = RUN;

	if (s->procs[0]->exec_errno)
		proc_exec_error(s->procs[0], ch);
	/* What came with START (in the handshake's last read) is buffered already: poll would not say. */
	r = process_frames(s);
	while (r == RUN) {
		int timeout = -1;

		if (finish_done(s, &timeout)) {
			if (chan_drain(ch) < 0)
				return LOOP_HANGUP;
			log_debug("sent EXIT");
			return LOOP_EXIT_SENT;
		}
		if (ch->broken)
			return LOOP_HANGUP;
		p[P_CHAN].fd = ch->fd;
		p[P_CHAN].events = POLLIN | (chan_out_pending(ch) ? POLLOUT : 0);
		p[P_SIG].fd = sigfd;
		p[P_SIG].events = POLLIN;
		p[P_MEM].fd = meminfo_timer_fd();
		p[P_MEM].events = POLLIN;
		n = s->nprocs;
		for (i = 0; i < n; i++)
			proc_poll(s->procs[i], ch, p + P_PROCS + 3 * i);
		if (poll(p, P_PROCS + 3 * n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			return LOOP_HANGUP;
		}
		if (p[P_SIG].revents)
			sup_reap(s, sigfd);
		if (p[P_MEM].revents)
			meminfo_refresh();
		if ((p[P_CHAN].revents & (POLLOUT | POLLERR)) && chan_flush(ch) < 0)
			return LOOP_HANGUP;
		/* Taking turns at who reads first: one busy process cannot hold the channel. */
		for (k = 0, first++; k < n; k++) {
			i = (first + k) % n;
			if (proc_events(s->procs[i], ch, p + P_PROCS + 3 * i) < 0)
				return LOOP_HANGUP;
		}
		if (p[P_CHAN].revents & (POLLIN | POLLHUP | POLLERR))
			r = chan_fill(ch, 0) <= 0 ? HANGUP : process_frames(s);
	}
	if (r == QUIT)
		return LOOP_QUIT;
	return r == PROTO_ERR ? LOOP_PROTOCOL_ERROR : LOOP_HANGUP;
}
