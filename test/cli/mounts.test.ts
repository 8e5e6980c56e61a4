import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNothingLeft, domains, domainsStartedDuring, startVsb, stateDirs, vsb, waitFor } from './vsb';

/** Loop devices whose backing file lies under `dir` (from `losetup -a`), and nbd devices in use. */
function attachedDevices(dir: string): string[] {
  const loops = execFileSync('losetup', ['-a'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dir));
  const nbds = fs.readdirSync('/sys/block').filter((d) => d.startsWith('nbd') && fs.existsSync(`/sys/block/${d}/pid`));
  return [...loops, ...nbds];
}

function ext4Image(file: string, sizeMiB = 16): string {
  fs.writeFileSync(file, '');
  fs.truncateSync(file, sizeMiB * 1024 * 1024);
  execFileSync('mkfs.ext4', ['-q', file]);
  return file;
}

/** A file's content inside an ext4 image, read without mounting it. */
function readInImage(image: string, file: string): string {
  return execFileSync('debugfs', ['-R', `cat ${file}`, image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

const nbdAvailable = fs.existsSync('/sys/module/nbd');

describe('vsb run mounts on lxc:/// (real libvirtd)', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-mounts-'));
  });

  afterEach(async () => {
    // libvirt releases loop devices as the container's mounts go away, just after the domain.
    const released = await waitFor(() => attachedDevices(dir).length === 0, 5000);
    const left = attachedDevices(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    await assertNothingLeft();
    assert.ok(released, `devices still attached: ${left.join('; ')}`);
  });

  async function run(args: string[], script: string): Promise<string> {
    const r = await vsb(['run', ...args, '--', 'sh', '-c', script]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.toString();
  }

  it('2a host root only: /etc/hostname readable, writing /usr/x fails, /tmp private and writable', async () => {
    const out = await run(
      [],
      'cat /etc/hostname >/dev/null && echo read; touch /usr/x 2>/dev/null || echo usr-ro; ' +
        'touch /x 2>/dev/null || echo root-ro; for d in /tmp /var/tmp /dev/shm /run; do touch $d/vsb-t && echo $d; done',
    );
    assert.equal(out, 'read\nusr-ro\nroot-ro\n/tmp\n/var/tmp\n/dev/shm\n/run\n');
    assert.ok(!fs.existsSync('/tmp/vsb-t') && !fs.existsSync('/var/tmp/vsb-t') && !fs.existsSync('/run/vsb-t'));
  });

  it('2b + /tmp host dir: a file written inside appears on the host', async () => {
    await run(['-m', `host-bind:/tmp=${dir}`], 'echo hello > /tmp/f');
    assert.equal(fs.readFileSync(path.join(dir, 'f'), 'utf8'), 'hello\n');
  });

  it('2c + /tmp temp dir: writable inside, gone from the host after the run', async () => {
    const name = 'vsb-tmnt-temp';
    const out = await run(['-n', name, '-m', 'host-bind:/tmp='], 'echo x > /tmp/f && cat /tmp/f; ls -A /tmp | wc -l');
    assert.equal(out, 'x\n1\n');
    // The temp dir lives in the state dir (STATEDIR/temp/N): both are gone.
    assert.ok(!stateDirs().includes(name));
  });

  it('2d + /home host dir + /tmp temp dir', async () => {
    const out = await run(['-m', `host-bind:/home=${dir}`, '-m', 'host-bind:/tmp='], 'echo h > /home/f && echo t > /tmp/f && cat /home/f /tmp/f');
    assert.equal(out, 'h\nt\n');
    assert.equal(fs.readFileSync(path.join(dir, 'f'), 'utf8'), 'h\n');
  });

  it('2e + /home from a raw ext4 image: a file written inside is in the image afterwards', async () => {
    const image = ext4Image(path.join(dir, 'home.img'));
    await run(['-m', `host-image:/home=${image}`], 'echo in-image > /home/f');
    assert.equal(readInImage(image, '/f'), 'in-image\n');
  });

  it('2f + /home from a qcow2 image: mounted where the kernel has nbd, refused before any domain where not', async () => {
    if (!nbdAvailable) {
      // Not here: say so before any domain, instead of libvirt_lxc's "Failed to load nbd module".
      const qcow2 = path.join(dir, 'home.qcow2');
      execFileSync('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', ext4Image(path.join(dir, 'home.img')), qcow2]);
      const r = await vsb(['run', '-m', `host-image:/home=${qcow2},format=qcow2`, '--', '/bin/true']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^vsb: --mount .*: qcow2 images are attached with qemu-nbd, and this host's kernel has no nbd module/);
      return;
    }
    const raw = ext4Image(path.join(dir, 'home.img'));
    const qcow2 = path.join(dir, 'home.qcow2');
    execFileSync('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', raw, qcow2]);
    await run(['-m', `host-image:/home=${qcow2},format=qcow2`], 'echo in-qcow2 > /home/f');
    execFileSync('qemu-img', ['convert', '-f', 'qcow2', '-O', 'raw', qcow2, raw]);
    assert.equal(readInImage(raw, '/f'), 'in-qcow2\n');
  });

  it('2g + /mnt image + /home host-bind + /tmp guest-bind of a dir in /home', async () => {
    const image = ext4Image(path.join(dir, 'mnt.img'));
    const home = path.join(dir, 'home');
    fs.mkdirSync(path.join(home, 'gb'), { recursive: true });
    const out = await run(
      ['-m', `host-image:/mnt=${image}`, '-m', `host-bind:/home=${home}`, '-m', 'guest-bind:/tmp=/home/gb'],
      'echo m > /mnt/f && echo t > /tmp/f && cat /home/gb/f',
    );
    assert.equal(out, 't\n');
    assert.equal(fs.readFileSync(path.join(home, 'gb', 'f'), 'utf8'), 't\n');
    assert.equal(readInImage(image, '/f'), 'm\n');
  });

  describe('3a-3f includes', () => {
    function sources(): { file: string; tree: string; list: string } {
      const src = path.join(dir, 'src');
      fs.mkdirSync(path.join(src, 'tree', 'sub'), { recursive: true });
      fs.writeFileSync(path.join(src, 'tool'), '#!/bin/sh\necho tool\n', { mode: 0o750 });
      fs.chmodSync(path.join(src, 'tool'), 0o750);
      fs.writeFileSync(path.join(src, 'tree', 'sub', 'secret'), 's\n');
      fs.chmodSync(path.join(src, 'tree', 'sub', 'secret'), 0o600);
      fs.chmodSync(path.join(src, 'tree', 'sub'), 0o711);
      fs.symlinkSync('sub/secret', path.join(src, 'tree', 'link'));
      const list = path.join(src, 'list');
      fs.writeFileSync(list, `# includes\n/tmp/l/tool=${path.join(src, 'tool')}\n\n/tmp/l/tree=${path.join(src, 'tree')}\n`);
      return { file: path.join(src, 'tool'), tree: path.join(src, 'tree'), list };
    }
    const check =
      'stat -c "%a %n" $(find /tmp/X | sort); readlink /tmp/X/tree/link 2>/dev/null; cat /tmp/X/tree/sub/secret 2>/dev/null; /tmp/X/tool 2>/dev/null; true';

    for (const [label, mountOf] of [
      ['a /tmp host dir', (d: string) => `host-bind:/tmp=${d}`],
      ['a /tmp temp dir', () => 'host-bind:/tmp='],
    ] as const) {
      it(`3a/3d a file into ${label}: content and mode kept`, async () => {
        const { file } = sources();
        const tmp = path.join(dir, 'tmp');
        fs.mkdirSync(tmp);
        const out = await run(['-m', mountOf(tmp), '-i', `/tmp/X/tool=${file}`], check);
        assert.equal(out, '755 /tmp/X\n750 /tmp/X/tool\ntool\n');
      });

      it(`3b/3e a directory into ${label}: modes and symlinks kept`, async () => {
        const { tree } = sources();
        const tmp = path.join(dir, 'tmp');
        fs.mkdirSync(tmp);
        const out = await run(['-m', mountOf(tmp), '-i', `/tmp/X/tree=${tree}`], check);
        assert.equal(
          out,
          ['755 /tmp/X', '755 /tmp/X/tree', '777 /tmp/X/tree/link', '711 /tmp/X/tree/sub', '600 /tmp/X/tree/sub/secret', 'sub/secret', 's', ''].join('\n'),
        );
      });

      it(`3c/3f a file list (-I) into ${label}`, async () => {
        const { list } = sources();
        const tmp = path.join(dir, 'tmp');
        fs.mkdirSync(tmp);
        const out = await run(['-m', mountOf(tmp), '-I', list], check.replace(/X/g, 'l'));
        assert.equal(
          out,
          [
            '755 /tmp/l',
            '750 /tmp/l/tool',
            '755 /tmp/l/tree',
            '777 /tmp/l/tree/link',
            '711 /tmp/l/tree/sub',
            '600 /tmp/l/tree/sub/secret',
            'sub/secret',
            's',
            'tool',
            '',
          ].join('\n'),
        );
      });
    }
  });

  it('ram:/scratch=1M: writing 2 MB fails with ENOSPC; /scratch does not exist on the host', async () => {
    const out = await run(['-m', 'ram:/scratch=1M'], 'head -c 2000000 /dev/zero > /scratch/f 2>/tmp/err; echo $?; cat /tmp/err');
    assert.match(out, /^1\n.*No space left on device/);
    assert.ok(!fs.existsSync('/scratch'));
  });

  it('host-bind on a target missing from the host (/data) works, nothing created on the host', async () => {
    fs.writeFileSync(path.join(dir, 'f'), 'd\n');
    const out = await run(['-m', `host-bind:/vsb-data/deep=${dir},ro`], 'cat /vsb-data/deep/f; touch /vsb-data/deep/g 2>/dev/null || echo ro');
    assert.equal(out, 'd\nro\n');
    assert.ok(!fs.existsSync('/vsb-data'));
  });

  it('-M: $HOME empty and writable, the host home unchanged', async () => {
    const home = os.userInfo().homedir;
    const before = fs.readdirSync(home).sort();
    const out = await run(['-M'], 'ls -A "$HOME" | wc -l; echo x > "$HOME/vsb-m" && echo wrote; ls -A /tmp | wc -l');
    assert.equal(out, '0\nwrote\n0\n');
    assert.deepEqual(fs.readdirSync(home).sort(), before);
  });

  it('-H DIR and -T DIR: persistent host dirs as $HOME and /tmp', async () => {
    fs.mkdirSync(path.join(dir, 'h'));
    fs.mkdirSync(path.join(dir, 't'));
    await run(['-H', path.join(dir, 'h'), '-T', path.join(dir, 't')], 'echo h > "$HOME/f"; echo t > /tmp/f');
    assert.equal(fs.readFileSync(path.join(dir, 'h', 'f'), 'utf8'), 'h\n');
    assert.equal(fs.readFileSync(path.join(dir, 't', 'f'), 'utf8'), 't\n');
  });

  describe('bad input: one line naming the flag, exit 2, no domain started', () => {
    const cases: Array<[string, (d: string) => string[], RegExp]> = [
      ['missing source', (d) => ['-m', `host-bind:/a=${d}/none`], /^vsb: --mount 'host-bind:\/a=.*\/none': source '.*' does not exist$/],
      ['file where a dir is needed', (d) => ['-m', `host-bind:/a=${d}/file`], /^vsb: --mount .*: source '.*\/file' is not a directory/],
      ['dir where an image is needed', (d) => ['-m', `host-image:/a=${d}`], /^vsb: --mount .*: image file '.*' is a directory/],
      ['image without a filesystem', (d) => ['-m', `host-image:/a=${d}/file`], /^vsb: --mount .*: image file '.*' holds no filesystem/],
      ['relative target', (d) => ['-m', `host-bind:a=${d}`], /^vsb: --mount 'host-bind:a=.*': target 'a' must be an absolute path/],
      ['.. in the target', (d) => ['-m', `host-bind:/a/../b=${d}`], /^vsb: --mount .*: target '\/a\/\.\.\/b' must not contain '\.\.'$/],
      ['duplicate target', (d) => ['-m', `host-bind:/a=${d}`, '-m', 'ram:/a=1M'], /^vsb: --mount: target '\/a' is used twice/],
      ['ram size 0', () => ['-m', 'ram:/a=0'], /^vsb: --mount 'ram:\/a=0': a ram mount needs a size above 0/],
      ['ram size garbage', () => ['-m', 'ram:/a=lots'], /^vsb: --mount 'ram:\/a=lots': size 'lots' is not a number/],
      ['include source missing', (d) => ['-m', 'host-bind:/tmp=', '-i', `/tmp/x=${d}/none`], /^vsb: --include '\/tmp\/x=.*': host path '.*' does not exist$/],
      [
        'qcow2 format on a raw image',
        (d) => ['-m', `host-image:/a=${ext4Image(path.join(d, 'raw.img'))},format=qcow2`],
        /^vsb: --mount .*: image file '.*' is not a qcow2 image/,
      ],
      [
        'one image mounted twice',
        (d) => ['-m', `host-image:/a=${ext4Image(path.join(d, 'twice.img'))}`, '-m', `host-image:/b=${d}/./twice.img`],
        /^vsb: --mount 'host-image:\/b=.*twice.img': image '.*' is already attached by --mount 'host-image:\/a=.*'; an image can be attached once/,
      ],
      [
        'one image as --mount and --disk',
        (d) => ['-m', `host-image:/a=${ext4Image(path.join(d, 'both.img'))}`, '--disk', `file:data=${d}/both.img`],
        /^vsb: --disk 'file:data=.*both.img': image '.*' is already attached by --mount 'host-image:\/a=.*'/,
      ],
      ['-I /dev/zero', () => ['-I', '/dev/zero'], /^vsb: --includefile '\/dev\/zero': is not a regular file/],
      [
        'an include list over 1 MiB',
        (d) => {
          fs.writeFileSync(`${d}/big.list`, `# ${'x'.repeat(1024 * 1024)}\n`);
          return ['-I', `${d}/big.list`];
        },
        /^vsb: --includefile '.*big.list': is 1048579 bytes; a list file may have at most 1048576/,
      ],
      [
        'an include of /dev/zero',
        () => ['-m', 'host-bind:/tmp=', '-i', '/tmp/z=/dev/zero'],
        /^vsb: --include '\/tmp\/z=\/dev\/zero': host path '\/dev\/zero' is a character device/,
      ],
      [
        'a FIFO inside an included dir',
        (d) => {
          fs.mkdirSync(`${d}/in`);
          execFileSync('mkfifo', [`${d}/in/fifo`]);
          return ['-m', 'host-bind:/tmp=', '-i', `/tmp/in=${d}/in`];
        },
        /^vsb: --include '\/tmp\/in=.*': '.*\/in\/fifo' is a FIFO; only regular files, directories and symlinks are copied$/,
      ],
      ['homedir missing', (d) => ['-H', `${d}/none`], /^vsb: --homedir '.*\/none': source '.*' does not exist$/],
    ];
    for (const [label, args, message] of cases) {
      it(label, async () => {
        fs.writeFileSync(path.join(dir, 'file'), 'not a filesystem\n');
        const { result: r, started } = await domainsStartedDuring(() => vsb(['run', ...args(dir), '--', '/bin/true']), ['lxc:///']);
        assert.deepEqual(started, []);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stderr.split('\n').length, 2, r.stderr);
        assert.match(r.stderr.trimEnd(), message);
      });
    }
  });

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`${signal} of vsb with an image mounted: domain, state dir and loop device all released`, async () => {
      const image = ext4Image(path.join(dir, 'img'));
      const name = `vsb-tmnt-${signal.toLowerCase()}`;
      const run = startVsb(['run', '-n', name, '-m', `host-image:/mnt=${image}`, '--', 'sleep', '100'], { keepStdin: true });
      assert.ok(await waitFor(() => domains().includes(name), 15_000));
      assert.ok(await waitFor(() => attachedDevices(dir).length === 1, 5000), 'the image is attached while it runs');
      run.child.kill(signal);
      await run.result;
      assert.ok(await waitFor(() => !domains().includes(name) && !stateDirs().includes(name), 10_000));
    });
  }
});
