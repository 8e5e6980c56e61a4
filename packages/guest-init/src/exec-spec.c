/* The EXEC frame's payload (exec-spec.h). */
#include "exec-spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decimal in [0, max]; -1 when it is not one. */
static long number(const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	return *s && !*end && !errno && v >= 0 && v <= max ? v : -1;
}

static int flag(const char *key, const char *value, int *out, char *err, size_t errlen)
{
	long v = number(value, 1);

	if (v < 0) {
		snprintf(err, errlen, "exec: %s must be 0 or 1", key);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int record(struct exec_spec *s, char *rec, size_t *nargv, char *err, size_t errlen)
{
	char *value = strchr(rec, '=');
	long v;

	if (!value) {
		snprintf(err, errlen, "exec: a record without '='");
		return -1;
	}
	*value++ = 0;
	if (!strcmp(rec, "arg")) {
		s->argv[(*nargv)++] = value;
	} else if (!strcmp(rec, "env")) {
		if (!strchr(value, '=') || value[0] == '=') {
			snprintf(err, errlen, "exec: env needs KEY=VALUE");
			return -1;
		}
		s->env[s->nenv++] = value;
	} else if (!strcmp(rec, "cwd")) {
		if (value[0] != '/') {
			snprintf(err, errlen, "exec: cwd must be an absolute path");
			return -1;
		}
		s->cwd = value;
	} else if (!strcmp(rec, "tty")) {
		return flag(rec, value, &s->tty, err, errlen);
	} else if (!strcmp(rec, "splitstderr")) {
		return flag(rec, value, &s->split_stderr, err, errlen);
	} else if (!strcmp(rec, "rows") || !strcmp(rec, "cols")) {
		if ((v = number(value, 65535)) < 0) {
			snprintf(err, errlen, "exec: %s must be 0..65535", rec);
			return -1;
		}
		*(rec[0] == 'r' ? &s->ws.ws_row : &s->ws.ws_col) = (unsigned short)v;
	} else {
		snprintf(err, errlen, "exec: unknown key '%.32s'", rec);
		return -1;
	}
	return 0;
}

int exec_spec_parse(const uint8_t *payload, size_t len, struct exec_spec *s, char *err, size_t errlen)
{
	size_t nrec = 0, nargv = 0, i;
	char *p, *next;

	memset(s, 0, sizeof(*s));
	if (!len || payload[len - 1]) {
		snprintf(err, errlen, "exec: the records do not end with NUL");
		return -1;
	}
	for (i = 0; i < len; i++)
		nrec += !payload[i];
	s->buf = malloc(len);
	s->argv = calloc(nrec + 1, sizeof(*s->argv));
	s->env = calloc(nrec, sizeof(*s->env));
	if (!s->buf || !s->argv || !s->env) {
		snprintf(err, errlen, "out of memory");
		exec_spec_free(s);
		return -1;
	}
	memcpy(s->buf, payload, len);
	for (p = s->buf; p < s->buf + len; p = next) {
		next = p + strlen(p) + 1; /* before record() cuts it at '=' */
		if (record(s, p, &nargv, err, errlen) < 0) {
			exec_spec_free(s);
			return -1;
		}
	}
	if (!nargv) {
		snprintf(err, errlen, "exec: no command");
		exec_spec_free(s);
		return -1;
	}
	return 0;
}

void exec_spec_free(struct exec_spec *s)
{
	free(s->buf);
	free(s->argv);
	free(s->env);
	memset(s, 0, sizeof(*s));
}
