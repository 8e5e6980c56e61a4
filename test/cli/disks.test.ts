import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNothingLeft, domains, started, startVsb, stateDirs, vsb, waitFor } from './vsb';

/** Loop devices whose backing file lies under `dir` (`losetup -a`). */
function loopsOver(dir: string): string[] {
  return execFileSync('losetup', ['-a'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(dir));
}

/** `count` bytes of `file` at `offset`. */
function readAt(file: string, offset: number, count: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(count);
    fs.readSync(fd, buf, 0, count, offset);
    return buf;
  } finally {
    fs.closeSync(fd);
  }
}

describe('vsb run --disk and includes on lxc:/// (real libvirtd)', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-disks-'));
  });

  afterEach(async () => {
    await assertNothingLeft();
    assert.deepEqual(loopsOver(dir), [], 'loop devices left');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const image = (name: string, mib = 4) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, '');
    fs.truncateSync(file, mib * 1024 * 1024);
    return file;
  };

  it('--disk file:TAG=IMG: the app (root, and -S nobody) writes /dev/disk/by-tag/TAG with dd, the host reads it back', async () => {
    const img = image('data.img');
    const pattern = crypto.randomBytes(8).toString('hex');
    const r = await vsb([
      'run',
      '--disk',
      `file:data=${img}`,
      '--',
      'sh',
      '-c',
      `printf ${pattern} | dd of=/dev/disk/by-tag/data bs=512 seek=2048 conv=notrunc 2>/dev/null && echo written`,
    ]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.toString(), 'written\n');
    assert.equal(readAt(img, 2048 * 512, 16).toString(), pattern);
    // An ordinary user reads it back, and no loop device outlived either run.
    const back = await vsb([
      'run',
      '-S',
      'nobody',
      '--disk',
      `file:data=${img}`,
      '--',
      'dd',
      'if=/dev/disk/by-tag/data',
      'bs=512',
      'skip=2048',
      'count=1',
      'status=none',
    ]);
    assert.equal(back.stderr, '');
    assert.equal(back.stdout.subarray(0, 16).toString(), pattern);
  });

  it('a run killed by SIGKILL leaves no loop device', async () => {
    const img = image('killed.img');
    const run = startVsb(['run', '--disk', `file:data=${img}`, '--', 'sh', '-c', 'echo up; sleep 60']);
    await new Promise<void>((resolve) => run.child.stdout!.once('data', () => resolve()));
    assert.equal(loopsOver(dir).length, 1, 'the image is not on a loop device while the app runs');
    run.child.kill('SIGKILL');
    await run.result;
    // The kernel frees the autoclear loop device once vsb and the container (AUTODESTROY) are gone;
    // the watchdog removes the state dir (afterEach checks both).
    assert.ok(await waitFor(() => loopsOver(dir).length === 0, 10_000), `left: ${loopsOver(dir).join(', ')}`);
    await waitFor(() => stateDirs().every((d) => !started.has(d)), 5000);
  });

  it('includes into a ram mount and a guest-bind mount arrive with their modes and symlinks', async () => {
    const src = path.join(dir, 'inc');
    fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(src, 'sub', 'f'), 'included\n', { mode: 0o640 });
    fs.chmodSync(path.join(src, 'sub'), 0o750);
    fs.symlinkSync('sub/f', path.join(src, 'link'));
    const script = path.join(dir, 'tool.sh');
    fs.writeFileSync(script, '#!/bin/sh\necho tool ran\n', { mode: 0o755 });
    const r = await vsb([
      'run',
      '-m',
      'ram:/scratch=8M',
      '-m',
      'guest-bind:/gb=/tmp',
      '-i',
      `/scratch/inc=${src}`,
      '-i',
      `/gb/tool.sh=${script}`,
      '--',
      'sh',
      '-c',
      'stat -c "%n %a %F" /scratch/inc/sub /scratch/inc/sub/f /scratch/inc/link; readlink /scratch/inc/link; cat /scratch/inc/link; /gb/tool.sh; ls /tmp',
    ]);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout.toString(),
      [
        '/scratch/inc/sub 750 directory',
        '/scratch/inc/sub/f 640 regular file',
        '/scratch/inc/link 777 symbolic link',
        'sub/f',
        'included',
        'tool ran',
        'tool.sh',
        '',
      ].join('\n'),
    );
  });

  describe('bad input: one line, before any domain', () => {
    const cases: Array<[string, (img: () => string) => string[], RegExp]> = [
      [
        'a missing image',
        () => ['--disk', 'file:data=/var/lib/vsb-no-such.img'],
        /^vsb: --disk 'file:data=\/var\/lib\/vsb-no-such.img': image file '\/var\/lib\/vsb-no-such.img' does not exist$/,
      ],
      [
        'a repeated tag',
        (img) => ['--disk', `file:data=${img()}`, '--disk', `file:data=${img()}`],
        /^vsb: --disk: tag 'data' is used twice \(disks 1 and 2\); each tag names one disk$/,
      ],
      [
        'the same image twice',
        (img) => {
          const one = img();
          return ['--disk', `file:a=${one}`, '--disk', `file:b=${one}`];
        },
        /^vsb: --disk 'file:b=.*': image '.*' is already attached by --disk 'file:a=.*'; an image can be attached once \(two mounts of one filesystem lose writes\)$/,
      ],
      [
        'qcow2 on a container',
        (img) => ['--disk', `file:data=${img()},format=qcow2`],
        /^vsb: --disk file:data=...,format=qcow2: a container gets its disks through loop devices, raw images only \(convert it: qemu-img convert -O raw\)$/,
      ],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        let n = 0;
        const name = `vsb-tbad${crypto.randomBytes(3).toString('hex')}`;
        const r = await vsb(['run', '-n', name, ...args(() => image(`i${n++}.img`)), '--', 'true']);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
        assert.match(r.stderr.trimEnd(), message);
        assert.ok(!domains().includes(name) && !fs.existsSync(`/var/log/libvirt/lxc/${name}.log`), 'a domain was made');
      });
    }
  });
});
