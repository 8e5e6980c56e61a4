/*
 * The init's one way out on a failure it cannot recover from, as bubblewrap's die_with_error: the
 * reason goes where the host will show it, and the sandbox (or the forked process) ends.
 */
#ifndef VSB_DIE_H
#define VSB_DIE_H

/* Takes the formatted reason and never returns: reports it, then ends what it belongs to. */
typedef void (*die_fn)(char *msg) __attribute__((noreturn));

/*
 * Sets what die() does with its reason: the init sends it as ERROR once the channel is open; a
 * process the init forked writes it to the init before exec. Without one it is logged, exit 1.
 */
void die_with(die_fn fn);

/* Formats the reason (one line, like "cannot bind /src: No such file or directory") and ends. */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
