import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { encodeLossless, SandboxError } from '@vsb/core';
import { ReportedError } from '../base-command';
import { JsonLines } from './json-lines';
import { KEEPER_LINK_FD, type KeeperMessage, type KeeperRequest } from './keeper-request';

/** Where the keeper's messages go while `vsb run --detach` waits. */
export interface DetachedOutput {
  /** Notes, timings, the app's error message, for the caller's stderr. */
  stderr(bytes: Buffer): void;
  /** The boot status line; undefined clears it. */
  progress(line: string | undefined): void;
}

/** How a detached start ended: the app runs in the sandbox `name`, or it never ran and vsb exits with `exitCode`. */
export type DetachedStart = { readonly name: string } | { readonly exitCode: number };

/**
 * `vsb run --detach`: starts the keeper (`vsb keeper` of the same `bin`, in a session of its own,
 * stdio on /dev/null, the link on fd 3), hands it the request, relays what it says, and resolves
 * with the sandbox's name once the app runs, or with the exit code of an app that could not be
 * executed. A failed start rejects with the keeper's own description of the error. Either way the
 * keeper has removed everything by then. The keeper outlives this process; if this one dies
 * first, the keeper sees the link close and ends the sandbox.
 */
export async function startDetached(bin: string, request: KeeperRequest, output: DetachedOutput): Promise<DetachedStart> {
  const stdio: Array<'ignore' | 'pipe'> = ['ignore', 'ignore', 'ignore'];
  stdio[KEEPER_LINK_FD] = 'pipe';
  // `node --` as bin/run.js's shebang has it.
  const child = spawn(process.execPath, ['--', bin, 'keeper'], { detached: true, stdio });
  const link = new JsonLines(child.stdio[KEEPER_LINK_FD] as Socket);
  try {
    return await new Promise<DetachedStart>((resolve, reject) => {
      child.once('error', (err) => reject(new SandboxError('VSB_INTERNAL', `cannot start the keeper: ${err.message}`)));
      link.onMessage((message) => {
        const m = message as KeeperMessage;
        if ('stderr' in m) output.stderr(encodeLossless(m.stderr));
        else if ('progress' in m) output.progress(m.progress ?? undefined);
        else if ('ready' in m) resolve({ name: m.ready });
        else if ('exited' in m) resolve({ exitCode: m.exited });
        else if ('error' in m) reject(new ReportedError(m.error));
      });
      link.onClose(() => reject(new SandboxError('VSB_INTERNAL', 'the keeper ended before the sandbox started')));
      link.send(request);
    });
  } finally {
    link.socket.destroy();
    child.unref();
  }
}
