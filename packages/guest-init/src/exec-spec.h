/* The EXEC frame's payload (PROTOCOL.md): the command, environment and terminal of an exec'd process. */
#ifndef VSB_EXEC_SPEC_H
#define VSB_EXEC_SPEC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/ioctl.h>

struct exec_spec {
	char *buf; /* a copy of the payload; the strings below point into it */
	char **argv; /* NULL-terminated, at least one */
	char **env; /* KEY=VALUE records, applied over the app's environment in order */
	size_t nenv;
	const char *cwd; /* NULL: where the app starts */
	int tty, split_stderr;
	struct winsize ws;
};

/*
 * Parses NUL-terminated KEY=VALUE records: arg (one per word, in order), env, cwd (absolute),
 * tty, splitstderr (0 or 1), rows, cols. Bytes stay as they came. Returns 0, or -1 with a reason in
 * err (and nothing to free).
 */
int exec_spec_parse(const uint8_t *payload, size_t len, struct exec_spec *s, char *err, size_t errlen);

void exec_spec_free(struct exec_spec *s);

#endif
