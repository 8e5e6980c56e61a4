import assert from 'node:assert/strict';
import { parseMount } from '../src/options';
import { privateDirMounts } from '../src';

describe('privateDirMounts', () => {
  const targets = (...mounts: string[]) => privateDirMounts(mounts.map(parseMount)).map((m) => m.target);

  it('gives /tmp, /var/tmp, /dev/shm and /run a tmpfs each by default', () => {
    assert.deepEqual(
      privateDirMounts([]).map((m) => [m.kind, m.source, m.target, m.options].join(' ')),
      ['tmpfs 0 /tmp mode=1777', 'tmpfs 0 /var/tmp mode=1777', 'tmpfs 0 /dev/shm mode=1777', 'tmpfs 0 /run mode=1777'],
    );
  });
  it('leaves out those a mount covers, at the same target or above', () => {
    assert.deepEqual(targets('host-bind:/tmp=', 'ram:/var=1M'), ['/dev/shm', '/run']);
  });
  it('keeps those with a mount only below them or beside them', () => {
    assert.deepEqual(targets('ram:/tmp/x=1M', 'ram:/tmpx=1M', 'ram:/run/a=1M'), ['/tmp', '/var/tmp', '/dev/shm', '/run']);
  });
});
