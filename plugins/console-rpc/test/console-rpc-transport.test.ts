import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { ConsoleTransport, DomainDraft, SandboxError } from '@vsb/core';
import type { BuildContext } from '@vsb/core';
import { encodeExit, FrameType } from '@vsb/stdio-protocol';
import { endedStdin } from '@vsb/stdio-protocol/dist/test/helpers/start-session';
import type { DependencyContainer } from 'tsyringe';
import { ConsoleRpcTransport, consoleRpcPlugin } from '../src';
import { fakeBackend, fakeConnection, fakeContext, fakeDomain, startRun } from './helpers/harness';

describe('ConsoleRpcTransport', () => {
  it('is console-rpc, priority 10, for every URI and backend', () => {
    const transport = new ConsoleRpcTransport();
    assert.equal(transport.id, 'console-rpc');
    assert.equal(transport.priority, 10);
    assert.equal(transport.supports('lxc:///', 'lxc'), true);
    assert.equal(transport.supports('qemu+ssh://host/system', 'qemu'), true);
  });

  it('prepare() asks the backend for a console and returns its guest path, and the devname as hostName', () => {
    const backend = fakeBackend('console1', '/dev/tty2');
    const draft = new DomainDraft();
    draft.name = 'prep';
    const channel = new ConsoleRpcTransport().prepare(fakeContext, backend, draft);
    assert.deepEqual(channel, { path: '/dev/tty2', hostName: 'console1' });
    assert.equal(backend.added, 1);
    assert.equal(draft.devicesOf('console').length, 1);
  });

  it("prefers a backend's lossless channel, and attach() opens it as a channel", async () => {
    const backend = {
      ...fakeBackend(),
      addChannel: (_ctx: BuildContext, draft: DomainDraft) => {
        draft.addDevice('channel', { '@_type': 'pty', target: { '@_type': 'virtio', '@_name': 'org.vsb.stdio' } });
        return { devname: 'org.vsb.stdio', guestPath: '/dev/virtio-ports/org.vsb.stdio', channel: true };
      },
    };
    const draft = new DomainDraft();
    const transport = new ConsoleRpcTransport();
    const channel = transport.prepare(fakeContext, backend, draft);
    assert.deepEqual(channel, { path: '/dev/virtio-ports/org.vsb.stdio', hostName: 'org.vsb.stdio', hostChannel: true });
    assert.equal(draft.devicesOf('console').length, 0);
    const domain = fakeDomain('chan', new PassThrough());
    const stdio = { stdin: endedStdin(), stdout: new PassThrough(), stderr: new PassThrough() };
    await transport.attach(fakeConnection, domain, stdio, { tty: false, channel, handshakeTimeoutMs: 30 }).catch(() => undefined);
    assert.deepEqual(domain.opened, ['channel:org.vsb.stdio']);
  });

  it('attach() opens the console named by the channel; concurrent runs do not mix', async () => {
    const transport = new ConsoleRpcTransport();
    const a = new DomainDraft();
    a.name = 'run-a';
    const b = new DomainDraft();
    b.name = 'run-b';
    const channelA = transport.prepare(fakeContext, fakeBackend('console1', '/dev/tty2'), a);
    const channelB = transport.prepare(fakeContext, fakeBackend('console3', '/dev/hvc1'), b);
    const consoleA = new PassThrough();
    const consoleB = new PassThrough();
    const domainA = fakeDomain('run-a', consoleA);
    const domainB = fakeDomain('run-b', consoleB);
    const stdio = { stdin: endedStdin(), stdout: new PassThrough(), stderr: new PassThrough() };
    // The handshake never completes here: only which console gets opened matters.
    const attachB = transport.attach(fakeConnection, domainB, stdio, { tty: false, channel: channelB, handshakeTimeoutMs: 30 });
    const attachA = transport.attach(fakeConnection, domainA, stdio, { tty: false, channel: channelA, handshakeTimeoutMs: 30 });
    const [resultA, resultB] = await Promise.allSettled([attachA, attachB]);
    assert.equal(resultA.status === 'rejected' && (resultA.reason as SandboxError).code, 'VSB_GUEST');
    assert.equal(resultB.status === 'rejected' && (resultB.reason as SandboxError).code, 'VSB_GUEST');
    assert.deepEqual(domainA.opened, ['console1']);
    assert.deepEqual(domainB.opened, ['console3']);
    assert.equal(consoleA.destroyed, true, 'a failed handshake destroys the console');
  });

  it('attach() without a prepared channel is an internal error', async () => {
    const domain = fakeDomain('no-channel', new PassThrough());
    const stdio = { stdin: endedStdin(), stdout: new PassThrough(), stderr: new PassThrough() };
    await assert.rejects(new ConsoleRpcTransport().attach(fakeConnection, domain, stdio, { tty: false, channel: { path: '/dev/tty2' } }), (error: unknown) => {
      assert.ok(error instanceof SandboxError);
      assert.equal(error.code, 'VSB_INTERNAL');
      assert.equal(error.message, "console-rpc: attach without the channel prepare returned (domain 'no-channel')");
      return true;
    });
    assert.deepEqual(domain.opened, []);
  });

  it('runs a whole session end to end', async () => {
    const h = await startRun({ guest: { onFrame: (f, g) => f.type === FrameType.START && void g.write(encodeExit(0)) } });
    assert.deepEqual(await h.session.exit, { code: 0 });
    assert.deepEqual(h.domain.opened, ['console1']);
    await h.session.closed;
    h.host.destroy();
  });
});

describe('consoleRpcPlugin', () => {
  it('registers a factory for ConsoleTransport, explicitly', () => {
    const registered: Array<[unknown, { useFactory?: () => unknown }]> = [];
    const container = { register: (token: unknown, provider: { useFactory?: () => unknown }) => registered.push([token, provider]) };
    assert.equal(consoleRpcPlugin.id, 'console-rpc');
    consoleRpcPlugin.register(container as unknown as DependencyContainer);
    assert.equal(registered.length, 1);
    assert.equal(registered[0]![0], ConsoleTransport);
    assert.ok(registered[0]![1].useFactory!() instanceof ConsoleRpcTransport);
  });
});
