import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { assertNothingLeft, vsb } from './vsb';

/**
 * Makes `target` an idmapped bind mount of `source` (host ids 0-65535 shown as 100000-165535), the way
 * rootless container storage does: the kernel never idmaps a mount twice, so a sandbox cannot.
 * Python's ctypes drives open_tree, mount_setattr and move_mount (util-linux 2.38's `mount` has no
 * working X-mount.idmap).
 */
const IDMAPPED_BIND = String.raw`
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
def check(r, what):
    if r < 0: sys.exit(what + ": " + os.strerror(ctypes.get_errno()))
    return r
source, target = sys.argv[1].encode(), sys.argv[2].encode()
ready, go = os.pipe(), os.pipe()
pid = os.fork()
if pid == 0:
    libc.unshare(0x10000000)
    os.write(ready[1], b"u")
    os.read(go[0], 1)
    os._exit(0)
os.read(ready[0], 1)
for m in ("uid_map", "gid_map"):
    open("/proc/%d/%s" % (pid, m), "w").write("0 100000 65536\n")
ns = os.open("/proc/%d/ns/user" % pid, os.O_RDONLY)
fd = check(libc.syscall(428, -100, source, 1 | 0o2000000), "open_tree")
attr = struct.pack("QQQQ", 0x00100000, 0, 0, ns)
check(libc.syscall(442, fd, b"", 0x1000, attr, len(attr)), "mount_setattr")
check(libc.syscall(429, fd, b"", -100, target, 4), "move_mount")
os.write(go[1], b"g")
os.waitpid(pid, 0)
`;

function libvirtdPid(): string {
  return execFileSync('pgrep', ['-xo', 'libvirtd'], { encoding: 'utf8' }).trim();
}

/** Runs argv in libvirtd's mount namespace: the one every LXC sandbox copies its mounts from. */
function inLibvirtd(argv: string[]): void {
  execFileSync('nsenter', ['-t', libvirtdPid(), '-m', '--', ...argv], { stdio: ['ignore', 'ignore', 'inherit'] });
}

describe("host mounts the kernel will not idmap are hidden from a sandbox's app (real libvirtd)", function () {
  this.timeout(120_000);
  // Made in before(): a describe body runs even when --grep leaves none of its tests, and its after() then does not.
  let top = '';
  let source = '';
  let idmapped = '';
  let ramfs = '';
  let locked = '';
  let server: net.Server | undefined;

  before(async () => {
    top = fs.mkdtempSync('/var/lib/vsb-thidden-');
    [source, idmapped, ramfs, locked] = ['source', 'idmapped', 'ramfs', 'locked'].map((d) => path.join(top, d)) as [string, string, string, string];
    fs.chmodSync(top, 0o755);
    fs.mkdirSync(source);
    fs.mkdirSync(idmapped);
    fs.mkdirSync(ramfs);
    // A mount below a directory only its host owner (root) may enter, as under /run/user/UID.
    fs.mkdirSync(path.join(locked, 'inner'), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(source, 'file'), 'host\n', { mode: 0o644 });
    server = net.createServer((c) => c.end('hi'));
    await new Promise<void>((resolve) => server!.listen(path.join(source, 's777'), resolve));
    fs.chmodSync(path.join(source, 's777'), 0o777);
    inLibvirtd(['python3', '-c', IDMAPPED_BIND, source, idmapped]);
    // ramfs has no idmapped mounts at all (EINVAL), unlike an idmapped mount (EPERM).
    for (const dir of [ramfs, path.join(locked, 'inner')]) inLibvirtd(['sh', '-c', 'mount -t ramfs vsb-thidden "$1" && echo ram > "$1/file"', 'sh', dir]);
  });

  after(() => {
    server?.close();
    for (const dir of [idmapped, ramfs, path.join(locked, 'inner')]) spawnSync('nsenter', ['-t', libvirtdPid(), '-m', '--', 'umount', dir]);
    fs.rmSync(top, { recursive: true, force: true });
  });

  afterEach(() => assertNothingLeft());

  for (const [title, flags] of [
    ['the default identity', []],
    ['--privileged --no-seccomp --no-landlock', ['--privileged', '--no-seccomp', '--no-landlock']],
  ] as const) {
    it(`${title}: the sandbox starts; what those mounts hold (files, a 0777 socket) is out of reach`, async () => {
      const r = await vsb([
        'run',
        ...flags,
        '--',
        'sh',
        '-c',
        `ls -A ${idmapped} ${ramfs}; ls ${locked} 2>/dev/null || echo locked=refused; grep -cE ' ${top}/(idmapped|ramfs) ' /proc/self/mountinfo
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); print("sock=ok")' ${idmapped}/s777 2>/dev/null || echo sock=refused`,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr.toString(), '');
      assert.equal(r.stdout.toString(), `${idmapped}:\n\n${ramfs}:\nlocked=refused\n0\nsock=refused\n`);
    });
  }

  it('--debug says which mounts were hidden and why', async () => {
    const r = await vsb(['run', '--debug', '--', 'true']);
    assert.equal(r.code, 0, r.stderr);
    const err = r.stderr.toString();
    assert.match(err, new RegExp(`idmap: ${idmapped} \\(\\w+\\) cannot be idmapped \\(Operation not permitted\\): hidden from the app`));
    assert.match(err, new RegExp(`idmap: ${ramfs} \\(ramfs\\) cannot be idmapped \\(Invalid argument\\): hidden from the app`));
  });

  it('a host-bind the user gives of such a mount is refused with the reason, and nothing is left', async () => {
    const r = await vsb(['run', '-m', `host-bind:/hb=${idmapped}`, '--', 'true']);
    assert.equal(r.code, 1);
    assert.match(r.stderr.toString(), /^vsb: guest: cannot idmap the mount \/hb \(\w+\) for the sandbox's user namespace: Operation not permitted$/m);
  });
});
