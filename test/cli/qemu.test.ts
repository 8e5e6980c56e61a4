import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assertNothingLeft, domains, started, startVsb, vsb, VSB, waitFor, domainsStartedDuring } from './vsb';
import type { VsbResult } from './vsb';
import { dynamicDacId } from '@vsb/security-svirt';

const URI = 'qemu:///system';
const escape = (s: string) => s.replace(/[.+]/g, '\\$&');
/** A kernel release with an image here (the host's, or the one `npm run setup` unpacked). */
const bootable =
  ['/boot', '/var/cache/vsb/guest-kernel/boot']
    .flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d) : []))
    .find((f) => f.startsWith('vmlinuz-'))
    ?.slice('vmlinuz-'.length) ?? os.release();
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** `vsb run -c qemu:///system ARGS -- COMMAND`. */
function qemu(args: readonly string[], command: readonly string[], options: { input?: Buffer | string } = {}): Promise<VsbResult> {
  return vsb(['run', '-c', URI, ...args, '--', ...command], options);
}

/** stderr without the note a host without its own kernel image gets on every run (see the note test). */
const appStderr = (r: VsbResult) =>
  r.stderr
    .split('\n')
    .filter((l) => !l.startsWith('vsb: note: '))
    .join('\n');

describe('vsb run on qemu:///system (real libvirtd, TCG)', function () {
  // A TCG boot takes 2-3 s here, more while other test runs share the 2 cores.
  this.timeout(120_000);
  afterEach(assertNothingLeft);

  it('--security dac: QEMU runs as a per-sandbox uid that cannot read root-only host files through the 9p root', async () => {
    // Not under /tmp, which is private in a sandbox; the dir is open, only the file is root's.
    const dir = fs.mkdtempSync('/var/lib/vsb-dac-');
    fs.chmodSync(dir, 0o755);
    const secret = path.join(dir, 'secret');
    fs.writeFileSync(secret, 'root only\n', { mode: 0o600 });
    const name = `vsb-tdac${crypto.randomBytes(3).toString('hex')}`;
    try {
      const run = startVsb([
        'run',
        '-n',
        name,
        '-c',
        URI,
        '--security',
        'dac',
        '--',
        'sh',
        '-c',
        `sleep 1; cat ${secret}; echo rc=$?; cat /etc/hostname >/dev/null && echo public`,
      ]);
      let qemuUid: number | undefined;
      await waitFor(() => {
        let pid: string | undefined;
        try {
          pid = execFileSync('pgrep', ['-f', `guest=${name},`], { encoding: 'utf8' })
            .trim()
            .split('\n')[0];
        } catch {
          return false; // not started yet
        }
        qemuUid = Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
        return true;
      }, 30_000);
      const r = await run.result;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(qemuUid, dynamicDacId(name));
      assert.match(r.stdout.toString(), /^rc=1\npublic\n$/);
      assert.match(r.stderr, /Permission denied/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('exit status', () => {
    for (const [cmd, code] of [
      [['/bin/false'], 1],
      [['sh', '-c', 'kill -9 $$'], 137],
    ] as const) {
      it(`${cmd.join(' ')} -> ${code}`, async () => {
        const r = await qemu([], cmd);
        assert.equal(r.code, code, r.stderr);
      });
    }
  });

  it('one VM, many facts: stdin, stdout/stderr apart, exit 7, guest kernel, read-only /, identity, no host secrets, host-bind, ram, ext4 image', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-qemu-'));
    try {
      // A root caller's QEMU runs as a per-sandbox uid: what it opens must be open to that uid.
      fs.chmodSync(dir, 0o755);
      const image = path.join(dir, 'disk.img');
      execFileSync('truncate', ['-s', '16M', image]);
      execFileSync('mkfs.ext4', ['-q', '-F', image]);
      fs.chmodSync(image, 0o666);
      const shared = path.join(dir, 'shared');
      fs.mkdirSync(shared, { mode: 0o777 });
      fs.chmodSync(shared, 0o777);
      fs.writeFileSync(path.join(shared, 'from-host'), 'host\n');
      const script = [
        'cat',
        'uname -r',
        'touch /etc/vsb-x 2>/dev/null && echo etc:writable || echo etc:read-only',
        'echo "id:$(id -u):$(id -g):$(grep CapEff /proc/self/status | tr -d "\\t ")"',
        'echo "bind:$(cat /mnt/from-host)"; echo guest > /mnt/from-guest',
        'cat /etc/shadow >/dev/null 2>&1 && echo shadow:read || echo shadow:refused',
        'head -c 2097152 /dev/zero > /tmp/big 2>/dev/null && echo ram:unlimited || echo ram:full',
        'echo image > /srv/in-image; echo "disk:$(cat /srv/in-image)"',
        'echo to-stderr >&2',
        'exit 7',
      ].join('\n');
      // -v: the kernel note on every run (it is told once otherwise), for kernelOfThisRun.
      const r = await qemu(['-v', '-m', `host-bind:/mnt=${shared}`, '-m', 'ram:/tmp=1M', '-m', `host-image:/srv=${image}`], ['sh', '-c', script], {
        input: 'from-stdin\n',
      });
      assert.equal(r.code, 7, r.stderr);
      assert.equal(appStderr(r), 'to-stderr\n');
      const lines = r.stdout.toString().trimEnd().split('\n');
      assert.equal(lines[0], 'from-stdin');
      assert.match(lines[1]!, /^\d+\.\d+/);
      assert.equal(lines[1], kernelOfThisRun(r), 'uname -r is the booted kernel');
      assert.equal(lines[2], 'etc:read-only');
      assert.equal(lines[3], `id:${process.getuid!()}:${process.getgid!()}:CapEff:0000000000000000`);
      assert.equal(lines[4], 'bind:host');
      assert.equal(lines[5], 'shadow:refused', 'the guest root is not root on the host');
      assert.equal(lines[6], 'ram:full');
      assert.equal(lines[7], 'disk:image');
      assert.equal(fs.readFileSync(path.join(shared, 'from-guest'), 'utf8'), 'guest\n', 'host-bind writes through');
      assert.ok(fs.statSync(path.join(shared, 'from-guest')).uid >= 0x70000000, "written as the VM's own uid, not root");
      // The guest synced the disk before powering off.
      assert.equal(execFileSync('debugfs', ['-R', 'cat /in-image', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 'image\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('moves 3 MB of random bytes through cat, byte-exact, and ends at stdin EOF', async () => {
    const data = crypto.randomBytes(3 * 1024 * 1024);
    const r = await qemu([], ['/bin/cat'], { input: data });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.length, data.length);
    assert.equal(sha(r.stdout), sha(data));
  });

  it('loses no tail over 10 runs, two VMs at a time', async () => {
    const outputs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const pair = await Promise.all([0, 1].map((j) => qemu([], ['sh', '-c', `echo start; echo last-${i}-${j}`])));
      pair.forEach((r, j) => {
        assert.equal(r.code, 0, r.stderr);
        outputs.push(r.stdout.toString());
        assert.equal(r.stdout.toString(), `start\nlast-${i}-${j}\n`);
      });
    }
    assert.equal(outputs.length, 10);
  });

  it('SIGINT during sleep 100: exit 130, nothing left', async () => {
    const run = startVsb(['run', '-c', URI, '-n', 'vsb-tqemu-sigint', '--', 'sleep', '100']);
    // The VM is up once its console answered: sleep is then running.
    assert.ok(await waitFor(() => domains(URI).includes('vsb-tqemu-sigint'), 30_000));
    await new Promise((r) => setTimeout(r, 4000));
    run.child.kill('SIGINT');
    const r = await run.result;
    assert.equal(r.code, 130, r.stderr);
  });

  it('shows a progress line while the VM boots when stderr is a terminal', async () => {
    const { stdout } = await promisify(execFile)('script', ['-qec', `node ${VSB} run -c ${URI} -n vsb-tqemu-pty -- /bin/true; echo code=$?`, '/dev/null'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    started.add('vsb-tqemu-pty');
    assert.match(stdout, /booting kernel \S+\.\.\./);
    assert.match(stdout, /code=0/);
  });

  it('powers the VM off cleanly: no kernel panic in the --debug log', async () => {
    const r = await qemu(['-q', '--debug'], ['sh', '-c', 'exit 3']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /reboot: Power down/);
    assert.doesNotMatch(r.stderr, /Kernel panic|Attempted to kill init/);
  });

  it('says which kernel it boots when the running one has no image or modules: once, or with -v every time', async () => {
    const r = await vsb(['run', '-c', URI, '-v', '--dry-run', '--', '/bin/true']);
    assert.equal(r.code, 0, r.stderr);
    const running = os.release();
    const again = await vsb(['run', '-c', URI, '--dry-run', '--', '/bin/true']);
    const quiet = await vsb(['run', '-c', URI, '-v', '-q', '--dry-run', '--', '/bin/true']);
    if (fs.existsSync(`/boot/vmlinuz-${running}`) && fs.existsSync(`/lib/modules/${running}/modules.dep`)) {
      assert.equal(r.stderr, '');
    } else {
      assert.match(r.stderr, new RegExp(`^vsb: note: the running kernel ${escape(running)} has no image or modules here; booting \\S+ \\(.+\\)\\n$`));
      // The -v run above told it, so this host has seen it: not again.
      assert.equal(again.stderr, '');
    }
    assert.equal(quiet.code, 2);
    assert.equal(quiet.stderr, 'vsb: --quiet and --verbose cannot be used together\n');
    assert.match(r.stdout.toString(), /<type arch="x86_64" machine="microvm">hvm<\/type>/);
  });

  describe('kernel flags are checked before any domain exists (exit 2, one line)', () => {
    for (const [args, message] of [
      [
        ['--kernver', '0.0.0-none'],
        /^vsb: --kernver '0\.0\.0-none': no \/boot\/vmlinuz-0\.0\.0-none \(kernels here: [^;]+; or give its image with --kernpath\)\n$/,
      ],
      [['--kernpath', 'vmlinuz'], /^vsb: --kernpath 'vmlinuz' must be an absolute path/],
      [['--kernpath', '/nonexistent/vmlinuz'], /^vsb: --kernpath '\/nonexistent\/vmlinuz': no such file\n$/],
      [['--kmodpath', '/nonexistent'], /^vsb: --kmodpath '\/nonexistent': no modules\.dep there for any kernel with an image/],
      [
        ['--kernver', bootable, '--kmodpath', '/nonexistent'],
        new RegExp(`^vsb: --kmodpath '/nonexistent': no modules\\.dep for kernel ${escape(bootable)} there\n$`),
      ],
    ] as const) {
      it(args.join(' '), async () => {
        const { result: r, started } = await domainsStartedDuring(() => qemu(args, ['/bin/true']), [URI]);
        assert.deepEqual(started, []);
        assert.equal(r.code, 2, r.stderr);
        assert.match(appStderr(r), message);
      });
    }
  });

  it("boots lean: only this machine's virtio transport is loaded, modules unsigned (kernel taint E), no kernel rodata protection", async () => {
    const r = await qemu([], ['sh', '-c', 'cut -d" " -f1 /proc/modules | sort | tr "\\n" " "; echo; cat /proc/sys/kernel/tainted; cat /proc/cmdline']);
    assert.equal(r.code, 0, r.stderr);
    const [modules, tainted, cmdline] = r.stdout.toString().trimEnd().split('\n');
    const loaded = modules!.trim().split(' ');
    assert.ok(loaded.includes('9p') && loaded.includes('virtio_mmio'), modules);
    assert.deepEqual(
      loaded.filter((m) => m.startsWith('virtio_pci')),
      [],
      'microvm has no PCI bus: no virtio_pci modules',
    );
    // Debian's kernel does not force signatures (its config says so), so vsb drops them: taint bit 13.
    assert.equal(Number(tainted) & 8192, 8192, `tainted=${tainted}`);
    // The shares stage 1 mounted came from here (bootCmdline), not from a default of the init.
    assert.match(cmdline!, / rodata=off .* vsb_transport=mmio vsb_root=sandbox:root vsb_config=sandbox:config vsb_9p=virtio -- --stage1 /);
  });
});

/** The kernel release a run booted: the note names it, else it is the running kernel. */
function kernelOfThisRun(r: VsbResult): string {
  return /booting (\S+) \(/.exec(r.stderr)?.[1] ?? os.release();
}
