/* The stdio protocol over a host unix socket (a local sandbox's fast path past libvirt's console). */
#include "unix-channel.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int unix_channel_connect(struct channel *ch, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, e;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	/* Blocking connect (the host listens before the domain starts), then non-blocking like a tty channel. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0 ||
	    chan_adopt(ch, fd) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	ch->unix_socket = 1;
	return 0;
}
