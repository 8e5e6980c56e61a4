import net from 'node:net';
import path from 'node:path';
import { SandboxError, quoteValue } from '@vsb/core';
import { CONTROL_SOCKET } from '../keeper/control-socket';
import type { DetachedSandbox } from '../keeper/detached-sandbox';

/** Connects to the keeper of a detached sandbox (`vsb exec`, `vsb attach`); a keeper gone meanwhile is a one-line error. */
export function connectKeeper(sandbox: DetachedSandbox): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path.join(sandbox.stateDir, CONTROL_SOCKET));
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      reject(new SandboxError('VSB_NO_SANDBOX', `the sandbox ${quoteValue(sandbox.metadata.name)} is not running any more (${err.code ?? err.message})`));
    });
  });
}
