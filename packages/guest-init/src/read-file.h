/* Reading files whole: the init's one reader of procfs, sysfs and its config. */
#ifndef VSB_READ_FILE_H
#define VSB_READ_FILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Reads at most len - 1 bytes of a small file (procfs, sysfs) into buf, NUL-terminated, through
 * short reads and EINTR. Returns the length, or -1 with errno when it cannot be opened or read.
 */
ssize_t read_small(const char *path, char *buf, size_t len);

/*
 * Reads a whole file of any size into a malloc'd buffer with a NUL after its *len bytes (the caller
 * frees it). Returns NULL with errno on failure; `opened` (when not NULL) tells whether open()
 * succeeded, so an error can say which step failed.
 */
char *read_whole(const char *path, size_t *len, int *opened);

#endif
