import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { assertNothingLeft, libvirtEntries, started, startVsb, vsb, waitFor } from './vsb';

function testName(): string {
  const name = `vsb-t${crypto.randomBytes(4).toString('hex')}`;
  started.add(name);
  return name;
}

/** libvirt finishes its teardown after vsb exits (LXC ~0.25 s, QEMU 1.4-2 s): the files go then. */
const GONE_MS = 15_000;

describe('what libvirt leaves of a run on the host (real libvirtd)', function () {
  this.timeout(120_000);
  afterEach(assertNothingLeft);

  it('LXC: /run/libvirt/lxc/NAME.* and /var/log/libvirt/lxc/NAME.log are gone after the run', async () => {
    const name = testName();
    assert.deepEqual(libvirtEntries(name), []);
    const run = startVsb(['run', '-n', name, '--', 'sh', '-c', 'read _'], { keepStdin: true });
    // While it runs, libvirt has its files: the count below is of something real.
    assert.ok(await waitFor(() => libvirtEntries(name).length >= 5, 30_000), `libvirt's files of ${name} never appeared`);
    run.child.stdin!.end('\n');
    const r = await run.result;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(await waitFor(() => libvirtEntries(name).length === 0, GONE_MS), `left: ${libvirtEntries(name).join(' ')}`);
  });

  it("--debug keeps the log and says where it is, and shows the init's log", async () => {
    const name = testName();
    const r = await vsb(['run', '-n', name, '--debug', '--', 'true']);
    const log = `/var/log/libvirt/lxc/${name}.log`;
    try {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`^vsb: note: libvirt's log of this run is kept: ${log}$`, 'm'));
      // The init's own log, from the container's console, as the help says.
      assert.match(r.stderr, /^vsb-init \[[\d.]+\] config read from /m);
      assert.ok(await waitFor(() => libvirtEntries(name).length === 1, GONE_MS), `left: ${libvirtEntries(name).join(' ')}`);
      assert.ok(fs.existsSync(log));
    } finally {
      fs.rmSync(log, { force: true });
    }
  });

  it('a run that fails keeps the log and says where it is', async () => {
    const name = testName();
    const r = await vsb(['run', '-n', name, '-m', 'guest-bind:/x=/nonexistent', '--', 'true']);
    const log = `/var/log/libvirt/lxc/${name}.log`;
    try {
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`^vsb: note: libvirt's log of this run is kept: ${log}$`, 'm'));
      assert.ok(await waitFor(() => libvirtEntries(name).length === 1, GONE_MS), `left: ${libvirtEntries(name).join(' ')}`);
    } finally {
      fs.rmSync(log, { force: true });
    }
  });

  it('QEMU: /var/log/libvirt/qemu/NAME.log is gone after the run', async () => {
    const name = testName();
    const r = await vsb(['run', '-n', name, '-c', 'qemu:///system', '--', 'true']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(await waitFor(() => libvirtEntries(name).length === 0, GONE_MS), `left: ${libvirtEntries(name).join(' ')}`);
  });
});
