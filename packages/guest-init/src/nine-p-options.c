/* Mount options of a VM sandbox's 9p shares, over the transport its host chose. */
#include "nine-p-options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nine_p_options(char *buf, size_t len, const char *extra)
{
	const char *transport = getenv(NINE_P_TRANSPORT_ENV);
	int n;

	/* A comma would smuggle further mount options in. */
	if (!transport || !*transport || strchr(transport, ','))
		return -1;
	n = snprintf(buf, len, "trans=%s,version=9p2000.L%s", transport, extra);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
