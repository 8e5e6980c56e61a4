import { PassThrough, Readable, Writable } from 'node:stream';
import type { ReadStream } from 'node:tty';
import { ConsoleRpcSession } from '@vsb/stdio-protocol';
import { DetachFilter } from '../detach-filter';
import { exitCodeOf } from '../exit-code';
import { findDetached } from '../keeper/detached-sandbox';
import { RawTerminal } from '../terminal';
import { connectKeeper } from './keeper-connection';
import type { LeanArgs } from './lean-args';

/**
 * `vsb attach NAME`: the app's output from now on, and, when it runs on a pty, this terminal as
 * its terminal (input, size). Ctrl-] (or SIGINT, SIGTERM, SIGHUP) leaves without ending it, and
 * vsb exits 0; when the app ends meanwhile, vsb exits with its status as `vsb run` would.
 */
export async function runAttach(args: LeanArgs): Promise<number> {
  const sandbox = findDetached(args.name);
  const socket = await connectKeeper(sandbox);
  const tty = sandbox.metadata.tty === true;
  let detach = (): void => undefined;
  const detached = new Promise<number>((resolve) => (detach = () => resolve(0)));
  // Raw, so Ctrl-] is seen at once; only the app on a pty gets what is typed.
  const terminal = process.stdin.isTTY ? new RawTerminal(process.stdin as ReadStream) : undefined;
  const typed = terminal ? process.stdin.pipe(new DetachFilter(() => detach())) : undefined;
  let stdin: Readable = new PassThrough();
  if (typed && tty) stdin = typed;
  else typed?.pipe(new Writable({ write: (_chunk, _enc, done) => done() }));
  terminal?.enter();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const name of signals) process.on(name, detach);
  try {
    const session = await ConsoleRpcSession.open(
      socket,
      { stdin, stdout: process.stdout, stderr: process.stderr },
      {
        tty,
        handshake: false,
        errorPrefix: '',
        beforeStart: () => void socket.write(`${JSON.stringify({ op: 'attach' })}\n`),
      },
    );
    const onResize = () => session.resize(process.stdout.rows, process.stdout.columns);
    if (tty && terminal) process.on('SIGWINCH', onResize);
    try {
      return await Promise.race([session.exit.then((status) => exitCodeOf(status)), detached]);
    } finally {
      process.removeListener('SIGWINCH', onResize);
      session.close();
    }
  } finally {
    for (const name of signals) process.removeListener(name, detach);
    terminal?.restore();
    process.stdin.pause();
  }
}
