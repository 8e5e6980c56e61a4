import type { Socket } from 'node:net';
import type { PassThrough } from 'node:stream';
import { DomainDraft, type BuildContext, type LibvirtConnection, type LibvirtDomain, type SandboxBackend } from '@vsb/core';
import { startSession, type Harness, type StartSessionOptions } from '@vsb/stdio-protocol/dist/test/helpers/start-session';
import { ConsoleRpcTransport } from '../../src';

/** A backend that only knows how to add a console (what the transport needs). */
export function fakeBackend(devname = 'console1', guestPath = '/dev/tty2'): SandboxBackend & { added: number } {
  return {
    id: 'fake',
    kind: 'container',
    added: 0,
    claims: () => true,
    build: () => undefined,
    addConsole(_ctx: BuildContext, draft: DomainDraft) {
      this.added++;
      draft.addDevice('console', { '@_type': 'pty', target: { '@_type': 'lxc', '@_port': '1' } });
      return { devname, guestPath };
    },
  };
}

/** A domain whose consoles are given streams; records which devnames were opened. */
export function fakeDomain(name: string, console: Socket | PassThrough): LibvirtDomain & { opened: Array<string | undefined> } {
  return {
    name,
    uuid: '00000000-0000-4000-8000-000000000000',
    opened: [],
    destroy: async () => undefined,
    state: async () => 'running',
    xmlDesc: async () => '<domain/>',
    async openConsole(devname?: string) {
      this.opened.push(devname);
      return console;
    },
    async openChannel(channelName: string) {
      this.opened.push(`channel:${channelName}`);
      return console;
    },
  };
}

/** Stands in for the connection; the transport does not use it. */
export const fakeConnection = {} as LibvirtConnection;
/** Stands in for the build context; the fake backend does not use it. */
export const fakeContext = {} as BuildContext;

let runs = 0;

/**
 * prepare + attach through {@link ConsoleRpcTransport} against the protocol's fake guest
 * (`startSession` of @vsb/stdio-protocol's tests): the session's options go to `attach`.
 */
export async function startRun(options: StartSessionOptions = {}): Promise<Harness & { domain: ReturnType<typeof fakeDomain> }> {
  const transport = new ConsoleRpcTransport();
  const draft = new DomainDraft();
  draft.name = `vsb-test-${process.pid}-${runs++}`;
  const channel = transport.prepare(fakeContext, fakeBackend(), draft);
  let domain: ReturnType<typeof fakeDomain> | undefined;
  const harness = await startSession(options, (console, stdio, sessionOptions) => {
    domain = fakeDomain(draft.name, console);
    return transport.attach(fakeConnection, domain, stdio, { ...sessionOptions, channel });
  });
  return { ...harness, domain: domain! };
}
