import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SandboxError, type BuildContext } from '@vsb/core';
import { isLocalUri, SocketListener, SocketRpcTransport } from '../src';

describe('SocketRpcTransport', () => {
  it('serves local LXC URIs only, above console-rpc', () => {
    const t = new SocketRpcTransport();
    assert.equal(t.priority > 10, true);
    assert.equal(t.supports('lxc:///', 'lxc'), true);
    assert.equal(t.supports('lxc+unix:///', 'lxc'), true);
    assert.equal(t.supports('lxc+ssh://host/', 'lxc'), false);
    assert.equal(t.supports('lxc://host/', 'lxc'), false);
    assert.equal(t.supports('qemu:///system', 'qemu'), false);
    assert.equal(isLocalUri('lxc+tcp://h/'), false);
  });

  it('prepare() puts the socket in the config dir, which the guest sees at its own path', () => {
    const ctx = { configDir: '/run/vsb/x/config', guestConfigDir: '/guest/config' } as BuildContext;
    assert.deepEqual(new SocketRpcTransport().prepare(ctx), { path: '/guest/config/rpc.sock', hostName: '/run/vsb/x/config/rpc.sock', kind: 'unix' });
  });

  it('keeps a connection that came before accept(), and takes only one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-sock-'));
    const file = path.join(dir, 'rpc.sock');
    try {
      const listener = await SocketListener.listen(file);
      const early = net.connect(file);
      await new Promise((r) => early.once('connect', r));
      await new Promise((r) => setTimeout(r, 50));
      const socket = await listener.accept({ timeoutMs: 1000 });
      const second = net.connect(file);
      await assert.rejects(new Promise((resolve, reject) => second.once('connect', resolve).once('error', reject)));
      socket.destroy();
      early.destroy();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accept() fails with VSB_GUEST on timeout and when the domain stopped first', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-sock-'));
    try {
      const a = await SocketListener.listen(path.join(dir, 'a.sock'));
      await assert.rejects(
        a.accept({ timeoutMs: 20 }),
        (e: unknown) => e instanceof SandboxError && e.code === 'VSB_GUEST' && /did not connect/.test(e.message),
      );
      a.close();
      const b = await SocketListener.listen(path.join(dir, 'b.sock'));
      await assert.rejects(b.accept({ timeoutMs: 5000, signal: AbortSignal.abort() }), /ended before its init connected/);
      b.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
