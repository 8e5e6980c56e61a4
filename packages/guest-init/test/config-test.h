/* What the guest config tests share (test-config.c, test-config-errors.c, test-config-vectors.c). */
#ifndef VSB_CONFIG_TEST_H
#define VSB_CONFIG_TEST_H

#include "config.h"

/* The minimal valid records, '|' for NUL: a test appends its own. */
#define BASE                                                                                                           \
	"version=1|name=sb1|uid=1000|gid=100|user=alice|home=/home/alice|privileged=0|tty=1|"                          \
	"channel=/dev/tty2|debug=0|"

/* Failures so far; main's exit status. */
extern int failed;

/* Prints `ok - config: NAME`, or `not ok` with the problem (NULL: passed). */
void result(const char *name, const char *problem);

/* config_parse of records given as one C string with '|' for NUL, so tests read like the file. */
int parse(const char *records, struct vsb_config *c);

/* The error cases: one record list each, and the message it must fail with. */
void check_config_errors(void);

/* The files the host's writer produced (config-vectors/, packages/core guest-config-vectors.test.ts). */
void check_config_vectors(void);

#endif
