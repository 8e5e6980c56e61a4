import type { Socket } from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import { DomainDraft, type BuildContext, type LibvirtConnection, type LibvirtDomain, type SandboxBackend } from '@vsb/core';
import { ConsoleRpcTransport, type ConsoleRpcAttachOptions, type ConsoleRpcSession } from '../../src';
import { Collector } from './collector';
import { FakeGuest, type FakeGuestOptions } from './fake-guest';
import { socketPair } from './socket-pair';

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

/** Everything one test run is made of. */
export interface Harness {
  session: ConsoleRpcSession;
  guest: FakeGuest;
  host: Socket;
  guestEnd: Socket;
  stdin: Readable;
  stdout: Collector;
  stderr: Collector;
  domain: ReturnType<typeof fakeDomain>;
}

let runs = 0;

/** prepare + attach through {@link ConsoleRpcTransport} against a {@link FakeGuest} on a unix socket pair. */
export async function startRun(options: {
  guest?: FakeGuestOptions;
  stdin?: Readable;
  stdout?: Collector;
  stderr?: Collector;
  attach?: Partial<ConsoleRpcAttachOptions>;
} = {}): Promise<Harness> {
  const [host, guestEnd] = await socketPair();
  const guest = new FakeGuest(guestEnd, options.guest);
  const transport = new ConsoleRpcTransport();
  const draft = new DomainDraft();
  draft.name = `vsb-test-${process.pid}-${runs++}`;
  const channel = transport.prepare(fakeContext, fakeBackend(), draft);
  const domain = fakeDomain(draft.name, host);
  const stdin = options.stdin ?? endedStdin();
  const stdout = options.stdout ?? new Collector();
  const stderr = options.stderr ?? new Collector();
  const session = await transport.attach(fakeConnection, domain, { stdin, stdout, stderr }, { tty: false, channel, ...options.attach });
  return { session, guest, host, guestEnd, stdin, stdout, stderr, domain };
}

/** A stdin that is already at EOF. */
export function endedStdin(): Readable {
  const stdin = new PassThrough();
  stdin.end();
  return stdin;
}
