import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CONTROL_SOCKET, ControlServer, controlRequest, type ControlRequest } from '../src/keeper/control-socket';
import type { KeeperMetadata } from '../src/keeper/keeper-metadata';
import { stopDetached } from '../src/keeper/stop-detached';

const METADATA: KeeperMetadata = {
  version: 1,
  name: 'vsb-x',
  backend: 'lxc',
  uri: 'lxc:///',
  pid: 1 << 22,
  startedAt: new Date().toISOString(),
  command: ['true'],
  keep: false,
  state: 'running',
};

describe("the keeper's control socket", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-control-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("is its owner's only, answers a stop once the keeper is done, and closes after its answers went out", async () => {
    const asked: ControlRequest[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const server = await ControlServer.listen(dir, {
      stop: async (request) => {
        asked.push(request);
        await finished;
        return { ok: true };
      },
      stream: () => assert.fail('no stream request'),
    });
    assert.equal(fs.statSync(path.join(dir, CONTROL_SOCKET)).mode & 0o077, 0, 'no access for group and others');
    const idle = net.connect(path.join(dir, CONTROL_SOCKET));
    const idleClosed = new Promise((r) => idle.once('close', r));
    await new Promise((r) => idle.once('connect', r));
    const reply = stopDetached({ stateDir: dir, metadata: METADATA }, 2500, { kill: () => assert.fail('the keeper answered') });
    while (asked.length === 0) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(asked, [{ op: 'stop', graceMs: 2500 }]);
    done();
    await reply;
    await server.close();
    // A connection that sent no request is dropped, not waited for.
    await idleClosed;
  });

  it('answers what is not a request with an error', async () => {
    const server = await ControlServer.listen(dir, { stop: async () => ({ ok: true }), stream: () => assert.fail('no stream request') });
    const reply = await controlRequest(dir, { op: 'exec' } as unknown as ControlRequest);
    assert.equal(reply.ok, false);
    await server.close();
  });

  it('closes its end of every answered connection, so a long-lived keeper keeps no descriptor of it', async () => {
    const server = await ControlServer.listen(dir, { stop: async () => ({ ok: true }), stream: () => assert.fail('no stream request') });
    const openFds = () => fs.readdirSync('/proc/self/fd').length;
    const before = openFds();
    assert.deepEqual(await controlRequest(dir, { op: 'stop', graceMs: 0 }), { ok: true });
    assert.equal((await controlRequest(dir, { op: 'exec' } as unknown as ControlRequest)).ok, false);
    // The client's end is closed by now; the keeper's ends close just after their answers went out.
    while (openFds() > before) await new Promise((r) => setTimeout(r, 10));
    await server.close();
  });

  it('stop of a keeper that is already gone waits for its watchdog to remove the state dir', async () => {
    const stopping = stopDetached({ stateDir: dir, metadata: METADATA }, 0, { kill: () => assert.fail('nothing to kill') });
    setTimeout(() => fs.rmSync(dir, { recursive: true, force: true }), 100);
    await stopping;
    assert.ok(!fs.existsSync(dir));
  });
});
