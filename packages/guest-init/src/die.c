/* The init's one way out on a failure it cannot recover from (die.h). */
#include "die.h"
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static die_fn handler;

void die_with(die_fn fn)
{
	handler = fn;
}

void die(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (handler)
		handler(msg);
	log_error("%s", msg);
	exit(1);
}
