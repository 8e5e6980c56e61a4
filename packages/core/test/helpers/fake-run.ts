import { PassThrough } from 'node:stream';
import { container, type DependencyContainer } from 'tsyringe';
import { FakeLibvirt, type FakeLibvirtHooks } from '@vsb/test-support';
import { ConsoleTransport, corePlugin, LibvirtConnector, registerInstance, SandboxBackend, SandboxError } from '../../src';
import type { AttachOptions, ConsoleSession, ExitStatus } from '../../src';

/** How the fake transport's session behaves, and what it was asked. */
export interface FakeGuest {
  /** Rejects the attach with this error. */
  attachError?: Error;
  /** The app's end: its status, or an error (the guest's). Default: exit 0. */
  exit?: ExitStatus | Error;
  /** The guest closes its channel after the app's exit (default); false leaves it open, as a guest that hangs. */
  closes?: boolean;
  /** The endpoint's close throws this. */
  endpointCloseError?: Error;
  /** What happened, in order: `listen`, `attach`, `endpoint closed`, `session closed`. */
  readonly events: string[];
}

/** A container backend that claims `fake:` URIs and builds the least XML. */
const backend: SandboxBackend = {
  id: 'fake',
  kind: 'container',
  userNamespace: true,
  claims: (uri) => uri.startsWith('fake:'),
  build: (ctx, draft) => {
    draft.type = 'lxc';
    draft.name = ctx.config.name;
    draft.os = { type: 'exe', init: '/init' };
  },
  addConsole: () => ({ devname: 'console1', guestPath: '/dev/tty2' }),
};

/** A transport that plays the guest's side as `guest` says. */
function transport(guest: FakeGuest): ConsoleTransport {
  return {
    id: 'fake',
    priority: 0,
    supports: () => true,
    prepare: (ctx, b, draft) => {
      const ep = b.addConsole(ctx, draft);
      return { path: ep.guestPath, hostName: ep.devname };
    },
    listen: async () => {
      guest.events.push('listen');
      return {
        close: () => {
          guest.events.push('endpoint closed');
          if (guest.endpointCloseError) throw guest.endpointCloseError;
        },
      };
    },
    attach: (_c, _d, _s, options) => {
      guest.events.push('attach');
      if (guest.attachError) return Promise.reject(guest.attachError);
      return session(guest, options);
    },
  };
}

/** The session of a guest whose init answers a moment after the attach, unless its domain stopped by then. */
async function session(guest: FakeGuest, options: AttachOptions): Promise<ConsoleSession> {
  await new Promise((resolve) => setImmediate(resolve));
  if (options.signal?.aborted) throw new SandboxError('VSB_GUEST', 'the sandbox stopped before its init answered');
  const exit = guest.exit ?? { code: 0 };
  let close = (): void => undefined;
  const closed = new Promise<void>((resolve) => {
    close = resolve;
  });
  return {
    exit:
      exit instanceof Error
        ? Promise.reject(exit)
        : Promise.resolve(exit).finally(() => {
            if (guest.closes !== false) close();
          }),
    closed,
    resize: () => undefined,
    signal: () => undefined,
    close: () => {
      guest.events.push('session closed');
      close();
    },
  };
}

/** A fresh container with the fake backend, a fake transport playing `guest` and a fake libvirtd. */
export function fakeRun(guest: FakeGuest, hooks: FakeLibvirtHooks = {}): { container: DependencyContainer; libvirt: FakeLibvirt } {
  const c = container.createChildContainer();
  corePlugin.register(c);
  const libvirt = new FakeLibvirt(hooks);
  registerInstance(c, SandboxBackend, backend);
  registerInstance(c, ConsoleTransport, transport(guest));
  registerInstance(c, LibvirtConnector, libvirt);
  return { container: c, libvirt };
}

/** Host stdio for a run that nobody reads. */
export function quietStdio(): { stdin: PassThrough; stdout: PassThrough; stderr: PassThrough } {
  return { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
}
