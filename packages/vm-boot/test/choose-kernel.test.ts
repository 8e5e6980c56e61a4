import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseKernel, compareVersions } from '../src/choose-kernel';

/** A root with /boot/vmlinuz-V and /lib/modules/V/modules.dep for each version. */
function root(versions: readonly string[], withModules = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-kroot-'));
  fs.mkdirSync(path.join(dir, 'boot'));
  for (const v of versions) {
    fs.writeFileSync(path.join(dir, 'boot', `vmlinuz-${v}`), 'image');
    if (!withModules) continue;
    fs.mkdirSync(path.join(dir, 'lib', 'modules', v), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', 'modules', v, 'modules.dep'), '');
  }
  return dir;
}

describe('chooseKernel (--kernver, --kernpath, --kmodpath)', () => {
  const roots: string[] = [];
  const make = (versions: readonly string[], withModules = true) => {
    const r = root(versions, withModules);
    roots.push(r);
    return r;
  };
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it('without the running kernel: the newest that has image and modules, with a note', async () => {
    const notes: string[] = [];
    const a = make(['6.1.0-9-amd64', '6.1.0-10-amd64']);
    const b = make(['6.12.0-1-amd64'], false);
    const k = await chooseKernel({}, (l) => notes.push(l), [b, a]);
    assert.equal(k.version, '6.1.0-10-amd64');
    assert.equal(k.image, path.join(a, 'boot', 'vmlinuz-6.1.0-10-amd64'));
    assert.equal(k.modules, path.join(a, 'lib', 'modules', '6.1.0-10-amd64'));
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, /^the running kernel \S+ has no image or modules here; booting 6\.1\.0-10-amd64 \(/);
  });

  it('none at all: an error that says how to get one', async () => {
    await assert.rejects(
      chooseKernel({}, () => undefined, [make([], false)]),
      (e: Error & { code?: string; suggestions?: string[] }) => e.code === 'VSB_NO_KERNEL' && /npm run setup/.test(e.suggestions!.join(' ')),
    );
  });

  it("--kernver with --kmodpath as the original meant it (the parent of VERSION/) or VERSION's own dir", async () => {
    const r = make(['6.1.0-10-amd64']);
    const parent = path.join(r, 'lib', 'modules');
    for (const modules of [parent, path.join(parent, '6.1.0-10-amd64')]) {
      const k = await chooseKernel({ version: '6.1.0-10-amd64', modules }, () => undefined, [r]);
      assert.equal(k.modules, path.join(parent, '6.1.0-10-amd64'));
    }
  });

  it('--kernpath alone: the release comes from the bzImage header', async () => {
    const r = make([]);
    const image = path.join(r, 'boot', 'custom');
    const data = Buffer.alloc(0x400);
    data.write('HdrS', 0x202, 'latin1');
    data.writeUInt16LE(0x300 - 0x200, 0x20e);
    data.write('6.1.0-10-amd64 (debian-kernel@lists.debian.org) #1\0', 0x300, 'latin1');
    fs.writeFileSync(image, data);
    fs.mkdirSync(path.join(r, 'lib', 'modules', '6.1.0-10-amd64'), { recursive: true });
    fs.writeFileSync(path.join(r, 'lib', 'modules', '6.1.0-10-amd64', 'modules.dep'), '');
    const k = await chooseKernel({ image }, () => undefined, [r]);
    assert.deepEqual(k, { version: '6.1.0-10-amd64', image, modules: path.join(r, 'lib', 'modules', '6.1.0-10-amd64') });
  });

  it('orders releases like sort -V', () => {
    assert.deepEqual(['6.1.0-10', '6.1.0-9', '6.12.0-1', '5.10.0-30'].sort(compareVersions), ['5.10.0-30', '6.1.0-9', '6.1.0-10', '6.12.0-1']);
  });
});
