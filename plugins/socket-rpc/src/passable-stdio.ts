import { Readable } from 'node:stream';
import tty from 'node:tty';
import type { Stdio } from '@vsb/core';

/** Which of the app's streams go to the guest as descriptors, and what the relay still carries. */
export interface PassableStdio {
  /** STDIO_FDS mask: stdin 1, stdout 2, stderr 4; 0 when nothing is passed. */
  readonly mask: number;
  /** The descriptors of the mask's streams, in that order. */
  readonly fds: readonly number[];
  /** The stdio for the relay: a passed stdin is replaced by one that never yields (nobody may read the host's). */
  readonly relay: Stdio;
}

/**
 * Picks the streams whose host descriptors can be handed to a local sandbox's app, so it reads
 * and writes them itself: no copy through Node, stdout/stderr order as without a sandbox, EOF and
 * SIGPIPE from the real reader. Only streams with a descriptor of their own (process.stdin/stdout/
 * stderr have `fd`) that is not a terminal: a host tty inside the sandbox would let the app inject
 * input with TIOCSTI. In tty mode nothing is passed (the app runs on the guest's pty).
 */
export function passableStdio(stdio: Stdio, tty_: boolean): PassableStdio {
  const streams = [stdio.stdin, stdio.stdout, stdio.stderr];
  let mask = 0;
  const fds: number[] = [];
  if (!tty_) {
    streams.forEach((stream, i) => {
      const fd = (stream as { fd?: unknown }).fd;
      if (typeof fd === 'number' && fd >= 0 && !tty.isatty(fd)) {
        mask |= 1 << i;
        fds.push(fd);
      }
    });
  }
  const relay = mask & 1 ? { ...stdio, stdin: new Readable({ read() {} }) } : stdio;
  return { mask, fds, relay };
}
