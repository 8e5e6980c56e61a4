import assert from 'node:assert/strict';
import { cpusetFor, onlineCpus } from '../src/host-cpus';

describe('host CPUs for an LXC sandbox', () => {
  it('reads the kernel list of online CPUs', () => {
    assert.deepEqual(onlineCpus('0-3,6\n'), [0, 1, 2, 3, 6]);
    assert.deepEqual(onlineCpus('0\n'), [0]);
    assert.ok(onlineCpus().length >= 1);
  });

  it('gives N distinct CPUs, chosen by the name so that sandboxes spread over the host', () => {
    const cpus = [0, 1, 2, 3];
    for (const n of [1, 2, 4]) assert.equal(new Set(cpusetFor('vsb-x', n, cpus).split(',')).size, n);
    assert.equal(cpusetFor('vsb-x', 4, cpus), '0,1,2,3');
    const firsts = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n) => cpusetFor(n, 1, cpus)));
    assert.ok(firsts.size > 1, 'every name got the same CPU');
  });
});
