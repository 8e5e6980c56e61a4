import fs from 'node:fs';

/** Closes descriptors that came from a client (SCM_RIGHTS) once they are passed on or not wanted. */
export function closeDescriptors(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      fs.closeSync(fd);
    } catch {
      // closed already
    }
  }
}
