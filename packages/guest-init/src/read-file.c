/* Reading files whole (read-file.h). */
#include "read-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

ssize_t read_small(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;
	size_t got = 0;
	ssize_t n = 0;

	if (fd < 0)
		return -1;
	while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t)n;
	}
	e = errno;
	close(fd);
	buf[got] = 0;
	errno = e;
	return n < 0 ? -1 : (ssize_t)got;
}

char *read_whole(const char *path, size_t *len, int *opened)
{
	size_t cap = 4096, got = 0;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC), e;

	if (opened)
		*opened = fd >= 0;
	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t n;

		if (!buf || cap - got < 2) {
			char *bigger = realloc(buf, buf ? cap *= 2 : cap);

			if (!bigger) {
				errno = ENOMEM;
				goto fail;
			}
			buf = bigger;
		}
		n = read(fd, buf + got, cap - got - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	buf[got] = 0;
	*len = got;
	return buf;
fail:
	e = errno;
	close(fd);
	free(buf);
	errno = e;
	return NULL;
}
