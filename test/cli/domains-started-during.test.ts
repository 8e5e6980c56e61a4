import assert from 'node:assert/strict';
import { assertNothingLeft, domainsStartedDuring, vsb } from './vsb';

describe('domainsStartedDuring (the "no domain started" checks of the other tests)', function () {
  this.timeout(60_000);
  afterEach(assertNothingLeft);

  it('sees a sandbox that started and ended while it watched, so those checks can fail', async () => {
    const { result, started } = await domainsStartedDuring(() => vsb(['run', '-n', 'vsb-twatch', '--', 'true']), ['lxc:///']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(started, ['vsb-twatch']);
  });
});
