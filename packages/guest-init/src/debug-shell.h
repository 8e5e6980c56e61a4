/* `vsb run --shell`: a root shell on its own console, for looking inside a running sandbox. */
#ifndef VSB_DEBUG_SHELL_H
#define VSB_DEBUG_SHELL_H

#include "config.h"

/*
 * Starts /bin/sh as root, with the container's capabilities, on the tty `c->shell` as its
 * controlling terminal, in its own session. It is not the app: the sandbox ends with the app, and
 * the init reaps the shell like any other orphan. A failed fork dies (die.h).
 */
void debug_shell_spawn(const struct vsb_config *c, char **envp);

#endif
