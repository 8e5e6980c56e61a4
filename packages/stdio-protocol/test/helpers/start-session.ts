import type { Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import type { Stdio } from '@vsb/core';
import { ConsoleRpcSession, type ConsoleRpcSessionOptions } from '../../src';
import { Collector } from './collector';
import { FakeGuest, type FakeGuestOptions } from './fake-guest';
import { socketPair } from './socket-pair';

/** Everything one session test is made of. */
export interface Harness {
  session: ConsoleRpcSession;
  guest: FakeGuest;
  host: Socket;
  guestEnd: Socket;
  stdin: Readable;
  stdout: Collector;
  stderr: Collector;
}

/** Options of {@link startSession}. */
export interface StartSessionOptions {
  guest?: FakeGuestOptions;
  stdin?: Readable;
  stdout?: Collector;
  stderr?: Collector;
  /** Over `{ tty: false }`. */
  session?: Partial<ConsoleRpcSessionOptions>;
}

/**
 * What opens the session on the host's end of the socket pair: `ConsoleRpcSession.open` itself,
 * or a transport's `attach` when its tests run the same session through it.
 */
export type SessionOpener = (console: Socket, stdio: Stdio, options: ConsoleRpcSessionOptions) => Promise<ConsoleRpcSession>;

/** Opens a session against a {@link FakeGuest} on a unix socket pair (real kernel buffers and backpressure). */
export async function startSession(
  options: StartSessionOptions = {},
  open: SessionOpener = (console, stdio, sessionOptions) => ConsoleRpcSession.open(console, stdio, sessionOptions),
): Promise<Harness> {
  const [host, guestEnd] = await socketPair();
  const guest = new FakeGuest(guestEnd, options.guest);
  const stdin = options.stdin ?? endedStdin();
  const stdout = options.stdout ?? new Collector();
  const stderr = options.stderr ?? new Collector();
  const session = await open(host, { stdin, stdout, stderr }, { tty: false, ...options.session });
  return { session, guest, host, guestEnd, stdin, stdout, stderr };
}

/** A stdin that is already at EOF. */
export function endedStdin(): Readable {
  const stdin = new PassThrough();
  stdin.end();
  return stdin;
}
