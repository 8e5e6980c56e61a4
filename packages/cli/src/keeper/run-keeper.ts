import net from 'node:net';
import { SandboxContext, SandboxError } from '@vsb/core';
import { assemble } from '../assemble';
import { guestInitPath } from '../guest-init-path';
import type { OclifPluginInfo } from '../installed-plugins';
import { JsonLines } from './json-lines';
import { KEEPER_LINK_FD, type KeeperRequest } from './keeper-request';
import { SandboxKeeper } from './sandbox-keeper';

/**
 * `vsb keeper`: takes the request from the link on fd 3, builds the container as `vsb run` does
 * (installed plugins included), and keeps the sandbox; resolves with the process's exit code.
 */
export async function runKeeper(plugins: readonly OclifPluginInfo[]): Promise<number> {
  let socket: net.Socket;
  try {
    socket = new net.Socket({ fd: KEEPER_LINK_FD, readable: true, writable: true });
  } catch {
    throw new SandboxError('VSB_USAGE', 'vsb keeper is started by vsb run --detach, not by hand');
  }
  const link = new JsonLines(socket);
  const request = (await link.next().catch(() => undefined)) as KeeperRequest | undefined;
  if (!request?.config) throw new SandboxError('VSB_USAGE', 'vsb keeper is started by vsb run --detach, not by hand');
  const context = new SandboxContext(assemble([], process.env, plugins));
  return new SandboxKeeper(link, request, context, guestInitPath()).run();
}
