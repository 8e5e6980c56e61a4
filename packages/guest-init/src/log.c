/* Logging to the init's stderr, which is the sandbox's log console (/dev/console). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

int log_debug_enabled;

static void vlog(const char *level, const char *fmt, va_list ap)
{
	struct timespec ts;

	/* Monotonic time since boot lets the log show where startup time goes. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "vsb-init [%ld.%06ld] %s", (long)ts.tv_sec, ts.tv_nsec / 1000, level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_enabled)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("error: ", fmt, ap);
	va_end(ap);
}
