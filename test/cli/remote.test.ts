import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { domains, libvirtEntries, stagePools, started, startVsb, vsb, waitFor, assertNothingLeft, type VsbResult } from './vsb';
import { stagedSandboxName } from '@vsb/core';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';

/**
 * Remote libvirt URIs for real: this host's libvirtd reached through an sshd of the test's own on
 * loopback (`qemu+ssh://`, `lxc+ssh://`). vsb runs in a private mount namespace whose state and
 * cache dirs are a fresh tmpfs: no path vsb writes is visible to libvirtd, so a run works only
 * through the files it uploads (a storage pool of its own, removed after the run).
 */
describe('remote URIs over ssh (real libvirtd behind a loopback sshd)', function () {
  this.timeout(300_000);
  let sshd: LoopbackSshd;
  let hidden: string;

  before(async () => {
    sshd = await startLoopbackSshd();
    hidden = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-remote-'));
  });
  after(async () => {
    await sshd?.stop();
    if (hidden) fs.rmSync(hidden, { recursive: true, force: true });
  });
  // libvirt's LXC driver often leaves its monitor socket (NAME.sock) after a domain's end (see
  // HOST-NOTES); on a remote host no client can remove it (the storage API lists no sockets), so
  // it is this test's to remove here (the "remote" host being this one); anything else must be gone.
  afterEach(async () => {
    for (const name of started) fs.rmSync(`/run/libvirt/lxc/${name}.sock`, { force: true });
    await assertNothingLeft();
  });

  /** `unshare` that gives vsb a tmpfs at `hidden` in a mount namespace of its own, then execs it. */
  const privately = (): { prefix: string[]; env: NodeJS.ProcessEnv } => ({
    prefix: ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs vsb-remote "$0" && exec "$@"', hidden],
    env: { VSB_STATE_ROOT: path.join(hidden, 'state'), VSB_CACHE_DIR: path.join(hidden, 'cache') },
  });
  const remote = (driver: 'lxc' | 'qemu', args: readonly string[], input?: Buffer): Promise<VsbResult> =>
    vsb(['run', '-c', sshd.uri(driver), ...args], { ...privately(), input });

  it("the private namespace hides vsb's files from libvirtd: a local LXC run in it fails", async () => {
    const r = await vsb(['run', '-c', 'lxc:///', '--', 'true'], privately());
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`${hidden}/state/`));
  });

  for (const driver of ['lxc', 'qemu'] as const) {
    it(`${driver}+ssh: exit code, stdin, stdout and stderr as locally, the stage gone after`, async () => {
      const input = Buffer.concat([Buffer.from('line one\n'), Buffer.from([0, 1, 2, 0xff, 0xfe]), Buffer.alloc(200_000, 0x61)]);
      const r = await remote(driver, ['--', 'sh', '-c', 'cat; echo to-stderr >&2; tr "\\0" "\\n" </proc/1/cmdline | grep -c vsb-stage- >&2; exit 3'], input);
      assert.equal(r.code, 3, r.stderr);
      assert.ok(r.stdout.equals(input), `stdout: ${r.stdout.length} bytes, not the ${input.length} given`);
      assert.match(r.stderr, /(^|\n)to-stderr\n/);
      // LXC's init and config are the stage's (its command line names them); a VM's stage 1 names only the config file.
      if (driver === 'lxc') assert.match(r.stderr, /\n2\n$/);
      assert.deepEqual(stagePools(), []);
    });
  }

  it('lxc+ssh: a run killed with SIGKILL leaves its stage, which the next run removes', async () => {
    const { child, result } = startVsb(['run', '-c', sshd.uri('lxc'), '--', 'sleep', '600'], { ...privately(), keepStdin: true });
    assert.ok(await waitFor(() => stagePools().length === 1 && domains().some((d) => d.startsWith('vsb-t')), 60_000), 'the run never started');
    const [pool] = stagePools();
    child.kill('SIGKILL');
    await result;
    // The domain ends with its connection (AUTODESTROY: ssh saw vsb's end); its stage stays.
    assert.ok(await waitFor(() => !domains().some((d) => pool!.endsWith(`-${d}`)), 10_000), 'the domain outlived its connection');
    assert.deepEqual(stagePools(), [pool]);
    const next = await remote('lxc', ['--', 'true']);
    assert.equal(next.code, 0, next.stderr);
    assert.deepEqual(stagePools(), []);
    assert.ok(!fs.existsSync(path.join('/run/libvirt', pool!)), `${pool}'s directory is still there`);
    // What libvirt left of the killed run goes too, but its monitor socket (see afterEach).
    const name = stagedSandboxName(pool!);
    assert.deepEqual(
      libvirtEntries(name).filter((e) => e !== `/run/libvirt/lxc/${name}.sock`),
      [],
    );
  });

  describe('what a remote sandbox cannot have: one-line usage errors before libvirt is asked', () => {
    // Nothing listens on port 1: reaching libvirt would fail differently.
    const unreachable = 'qemu+ssh://root@127.0.0.1:1/system';
    const cases: [string, string[], RegExp][] = [
      [
        'an include',
        ['-m', 'ram:/w=8M', '-i', '/w/h=/etc/hostname'],
        /^vsb: --include '\/w\/h=\/etc\/hostname': a sandbox on a remote libvirt host \('qemu\+ssh:\/\/root@127\.0\.0\.1:1\/system'\) cannot copy files from this host\n/,
      ],
      [
        'a temporary host dir',
        ['-m', 'host-bind:/scratch='],
        /^vsb: --mount 'host-bind:\/scratch=': a sandbox on a remote libvirt host .* cannot have a temporary dir of this host\n/,
      ],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const r = await vsb(['run', '-c', unreachable, ...args, '--', 'true']);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
      });
    }
    it('a remote session daemon', async () => {
      const r = await vsb(['run', '-c', 'qemu+ssh://someone@127.0.0.1:1/session', '--', 'true']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^vsb: --connect: a remote session URI \('qemu\+ssh:\/\/someone@127\.0\.0\.1:1\/session'\) is not supported: /);
    });
  });
});
