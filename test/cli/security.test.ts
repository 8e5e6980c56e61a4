import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNothingLeft, domains, domainsStartedDuring, vsb } from './vsb';

/**
 * One line per probe, `name=ok` or `name=refused` (or the errno for raw syscalls), so one sandbox run
 * checks everything. Raw syscalls through Python's ctypes: x86_64 numbers (175 init_module, 248
 * add_key). /proc/sysrq-trigger is only ever tested with `test -w`, never written.
 */
const PROBE = [
  'p() { n=$1; shift; if "$@" >/dev/null 2>&1; then echo "$n=ok"; else echo "$n=refused"; fi; }',
  'p userns unshare -U true',
  'p mount mount -t tmpfs vsb-probe /mnt',
  'p write-mount sh -c "echo x > /srv/f"',
  'p write-dev sh -c "echo x > /dev/vsb-probe"',
  'p dev-null sh -c "echo x > /dev/null"',
  'p sysrq-writable test -w /proc/sysrq-trigger',
  `python3 -c 'import ctypes; l = ctypes.CDLL(None, use_errno=True)
for n, a in (("init_module", (175, None, 0, b"")), ("add_key", (248, b"user", b"vsb", b"v", 1, -2))):
    r = l.syscall(*a); print(n + "=" + ("ok" if r >= 0 else "errno%d" % ctypes.get_errno()))'`,
  'grep "^Seccomp:" /proc/self/status',
].join('\n');

type Probe = Record<string, string>;

async function probe(flags: readonly string[], dir: string): Promise<Probe> {
  const r = await vsb(['run', '-m', `host-bind:/srv=${dir}`, ...flags, '--', 'sh', '-c', PROBE]);
  assert.equal(r.code, 0, r.stderr);
  return Object.fromEntries(
    r.stdout
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.split(/=|:\t/) as [string, string]),
  );
}

describe('vsb run confinement and security models (real libvirtd, lxc:///)', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-sec-'));
    fs.chmodSync(dir, 0o777);
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await assertNothingLeft();
  });

  it('by default: no new user namespace, mount, module or keyring; writes only to writable mounts and /dev/null', async () => {
    assert.deepEqual(await probe([], dir), {
      userns: 'refused',
      mount: 'refused',
      'write-mount': 'ok',
      'write-dev': 'refused',
      'dev-null': 'ok',
      'sysrq-writable': 'refused',
      init_module: 'errno1',
      add_key: 'errno1',
      Seccomp: '2',
    });
    assert.equal(fs.readFileSync(path.join(dir, 'f'), 'utf8'), 'x\n');
  });

  it('--no-seccomp --no-landlock: the app behaves as without confinement', async () => {
    const { init_module: initModule, ...p } = await probe(['--no-seccomp', '--no-landlock'], dir);
    assert.deepEqual(p, {
      userns: 'ok',
      mount: 'refused',
      'write-mount': 'ok',
      'write-dev': 'ok',
      'dev-null': 'ok',
      'sysrq-writable': 'refused',
      add_key: 'ok',
      Seccomp: '0',
    });
    // Still no module: the container lacks CAP_SYS_MODULE (EPERM), or the kernel has no modules (ENOSYS, as here).
    assert.match(initModule!, /^errno(1|38)$/);
  });

  it('each flag lifts one layer: --no-landlock keeps the filter, --no-seccomp keeps Landlock', async () => {
    const [noLandlock, noSeccomp] = await Promise.all([probe(['--no-landlock'], dir), probe(['--no-seccomp'], dir)]);
    assert.deepEqual([noLandlock.userns, noLandlock['write-dev'], noLandlock.Seccomp], ['refused', 'ok', '2']);
    assert.deepEqual([noSeccomp.userns, noSeccomp['write-dev'], noSeccomp.Seccomp], ['ok', 'refused', '0']);
  });

  it('--privileged implies neither: mount needs both --no-seccomp and --no-landlock (Landlock forbids mount changes too)', async () => {
    const [privileged, seccompOnly, open] = await Promise.all([
      probe(['--privileged'], dir),
      probe(['--privileged', '--no-landlock'], dir),
      probe(['--privileged', '--no-seccomp', '--no-landlock'], dir),
    ]);
    assert.deepEqual([privileged.mount, privileged['write-dev'], privileged.userns], ['refused', 'refused', 'refused']);
    assert.deepEqual([seccompOnly.mount, seccompOnly['write-dev']], ['refused', 'ok']);
    assert.deepEqual([open.mount, open['write-dev'], open.userns], ['ok', 'ok', 'ok']);
  });

  it('--security dynamic on this host without SELinux: one line, exit 2, no domain created', async () => {
    const { result: r, started } = await domainsStartedDuring(() => vsb(['run', '-n', 'vsb-tsec-selinux', '--security', 'dynamic', '--', 'true']), ['lxc:///']);
    assert.deepEqual(started, []);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^vsb: --security dynamic needs SELinux, which is not enabled on this host \(libvirt offers: [a-z, ]+\)\n/);
    assert.equal(domains().includes('vsb-tsec-selinux'), false);
  });

  it('--security none: <seclabel type=none/> is accepted by libvirt and the app runs', async () => {
    const r = await vsb(['run', '--security', 'none', '--', 'sh', '-c', 'echo fine']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'fine\n');
  });
});
