/* Reading files whole (read-file.h). */
#include "read-file.h"
#include "cleanup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

char *read_file(const char *path, char *buf, size_t *len)
{
	auto_fd int fd = open(path, O_RDONLY | O_CLOEXEC);
	auto_free char *grown = NULL;
	size_t cap = buf ? *len : 4096, got = 0;

	if (fd < 0 || (!buf && !(buf = grown = malloc(cap))))
		return NULL;
	for (;;) {
		ssize_t n;

		if (got + 1 == cap) {
			char *bigger;

			if (!grown)
				break;
			if (!(bigger = realloc(grown, cap *= 2)))
				return NULL;
			buf = grown = bigger;
		}
		n = read(fd, buf + got, cap - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return NULL;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = 0;
	*len = got;
	steal_ptr(&grown);
	return buf;
}
