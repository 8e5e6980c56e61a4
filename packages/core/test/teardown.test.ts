import assert from 'node:assert/strict';
import { Teardown } from '../src/run/teardown';

describe('Teardown', () => {
  it('runs the steps last in first out, once, each told the outcome', async () => {
    const done: string[] = [];
    const teardown = new Teardown(() => assert.fail('no step throws'));
    teardown.push('a', (outcome) => {
      done.push(`a ${outcome}`);
    });
    teardown.push('b', async (outcome) => {
      done.push(`b ${outcome}`);
    });
    await Promise.all([teardown.run('failed'), teardown.run('ended')]);
    await teardown.run('ended');
    assert.deepEqual(done, ['b failed', 'a failed']);
  });

  it('reports a step that throws or rejects and goes on with the others', async () => {
    const done: string[] = [];
    const reported: string[] = [];
    const teardown = new Teardown((what, err) => reported.push(`${what}: ${(err as Error).message}`));
    teardown.push('first', () => {
      done.push('first');
    });
    teardown.push('second', () => {
      throw new Error('sync');
    });
    teardown.push('third', () => Promise.reject(new Error('async')));
    await teardown.run('start-failed');
    assert.deepEqual(reported, ['third: async', 'second: sync']);
    assert.deepEqual(done, ['first']);
  });
});
