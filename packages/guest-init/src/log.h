/* Logging to the init's stderr, which is the sandbox's log console (/dev/console). */
#ifndef VSB_LOG_H
#define VSB_LOG_H

extern int log_debug_enabled;

/* Step logging, shown only with debug=1. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Always shown: the host may not be listening on the channel, the console is the last resort. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
