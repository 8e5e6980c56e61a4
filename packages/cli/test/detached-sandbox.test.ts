import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findDetached, listDetached, type HostView } from '../src/keeper/detached-sandbox';
import { writeKeeperMetadata, type KeeperMetadata } from '../src/keeper/keeper-metadata';

describe('finding detached sandboxes', () => {
  let root: string;
  let host: HostView;
  const alive = new Set<number>();
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-root-'));
    host = { root, uid: process.getuid!(), isAlive: (pid) => alive.has(pid) };
    alive.clear();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function stateDir(name: string, pid?: number): string {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    if (pid !== undefined) {
      const metadata: KeeperMetadata = {
        version: 1,
        name,
        backend: 'lxc',
        uri: 'lxc:///',
        pid,
        startedAt: new Date().toISOString(),
        command: ['true'],
        keep: false,
        state: 'running',
      };
      writeKeeperMetadata(dir, metadata);
    }
    return dir;
  }

  it('finds a detached sandbox whose keeper lives, and lists only those', () => {
    alive.add(10);
    stateDir('vsb-b', 10);
    stateDir('vsb-a', 10);
    stateDir('vsb-dead', 11);
    stateDir('vsb-foreground');
    assert.equal(findDetached('vsb-a', host).metadata.pid, 10);
    assert.deepEqual(
      listDetached(host).map((s) => s.metadata.name),
      ['vsb-a', 'vsb-b'],
    );
  });

  it('says in one line why a name is not one to use', () => {
    alive.add(10);
    stateDir('vsb-foreground');
    stateDir('vsb-dead', 11);
    const check = (name: string, message: RegExp) =>
      assert.throws(
        () => findDetached(name, host),
        (err: Error & { code?: string }) => {
          assert.equal(err.code, 'VSB_NO_SANDBOX');
          assert.match(err.message, message);
          assert.doesNotMatch(err.message, /\n/);
          return true;
        },
      );
    check('vsb-none', /^no sandbox named 'vsb-none' is running/);
    check('../etc', /^no sandbox named '\.\.\/etc' is running/);
    check('vsb-dead', /^no sandbox named 'vsb-dead' is running/);
    check('vsb-foreground', /has no keeper: a vsb run without --detach holds it/);
    check('', /^no sandbox named '' is running/);
  });

  it("refuses another user's sandbox, and leaves it out of the list", () => {
    alive.add(10);
    stateDir('vsb-theirs', 10);
    const other = { ...host, uid: host.uid + 1 };
    assert.throws(
      () => findDetached('vsb-theirs', other),
      new RegExp(`^SandboxError: the sandbox 'vsb-theirs' is not yours \\(its owner is uid ${host.uid}\\)$`),
    );
    assert.deepEqual(listDetached(other), []);
  });
});
