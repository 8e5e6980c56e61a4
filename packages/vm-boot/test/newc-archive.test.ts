import assert from 'node:assert/strict';
import { newcArchive } from '../src/newc-archive';

/** Reads a newc archive back: name, mode and data of each member (what the kernel's unpacker sees). */
function members(archive: Buffer): Array<{ name: string; mode: number; rdev: string; data: string }> {
  const out = [];
  let at = 0;
  for (;;) {
    assert.equal(archive.toString('latin1', at, at + 6), '070701');
    const field = (i: number) => parseInt(archive.toString('latin1', at + 6 + i * 8, at + 14 + i * 8), 16);
    const nameSize = field(11);
    const size = field(6);
    const name = archive.toString('latin1', at + 110, at + 110 + nameSize - 1);
    const dataAt = Math.ceil((at + 110 + nameSize) / 4) * 4;
    if (name === 'TRAILER!!!') return out;
    out.push({ name, mode: field(1), rdev: `${field(9)}:${field(10)}`, data: archive.toString('latin1', dataAt, dataAt + size) });
    at = Math.ceil((dataAt + size) / 4) * 4;
  }
}

describe('newcArchive', () => {
  const archive = newcArchive([
    { type: 'dir', path: 'modules' },
    { type: 'chr', path: 'dev/console', major: 5, minor: 1 },
    { type: 'file', path: '/init', data: Buffer.from('#!x'), mode: 0o755 },
    { type: 'file', path: 'modules/000-a.ko', data: Buffer.from('12345') },
  ]);

  it('writes 4-byte aligned newc members and a trailer', () => {
    assert.deepEqual(members(archive), [
      { name: 'modules', mode: 0o040755, rdev: '0:0', data: '' },
      { name: 'dev/console', mode: 0o020600, rdev: '5:1', data: '' },
      { name: 'init', mode: 0o100755, rdev: '0:0', data: '#!x' },
      { name: 'modules/000-a.ko', mode: 0o100644, rdev: '0:0', data: '12345' },
    ]);
    assert.equal(archive.length % 4, 0);
  });
});
