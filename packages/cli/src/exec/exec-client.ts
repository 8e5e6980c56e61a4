import type { Readable } from 'node:stream';
import type { ReadStream } from 'node:tty';
import { encodeLossless, optionError, parseEnv, parseGuestPath, SandboxError, type ExitStatus } from '@vsb/core';
import { ConsoleRpcSession, encodeExec, MAX_PAYLOAD } from '@vsb/stdio-protocol';
import { sendFileDescriptors } from '@vsb/libvirt';
import { passableStdio } from '@vsb/socket-rpc';
import { exitCodeOf } from '../exit-code';
import { findDetached } from '../keeper/detached-sandbox';
import { EXEC_CLIENT_STREAM } from '../keeper/exec-relay';
import { defaultEnv, rawEnv } from '../raw-env';
import { RawTerminal } from '../terminal';
import { terminalMode } from '../terminal-mode';
import { connectKeeper } from './keeper-connection';
import type { LeanArgs } from './lean-args';
import { SignalRelay } from './signal-relay';

/**
 * `vsb exec NAME -- COMMAND`: asks the keeper of the detached sandbox NAME to run COMMAND beside
 * its app, exactly as confined (the init starts it with the app's namespaces and identity), and
 * relays its stdio, or hands it this process's own descriptors where the sandbox can take them
 * (socket-rpc: pipes and files, never a terminal). Resolves with vsb's exit code: the command's,
 * 128+N when a signal N ended it.
 */
export async function runExec(args: LeanArgs): Promise<number> {
  const env = args.flags.env === true ? [] : (args.flags.env ?? []);
  const workdir = args.flags.workdir === true ? undefined : args.flags.workdir?.[0];
  const tty = args.flags.tty === true;
  const caller = rawEnv();
  const entries = [
    ...defaultEnv(caller),
    ['TERM', tty ? (caller.TERM ?? 'dumb') : 'dumb'] as [string, string],
    ...env.flatMap((text) => {
      const entry = parseEnv(text, caller);
      return entry ? [entry] : [];
    }),
  ];
  const cwd = workdir === undefined ? undefined : parseGuestPath(workdir, 'directory', optionError('VSB_USAGE', '--workdir', workdir));
  const mode = terminalMode(tty);
  const size = { rows: process.stdout.rows ?? 24, cols: process.stdout.columns ?? 80 };
  let start: Buffer;
  try {
    start = encodeExec(
      {
        argv: args.command.map(encodeLossless),
        env: entries.map(([k, v]) => encodeLossless(`${k}=${v}`)),
        cwd: cwd === undefined ? undefined : encodeLossless(cwd),
        tty,
        splitStderr: mode.splitStderr,
        ...(tty && size),
      },
      EXEC_CLIENT_STREAM,
    );
  } catch {
    throw new SandboxError('VSB_USAGE', `the command and its environment take more than ${MAX_PAYLOAD / 1024} KiB: pass big data on stdin or in a file`);
  }
  const sandbox = findDetached(args.name);
  const socket = await connectKeeper(sandbox);
  const stdio = { stdin: process.stdin as Readable, stdout: process.stdout, stderr: process.stderr };
  const passed = !tty && sandbox.metadata.passesDescriptors ? passableStdio(stdio, false) : { mask: 0, fds: [], relay: stdio };
  const request = Buffer.from(`${JSON.stringify({ op: 'exec', mask: passed.mask })}\n`);
  const terminal = tty && process.stdin.isTTY ? new RawTerminal(process.stdin as ReadStream) : undefined;
  terminal?.enter();
  try {
    const session = await ConsoleRpcSession.open(socket, passed.relay, {
      tty,
      handshake: false,
      stream: EXEC_CLIENT_STREAM,
      start,
      errorPrefix: '',
      handedOver: passed.mask,
      beforeStart: () => (passed.mask ? sendFileDescriptors(socket, request, passed.fds) : void socket.write(request)),
    });
    const onResize = () => session.resize(process.stdout.rows, process.stdout.columns);
    if (terminal) process.on('SIGWINCH', onResize);
    const signals = new SignalRelay(session);
    let status: ExitStatus;
    try {
      status = await session.exit;
    } finally {
      signals.uninstall();
      process.removeListener('SIGWINCH', onResize);
    }
    return exitCodeOf(status, signals.received);
  } finally {
    terminal?.restore();
  }
}
