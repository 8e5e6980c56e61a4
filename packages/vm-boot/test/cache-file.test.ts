import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeStaleTemps } from '../src/cache-file';

describe('removeStaleTemps', () => {
  it('removes the temp files of dead writers and keeps those of live ones and the cache itself', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-cache-'));
    try {
      const dead = spawnSync('true').pid!;
      const names = ['vmlinux-6.1-0123456789abcdef', `vmlinux-6.1-0123456789abcdef.tmp-${dead}-0badf00d`, `initrd-1.tmp-${process.pid}-deadbeef`];
      for (const n of names) fs.writeFileSync(path.join(dir, n), '');
      await removeStaleTemps(dir);
      assert.deepEqual(fs.readdirSync(dir).sort(), [names[0], names[2]].sort());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
