/* Inside the config reader: the records with fields (config-records.c) and how a problem is kept. */
#ifndef VSB_CONFIG_RECORDS_H
#define VSB_CONFIG_RECORDS_H

#include "config.h"

/* Keeps the first problem in c->err, "config: " first; later ones are dropped. */
void config_fail(struct vsb_config *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * One record's value each, appended to c (whose arrays have a slot per record) when valid, else
 * config_fail. The value is cut at its field separators in place.
 */
void config_mount(struct vsb_config *c, char *v);
void config_net(struct vsb_config *c, char *v);
void config_disk(struct vsb_config *c, char *v);
void config_copy(struct vsb_config *c, char *v);

#endif
