/* What every process of the app's kind gets: its environment, working directory, PATH lookup. */
#ifndef VSB_APP_H
#define VSB_APP_H

#include "config.h"

#include <stddef.h>

/* Defaults, then the config's env records; a later KEY replaces an earlier one. NULL on no memory. */
char **app_environment(const struct vsb_config *c);

/*
 * base (NULL-terminated) with the KEY=VALUE records of extra applied in order, a later KEY
 * replacing an earlier one: a new array pointing at the same strings. NULL on no memory.
 */
char **env_merge(char *const *base, char *const *extra, size_t nextra);

/* In a child of the init before exec: the signal mask and dispositions a normal program expects. */
void app_reset_signals(void);

/* In the app's process: cwd, else home when it exists, else /; dies (die.h) when none can be entered. */
void app_chdir(const struct vsb_config *c);

/* execvp() with the PATH of envp, not ours; returns with errno set as a shell would judge it. */
void app_exec(char **argv, char **envp);

#endif
