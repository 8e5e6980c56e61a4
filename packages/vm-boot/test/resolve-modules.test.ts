import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveModules } from '../src/resolve-modules';

/** A module directory holding just the index files (the .ko files are not read). */
function moduleDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-mods-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** An excerpt of Debian 6.1's indexes: the modules the original's fixed list got wrong. */
const DEBIAN_61 = {
  'modules.dep': [
    'kernel/fs/9p/9p.ko: kernel/fs/netfs/netfs.ko kernel/net/9p/9pnet.ko kernel/fs/fscache/fscache.ko',
    'kernel/fs/netfs/netfs.ko:',
    'kernel/fs/fscache/fscache.ko: kernel/fs/netfs/netfs.ko',
    'kernel/net/9p/9pnet.ko:',
    'kernel/net/9p/9pnet_virtio.ko: kernel/net/9p/9pnet.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko',
    'kernel/drivers/virtio/virtio.ko:',
    'kernel/drivers/virtio/virtio_ring.ko:',
    'kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko',
    'kernel/drivers/virtio/virtio_pci_legacy_dev.ko:',
    'kernel/drivers/virtio/virtio_pci_modern_dev.ko:',
    'kernel/fs/ext4/ext4.ko: kernel/fs/jbd2/jbd2.ko',
    'kernel/fs/jbd2/jbd2.ko:',
    'kernel/arch/x86/crypto/crc32c-intel.ko:',
    'kernel/crypto/crc32c_generic.ko:',
    '',
  ].join('\n'),
  'modules.builtin': 'kernel/drivers/char/virtio_console.ko\n',
  'modules.softdep': 'softdep ext4 pre: crypto-crc32c\n',
  'modules.alias': 'alias crypto-crc32c crc32c_intel\nalias crypto-crc32c crc32c_generic\n',
};

describe('resolveModules (from modules.dep, never a fixed list)', () => {
  // Made in before(): a describe body runs even when --grep leaves none of its tests, and its after() then does not.
  let dir = '';
  before(() => (dir = moduleDir(DEBIAN_61)));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('orders dependencies first and loads each module once (netfs for 9p on 6.1)', async () => {
    const order = (await resolveModules(dir, ['9pnet_virtio', '9p'])).map((m) => path.basename(m, '.ko'));
    assert.deepEqual(order, ['9pnet', 'virtio_ring', 'virtio', '9pnet_virtio', 'netfs', 'fscache', '9p']);
  });

  it('takes the virtio_pci_*_dev helpers from the index, and skips built-in or absent optional modules', async () => {
    const order = (await resolveModules(dir, ['virtio_console'], ['virtio_pci', 'virtio_mmio'])).map((m) => path.basename(m, '.ko'));
    assert.deepEqual(order, ['virtio_pci_legacy_dev', 'virtio_pci_modern_dev', 'virtio_ring', 'virtio', 'virtio_pci']);
  });

  it('brings soft dependencies through their aliases (ext4 asks for crc32c at mount time)', async () => {
    const order = (await resolveModules(dir, ['ext4'])).map((m) => path.basename(m, '.ko'));
    assert.deepEqual(order, ['crc32c-intel', 'crc32c_generic', 'jbd2', 'ext4']);
  });

  it('says which module a kernel lacks', async () => {
    await assert.rejects(resolveModules(dir, ['virtio_blk']), /has no module 'virtio_blk', which a VM sandbox needs/);
  });

  it('says how to make a missing modules.dep', async () => {
    await assert.rejects(resolveModules('/nonexistent', ['9p']), /no modules\.dep in \/nonexistent \(run: depmod/);
  });
});
