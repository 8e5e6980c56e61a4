import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeStateDir, ownStateDirs, releaseStateDirs } from '../src/run/state-root';

describe('state root: made on demand, private in /tmp, removed with the last run', () => {
  it('an ordinary user without XDG_RUNTIME_DIR owns /tmp/vsb-UID/vsb and its parent; a chosen root is kept', () => {
    assert.deepEqual(ownStateDirs({}, 1001), ['/tmp/vsb-1001/vsb', '/tmp/vsb-1001']);
    assert.deepEqual(ownStateDirs({ XDG_RUNTIME_DIR: '/run/user/1001' }, 1001), ['/run/user/1001/vsb']);
    assert.deepEqual(ownStateDirs({}, 0), ['/run/vsb']);
    assert.deepEqual(ownStateDirs({ VSB_STATE_ROOT: '/x' }, 1001), []);
  });

  it('refuses a /tmp/vsb-UID that is not a private dir of the caller, and makes nothing in it', async () => {
    // Run as root: the dir below is root's, so for uid 4242 it is someone else's.
    const uid = 4242;
    const tmp = `/tmp/vsb-${uid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { mode: 0o700 });
    try {
      await assert.rejects(
        makeStateDir(`${tmp}/vsb/x`, {}, uid),
        (err: Error & { code?: string }) => err.code === 'VSB_STATE_ROOT_UNSAFE' && /not a private directory of yours \(owner 0, mode 700\)/.test(err.message),
      );
      assert.deepEqual(fs.readdirSync(tmp), []);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('releases empty dirs innermost first, and stops at one a run still uses', async () => {
    const top = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-sroot-'));
    try {
      fs.mkdirSync(path.join(top, 'a', 'b', 'run'), { recursive: true });
      await releaseStateDirs([path.join(top, 'a', 'b'), path.join(top, 'a')]);
      assert.ok(fs.existsSync(path.join(top, 'a', 'b', 'run')), 'a dir in use stays');
      fs.rmdirSync(path.join(top, 'a', 'b', 'run'));
      await releaseStateDirs([path.join(top, 'a', 'b'), path.join(top, 'a')]);
      assert.deepEqual(fs.readdirSync(top), []);
    } finally {
      fs.rmSync(top, { recursive: true, force: true });
    }
  });
});
