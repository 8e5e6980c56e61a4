import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sampleConfig } from '@vsb/test-support';
import { prepareBoot } from '../src/prepare-boot';
import type { VmDrivers } from '../src/prepare-boot';

/** Modules of a kernel that has both 9p transports (Debian's 6.1 does), each .ko a few bytes. */
const MODULES: Record<string, string[]> = {
  'kernel/fs/9p/9p.ko': ['kernel/net/9p/9pnet.ko'],
  'kernel/net/9p/9pnet.ko': [],
  'kernel/net/9p/9pnet_virtio.ko': ['kernel/net/9p/9pnet.ko'],
  'kernel/net/9p/9pnet_xen.ko': ['kernel/net/9p/9pnet.ko'],
  'kernel/drivers/char/virtio_console.ko': [],
};

describe('prepareBoot (the initrd of any VM backend)', () => {
  // Made in before(), not here: a describe body runs even when --grep leaves none of its tests, and its after() then does not.
  let dir = '';
  let moduleDir = '';
  let image = '';
  let init = '';
  const cacheBefore = process.env.VSB_CACHE_DIR;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-boot-'));
    [moduleDir, image, init] = ['modules', 'vmlinux', 'init'].map((f) => path.join(dir, f)) as [string, string, string];
    for (const file of Object.keys(MODULES)) {
      fs.mkdirSync(path.dirname(path.join(moduleDir, file)), { recursive: true });
      fs.writeFileSync(path.join(moduleDir, file), file);
    }
    fs.writeFileSync(
      path.join(moduleDir, 'modules.dep'),
      Object.entries(MODULES)
        .map(([f, deps]) => `${f}: ${deps.join(' ')}\n`)
        .join(''),
    );
    // An image that already is an ELF is booted as it is (nothing to extract).
    fs.writeFileSync(image, Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    fs.writeFileSync(init, 'init');
    process.env.VSB_CACHE_DIR = path.join(dir, 'cache');
  });
  after(() => {
    if (cacheBefore === undefined) delete process.env.VSB_CACHE_DIR;
    else process.env.VSB_CACHE_DIR = cacheBefore;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The module names in the initrd prepareBoot makes for `drivers`, in load order. */
  async function initrdModules(drivers: VmDrivers): Promise<string[]> {
    const config = sampleConfig({ uri: 'xen:///', kernel: { version: '6.1.0-test', image, modules: moduleDir } });
    const assets = await prepareBoot({ config, initPath: init, notify: () => undefined }, drivers);
    assert.equal(assets.kernel, image);
    assert.equal(assets.startMessage, 'booting kernel 6.1.0-test');
    return [...fs.readFileSync(assets.initrd, 'latin1').matchAll(/modules\/\d{3}-(\w+)\.ko/g)].map((m) => m[1]!);
  }

  it('carries the module of the 9p transport the backend chose, and its own drivers', async () => {
    assert.deepEqual(await initrdModules({ transport: 'xen' }), ['9pnet', '9pnet_xen', '9p']);
    assert.deepEqual(await initrdModules({ transport: 'virtio', modules: ['virtio_console'] }), ['virtio_console', '9pnet', '9pnet_virtio', '9p']);
  });
});
