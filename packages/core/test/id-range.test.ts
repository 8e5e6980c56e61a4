import assert from 'node:assert/strict';
import { claimIdRange, ID_RANGE_FIRST, ID_RANGE_SIZE } from '../src/host/id-range';

describe('claimIdRange', () => {
  it('gives two running sandboxes of the same name different, aligned ranges, and a released one back', async () => {
    const a = await claimIdRange('vsb-tids');
    const b = await claimIdRange('vsb-tids');
    try {
      assert.notEqual(a.base, b.base);
      for (const r of [a, b]) {
        assert.ok(r.base >= ID_RANGE_FIRST && r.base + ID_RANGE_SIZE <= 0x70000000, `range ${r.base}`);
        assert.equal((r.base - ID_RANGE_FIRST) % ID_RANGE_SIZE, 0);
      }
    } finally {
      b.release();
    }
    // The name's first choice is a's: b's range is free again once released, and a keeps its own.
    const c = await claimIdRange('vsb-tids');
    try {
      assert.equal(c.base, b.base);
    } finally {
      a.release();
      c.release();
    }
  });
});
