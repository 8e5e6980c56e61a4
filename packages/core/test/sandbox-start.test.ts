import 'reflect-metadata';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleConfig, type FakeConnection } from '@vsb/test-support';
import { claimIdRange, SandboxContext, SandboxError } from '../src';
import type { SandboxConfig } from '../src';
import { fakeRun, quietStdio, type FakeGuest } from './helpers/fake-run';

/** A name no other test or sandbox of this host uses. */
let runs = 0;
function config(): SandboxConfig {
  return sampleConfig({ name: `vsb-u${process.pid.toString(16)}x${++runs}`, uri: 'fake:///' });
}

/** The base of the id range a run of `name` would claim now (ranges are tried from the name's hash). */
async function freeIdBase(name: string): Promise<number> {
  const probe = await claimIdRange(name);
  probe.release();
  return probe.base;
}

describe('SandboxContext.start with a fake libvirt', () => {
  const saved = process.env.VSB_STATE_ROOT;
  let root: string;
  let notes: string[];
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-state-'));
    process.env.VSB_STATE_ROOT = root;
    notes = [];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.VSB_STATE_ROOT;
    else process.env.VSB_STATE_ROOT = saved;
    fs.rmSync(root, { recursive: true, force: true });
  });

  const options = () => ({ initPath: '/bin/true', stdio: quietStdio(), notify: (line: string) => notes.push(line) });
  const guest = (g: Partial<FakeGuest> = {}): FakeGuest => ({ events: [], ...g });

  /** What every failed start leaves: nothing (state dir, id range, subscription, connection). */
  async function assertUndone(c: SandboxConfig, idBase: number, connection: FakeConnection | undefined): Promise<void> {
    assert.equal(fs.existsSync(SandboxContext.stateDirOf(c.name)), false, 'state dir removed');
    assert.equal(await freeIdBase(c.name), idBase, 'id range released');
    assert.equal(connection?.listenerCount, 0, 'lifecycle listener removed');
    assert.equal(connection?.closed, true, 'connection closed');
  }

  it('ends a run that the app ended: the domain is left to end by itself, the state dir removed', async () => {
    const g = guest({ exit: { code: 3 } });
    const { container, libvirt } = fakeRun(g);
    const c = config();
    const running = await new SandboxContext(container).start(c, options());
    assert.equal(fs.existsSync(SandboxContext.stateDirOf(c.name)), true);
    assert.deepEqual(await running.wait(), { code: 3 });
    assert.equal(libvirt.created[0]!.destroyCalls, 0);
    assert.equal(fs.existsSync(SandboxContext.stateDirOf(c.name)), false);
    assert.deepEqual(g.events, ['listen', 'attach', 'session closed', 'endpoint closed']);
    assert.equal(libvirt.connections[0]!.closed, false, "the connection is the caller's to close");
    await running.close();
    // AUTODESTROY: libvirtd ends what is left of the domain when the connection closes.
    assert.equal(libvirt.domains.has(c.name), false);
    assert.deepEqual(notes, []);
  });

  it('keeps the state dir of a --keep run at its end, until removeKeptStateDir', async () => {
    const { container } = fakeRun(guest());
    const c = config();
    const running = await new SandboxContext(container).start(c, { ...options(), keepStateDir: true });
    await running.wait();
    assert.equal(fs.existsSync(SandboxContext.stateDirOf(c.name)), true);
    await running.removeKeptStateDir();
    assert.equal(fs.existsSync(SandboxContext.stateDirOf(c.name)), false);
    await running.close();
  });

  it("a failed attach: the domain is destroyed, the endpoint closed, the state dir and ids released, the attach's error is the caller's", async () => {
    const g = guest({ attachError: new SandboxError('VSB_PROTOCOL', 'no hello from the init') });
    const { container, libvirt } = fakeRun(g);
    const c = config();
    const idBase = await freeIdBase(c.name);
    await assert.rejects(new SandboxContext(container).start(c, { ...options(), keepStateDir: true }), /no hello from the init/);
    const domain = libvirt.created[0]!;
    assert.equal(domain.destroyCalls, 1);
    assert.equal(domain.isRunning, false);
    assert.equal(libvirt.domains.has(c.name), false, 'domain gone from libvirt');
    assert.deepEqual(g.events, ['listen', 'attach', 'endpoint closed']);
    await assertUndone(c, idBase, libvirt.connections[0]);
    assert.deepEqual(notes, []);
  });

  it('a domain that stops before the attach: the transport is told, and everything is undone', async () => {
    const g = guest();
    const { container, libvirt } = fakeRun(g, { onCreate: (d) => d.stop('crashed') });
    const c = config();
    const idBase = await freeIdBase(c.name);
    await assert.rejects(new SandboxContext(container).start(c, options()), (err: SandboxError) => err.code === 'VSB_GUEST');
    assert.equal(libvirt.domains.has(c.name), false);
    assert.deepEqual(g.events, ['listen', 'attach', 'endpoint closed']);
    await assertUndone(c, idBase, libvirt.connections[0]);
  });

  it("a name whose state dir exists: refused before anything is made, the other run's dir untouched", async () => {
    const g = guest();
    const { container, libvirt } = fakeRun(g);
    const c = config();
    const idBase = await freeIdBase(c.name);
    const other = SandboxContext.stateDirOf(c.name);
    fs.mkdirSync(path.join(other, 'config'), { recursive: true });
    await assert.rejects(
      new SandboxContext(container).start(c, options()),
      (err: SandboxError) => err.code === 'VSB_NAME_IN_USE' && /state dir .* exists/.test(err.message),
    );
    assert.equal(fs.existsSync(path.join(other, 'config')), true);
    assert.equal(libvirt.created.length, 0);
    assert.deepEqual(g.events, []);
    assert.equal(await freeIdBase(c.name), idBase, 'id range released');
    assert.equal(libvirt.connections[0]!.closed, true);
  });

  it('a name a live domain holds: refused, that domain left alone', async () => {
    const { container, libvirt } = fakeRun(guest());
    const c = config();
    const holder = libvirt.runDomain(c.name);
    fs.mkdirSync(SandboxContext.stateDirOf(c.name));
    await assert.rejects(
      new SandboxContext(container).start(c, options()),
      (err: SandboxError) => err.code === 'VSB_NAME_IN_USE' && /a domain named/.test(err.message),
    );
    assert.equal(holder.isRunning, true);
    assert.equal(holder.destroyCalls, 0);
    assert.equal(libvirt.connections[0]!.closed, true);
  });

  it("destroys a domain that has not ended within the grace after the app's exit", async function () {
    this.timeout(20_000);
    // The guest never closes its channel and the domain never stops by itself.
    const { container, libvirt } = fakeRun(guest({ closes: false }));
    const c = config();
    const running = await new SandboxContext(container).start(c, options());
    assert.deepEqual(await running.wait(), { code: 0 });
    assert.equal(libvirt.created[0]!.destroyCalls, 1);
    assert.equal(libvirt.domains.has(c.name), false);
    assert.equal(fs.existsSync(SandboxContext.stateDirOf(c.name)), false);
    await running.close();
  });

  it('a run that ends in an error destroys its domain and removes its state', async () => {
    const { container, libvirt } = fakeRun(guest({ exit: new SandboxError('VSB_GUEST', 'mount failed') }));
    const c = config();
    const idBase = await freeIdBase(c.name);
    const running = await new SandboxContext(container).start(c, options());
    await assert.rejects(running.wait(), /mount failed/);
    assert.equal(libvirt.created[0]!.destroyCalls, 1);
    assert.equal(fs.existsSync(SandboxContext.stateDirOf(c.name)), false);
    assert.equal(await freeIdBase(c.name), idBase);
    await running.close();
  });

  it("a teardown step that throws: the others still run, its error is reported, the caller gets the start's error", async () => {
    const g = guest({ attachError: new Error('attach failed'), endpointCloseError: new Error('endpoint busy') });
    const { container, libvirt } = fakeRun(g);
    const c = config();
    const idBase = await freeIdBase(c.name);
    await assert.rejects(new SandboxContext(container).start(c, options()), /^Error: attach failed$/);
    assert.deepEqual(notes, ['could not close the console endpoint: endpoint busy']);
    assert.equal(libvirt.created[0]!.destroyCalls, 1);
    await assertUndone(c, idBase, libvirt.connections[0]);
  });

  it("a teardown step that throws at the end of a run: the app's status stands, the error is reported", async () => {
    const { container } = fakeRun(guest({ exit: { code: 7 }, endpointCloseError: new Error('endpoint busy') }));
    const c = config();
    const running = await new SandboxContext(container).start(c, options());
    assert.deepEqual(await running.wait(), { code: 7 });
    assert.deepEqual(notes, ['could not close the console endpoint: endpoint busy']);
    assert.equal(fs.existsSync(SandboxContext.stateDirOf(c.name)), false);
    await running.close();
  });
});
