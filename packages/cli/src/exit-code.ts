import type { ExitStatus } from '@vsb/core';

/** Like a shell: the app's code, or 128+signal; when vsb itself was signalled and had to end the sandbox, 128+that signal. */
export function exitCodeOf(status: ExitStatus, received?: number): number {
  if (status.signal !== undefined) return 128 + status.signal;
  if (received !== undefined && status.code === 0) return 128 + received;
  return status.code;
}
