import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { assertNothingLeft, domainsStartedDuring, startVsb, vsb, waitFor } from './vsb';

/**
 * An attacker's probes, one line each (`name=ok` when the attempt worked, `name=refused` when not),
 * so one sandbox run tries everything. Sockets are tried with Python, the way any program would.
 */
const PROBE = [
  'p() { n=$1; shift; if "$@" >/dev/null 2>&1; then echo "$n=ok"; else echo "$n=refused"; fi; }',
  'p shadow cat /etc/shadow',
  'p secret cat "$SECRET"',
  'p remount mount -o remount,bind,rw /',
  'p write-root touch "/$MARK"',
  'p dmesg dmesg',
  `p cgroup-write python3 -c 'import os, sys
n = 0
for d, _, fs in os.walk("/sys/fs/cgroup"):
    for f in fs:
        try: os.close(os.open(os.path.join(d, f), os.O_WRONLY)); n += 1
        except OSError: pass
sys.exit(0 if n else 1)'`,
  'p userns unshare -U true',
  'p mount-tmpfs mount -t tmpfs vsb-probe /mnt',
  `p module python3 -c 'import ctypes, sys; sys.exit(0 if ctypes.CDLL(None).syscall(175, None, 0, b"") == 0 else 1)'`,
  'conn() { python3 -c "import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); sys.exit(0 if s.recv(2) == b\\"hi\\" else 1)" "$1"; }',
  'p sock-755 conn "$SOCKDIR/s755"',
  'p sock-777 conn "$SOCKDIR/s777"',
  'p sock-bind conn /hb/s',
  `p sock-abstract python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.connect("\\0" + "'"$ABSTRACT"'")'`,
  'p bind-write sh -c "echo x > /hb/written"',
].join('\n');

/** Host-side fixtures an attacker would aim at: root-only files, listening sockets, a writable bind. */
class Targets {
  // Made in start() (a before hook): a describe body runs even when --grep leaves none of its tests.
  dir = '';
  bind = '';
  readonly abstract = `vsb-tconf-${process.pid}`;
  readonly mark = `vsb-tconf-mark-${process.pid}`;
  private readonly servers: net.Server[] = [];

  async start(): Promise<void> {
    this.dir = fs.mkdtempSync('/var/lib/vsb-tconf-');
    this.bind = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-tconf-bind-'));
    fs.writeFileSync(path.join(this.dir, 'secret'), 'secret\n', { mode: 0o600 });
    for (const [file, mode] of [
      [path.join(this.dir, 's755'), 0o755],
      [path.join(this.dir, 's777'), 0o777],
      [path.join(this.bind, 's'), 0o755],
    ] as const) {
      await this.listen(file);
      fs.chmodSync(file, mode);
    }
    await this.listen(`\0${this.abstract}`);
  }

  private listen(address: string): Promise<void> {
    const server = net.createServer((c) => c.end('hi'));
    this.servers.push(server);
    return new Promise((resolve) => server.listen(address, resolve));
  }

  env(): string[] {
    return ['-e', `SECRET=${path.join(this.dir, 'secret')}`, '-e', `SOCKDIR=${this.dir}`, '-e', `MARK=${this.mark}`, '-e', `ABSTRACT=${this.abstract}`];
  }

  stop(): void {
    for (const s of this.servers) s.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.bind, { recursive: true, force: true });
  }
}

async function probe(targets: Targets, flags: readonly string[]): Promise<Record<string, string>> {
  const r = await vsb(['run', '-m', `host-bind:/hb=${targets.bind}`, ...targets.env(), ...flags, '--', 'sh', '-c', PROBE]);
  assert.equal(r.code, 0, r.stderr);
  return Object.fromEntries(
    r.stdout
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.split('=') as [string, string]),
  );
}

/** What no identity may do, SELinux or not, whatever the in-sandbox layers allow. */
const NEVER = {
  shadow: 'refused',
  secret: 'refused',
  remount: 'refused',
  'write-root': 'refused',
  dmesg: 'refused',
  'cgroup-write': 'refused',
  'sock-755': 'refused',
  'sock-777': 'refused',
  'sock-abstract': 'refused',
};
/** What a writable host-bind still gives: its sockets and files, written as the caller. */
const BIND = { 'sock-bind': 'ok', 'bind-write': 'ok' };
/** The seccomp layer, on unless --no-seccomp. */
const SECCOMP = { userns: 'refused', 'mount-tmpfs': 'refused', module: 'refused' };

