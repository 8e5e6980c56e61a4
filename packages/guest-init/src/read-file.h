/* Reading files whole: the init's one reader of procfs, sysfs and its config. */
#ifndef VSB_READ_FILE_H
#define VSB_READ_FILE_H

#include <stddef.h>

/*
 * Reads a file, NUL-terminated, through short reads and EINTR. With buf, into it: *len is its size
 * (at least 1) and at most *len - 1 bytes are read (procfs, sysfs). Without, into a malloc'd buffer as big as
 * the whole file, for the caller to free. Either way *len becomes the length read. Returns the
 * buffer, or NULL with errno when the file cannot be opened or read (*len then unchanged).
 */
char *read_file(const char *path, char *buf, size_t *len);

#endif