describe('confinement without SELinux: root in an LXC sandbox is not root on the host (real libvirtd)', function () {
  this.timeout(120_000);
  const targets = new Targets();

  before(() => targets.start());
  after(() => targets.stop());
  afterEach(async () => {
    assert.equal(fs.existsSync(`/${targets.mark}`), false, 'the sandbox wrote to the host root');
    fs.rmSync(path.join(targets.bind, 'written'), { force: true });
    await assertNothingLeft();
  });

  for (const [title, flags, layers] of [
    ['the default identity (root calling: uid 0 inside, no capabilities)', [], SECCOMP],
    ['--privileged (full capabilities inside its user namespace)', ['--privileged'], SECCOMP],
    ['--privileged --no-seccomp --no-landlock', ['--privileged', '--no-seccomp', '--no-landlock'], { userns: 'ok', 'mount-tmpfs': 'ok' }],
  ] as const) {
    it(`${title}: no host secret, host root, kernel log, cgroup or host socket; the writable bind works`, async () => {
      const p = await probe(targets, flags);
      const { module: moduleProbe, ...rest } = p;
      const { module: _m, ...expectedLayers } = layers as Record<string, string>;
      assert.deepEqual(rest, { ...NEVER, ...BIND, ...expectedLayers });
      // Module loading is never possible: seccomp refuses it, and without seccomp the kernel does (no CAP_SYS_MODULE on the host).
      assert.equal(moduleProbe, 'refused');
      const st = fs.statSync(path.join(targets.bind, 'written'));
      assert.deepEqual([st.uid, st.gid], [process.getuid!(), process.getgid!()], 'a host-bind write lands as the caller');
    });
  }

  it('the app is root in its own user namespace, mapped to an unprivileged host range; host files are not its own', async () => {
    const r = await vsb(['run', '--', 'sh', '-c', 'id -u; cat /proc/self/uid_map; stat -c %u /etc/passwd']);
    assert.equal(r.code, 0, r.stderr);
    const [uid, map, owner] = r.stdout.toString().trim().split('\n');
    assert.equal(uid, '0');
    const [inside, host, count] = map!.trim().split(/\s+/).map(Number);
    assert.deepEqual([inside, count], [0, 65536]);
    assert.ok(host! >= 0x60000000 && host! < 0x70000000, `host range ${host}`);
    assert.equal(owner, '65534', 'host root files are unmapped (nobody) inside');
  });

  it('two sandboxes at once get ranges that do not overlap', async () => {
    const cmd = ['sh', '-c', 'awk "{print \\$2}" /proc/self/uid_map; sleep 1'];
    const [a, b] = await Promise.all([vsb(['run', '--', ...cmd]), vsb(['run', '--', ...cmd])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const [ha, hb] = [Number(a.stdout.toString()), Number(b.stdout.toString())];
    assert.ok(Math.abs(ha - hb) >= 65536, `${ha} and ${hb} overlap`);
  });

  it('--pids 200: a fork loop stops at the bound, the host stays responsive, nothing is left', async () => {
    const forkLoop = `import os, time
n, pids = 0, []
try:
    while n < 1000:
        pid = os.fork()
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        pids.append(pid)
        n += 1
except OSError:
    pass
print(n)
for pid in pids:
    os.kill(pid, 9)`;
    const r = await vsb(['run', '--pids', '200', '--', 'python3', '-c', forkLoop]);
    assert.equal(r.code, 0, r.stderr);
    const forked = Number(r.stdout.toString().trim());
    assert.ok(forked >= 150 && forked < 200, `forked ${forked} with at most 200 processes`);
    // The host still forks.
    assert.equal(execFileSync('sh', ['-c', 'echo alive']).toString(), 'alive\n');
  });

  it('--memory 128M and a 512 MB allocation: exit 137, one line saying why; the kernel killed the app, not libvirt_lxc', async () => {
    const since = kernelLogEnd();
    const r = await vsb(['run', '--memory', '128M', '--', 'python3', '-c', 'b = bytearray(512 * 1024 * 1024); print("survived")']);
    assert.equal(r.code, 137, r.stderr);
    assert.equal(r.stderr, 'vsb: the command was killed: out of memory (limit 128 MiB, --memory)\n');
    const kills = kernelLog(since).filter((l) => /Killed process \d+ \(/.test(l));
    assert.ok(kills.length > 0, 'the kernel log names the OOM victim');
    for (const line of kills) assert.doesNotMatch(line, /\((libvirt_lxc|vsb-init)\)/);
  });

  it('--vcpus 1: the container sees one CPU; more CPUs than the host has is a usage error, before any domain', async () => {
    const r = await vsb(['run', '--vcpus', '1', '--', 'nproc']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), '1\n');
    const { result: many, started } = await domainsStartedDuring(
      () => vsb(['run', '-n', 'vsb-tconf-vcpus', '--vcpus', String(os.cpus().length + 1), '--', 'true']),
      ['lxc:///'],
    );
    assert.deepEqual(started, []);
    assert.equal(many.code, 2);
    assert.match(many.stderr, /^vsb: --vcpus \d+: this host has \d+ CPUs? for containers\n$/);
  });

  it('--memory beyond the host, and --pids on a VM: usage errors, before any domain', async () => {
    const {
      result: [big, vm],
      started,
    } = await domainsStartedDuring(() =>
      Promise.all([
        vsb(['run', '-n', 'vsb-tconf-mem', '--memory', `${Math.ceil(os.totalmem() / 2 ** 30) + 1}G`, '--', 'true']),
        vsb(['run', '-n', 'vsb-tconf-pids', '-c', 'qemu:///system', '--pids', '10', '--', 'true']),
      ]),
    );
    assert.deepEqual(started, []);
    assert.equal(big.code, 2);
    assert.match(big.stderr, /^vsb: --memory: \d+ MiB is more than this host has \(\d+ MiB\)\n$/);
    assert.equal(vm.code, 2);
    assert.equal(vm.stderr, 'vsb: --pids: the qemu backend does not bound processes (a VM is bounded by its --memory)\n');
  });

  it("another running sandbox's libvirt files (a VM's master key and monitor) are out of reach", async function () {
    this.timeout(180_000);
    const vm = startVsb(['run', '-c', 'qemu:///system', '--', 'sleep', '60']);
    const name = vmName(vm.child.spawnargs);
    const domainDir = () => fs.readdirSync('/var/lib/libvirt/qemu').find((d) => d.startsWith('domain-') && d.endsWith(`-${name}`));
    assert.ok(await waitFor(() => domainDir() !== undefined && fs.existsSync(`/var/lib/libvirt/qemu/${domainDir()}/master-key.aes`), 90_000), 'the VM started');
    const dir = `/var/lib/libvirt/qemu/${domainDir()}`;
    const r = await vsb([
      'run',
      '--privileged',
      '--',
      'sh',
      '-c',
      `cat ${dir}/master-key.aes >/dev/null 2>&1 && echo key=ok || echo key=refused
python3 -c 'import glob, socket
for p in glob.glob("/var/lib/libvirt/qemu/*/*.sock") + glob.glob("/var/lib/libvirt/qemu/*.monitor"):
    s = socket.socket(socket.AF_UNIX)
    try: s.connect(p); print("sock=ok", p)
    except OSError: pass
print("done")'`,
    ]);
    vm.child.kill('SIGTERM');
    await vm.result;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), 'key=refused\ndone\n');
  });
});

/** The sandbox name the test harness gave a run (`-n NAME` is put first). */
function vmName(spawnargs: readonly string[]): string {
  return spawnargs[spawnargs.indexOf('-n') + 1]!;
}

/** The host's kernel log lines after the time `since` (read as root on the host, as an administrator would). */
function kernelLog(since = -1): string[] {
  return execFileSync('dmesg', { encoding: 'utf8' })
    .split('\n')
    .filter((l) => stampOf(l) > since);
}

/** The time of the last line of the kernel log: the ring buffer drops old lines, so a line count is no mark. */
function kernelLogEnd(): number {
  return Math.max(-1, ...kernelLog().map(stampOf));
}

function stampOf(line: string): number {
  return Number(/^\[\s*(\d+\.\d+)\]/.exec(line)?.[1] ?? -1);
}
