import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { assertNothingLeft, domains, started, VSB, vsb } from './vsb';

const run = promisify(execFile);

describe('messages that point the right way (real libvirtd)', function () {
  this.timeout(120_000);
  afterEach(assertNothingLeft);

  describe('usage errors: one line naming the option, exit 2, before any domain', () => {
    const big = 'x'.repeat(100_000);
    const cases: Array<[string, string[], RegExp]> = [
      ['-p with -S', ['-p', '-S', 'nobody'], /^vsb: --privileged and --switchto cannot be used together$/],
      ['-S with an empty user', ['-S', ''], /^vsb: --switchto '': missing user name/],
      ['--transport that does not exist', ['--transport', 'bogus'], /^vsb: --transport: 'bogus' does not serve URI 'lxc:\/\/\/'/],
      ['--kernver on LXC', ['--kernver', '6.1.0-57-amd64'], /^vsb: --kernver, --kernpath and --kmodpath choose the kernel of a VM sandbox/],
      ['a mount on /proc', ['-m', 'ram:/proc=1M'], /^vsb: --mount 'ram:\/proc=1M': target '\/proc' is in \/proc, which the sandbox's kernel and init provide/],
      ['a mount below /sys', ['-m', 'ram:/sys/fs/x=1M'], /^vsb: --mount .*: target '\/sys\/fs\/x' is in \/sys/],
      ['a mount below /dev', ['-m', 'host-bind:/dev/x=/srv'], /^vsb: --mount .*: target '\/dev\/x' is in \/dev/],
      [
        'an unknown host-bind option',
        ['-m', 'host-bind:/d=/usr,rw'],
        /^vsb: --mount 'host-bind:\/d=\/usr,rw': source '\/usr,rw' does not exist; 'rw' is not one of its options \(ro, relabel=yes\|no\)$/,
      ],
      [
        'a 100 KB value, shortened',
        ['-e', `1${big}=x`],
        /^vsb: --env '1x{179}'\.\.\. \(100003 characters\): invalid variable name '1x{179}'\.\.\. \(100001 characters\)/,
      ],
      [
        '--kernver that is not here lists those that are',
        ['-c', 'qemu:///system', '--kernver', '9.9.9'],
        /^vsb: --kernver '9\.9\.9': no \/boot\/vmlinuz-9\.9\.9 \(kernels here: [^;]+; or give its image with --kernpath\)$/,
      ],
      // libvirt's DAC driver is QEMU's only: LXC never offers it.
      [
        '-s apparmor on LXC lists what LXC offers',
        ['-s', 'apparmor'],
        /^vsb: --security apparmor needs AppArmor, which is not enabled on this host \(libvirt offers: (?![^)]*dac)[^)]*\)$/,
      ],
      [
        'too little memory for a VM',
        ['-c', 'qemu:///system', '--memory', '64M'],
        /^vsb: --memory: a VM sandbox needs at least 128M \(its kernel, initrd and init\), not 64M$/,
      ],
    ];
    for (const [label, args, message] of cases) {
      it(label, async () => {
        const before = new Set([...domains(), ...domains('qemu:///system')]);
        const r = await vsb(['run', ...args, '--', '/bin/true']);
        assert.equal(r.code, 2, r.stderr);
        const lines = r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('vsb: note: '));
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0]!, message);
        assert.ok(r.stderr.length < 1000, 'a long value is shortened');
        assert.deepEqual(
          [...domains(), ...domains('qemu:///system')].filter((d) => !before.has(d) && started.has(d)),
          [],
        );
      });
    }

    it('an empty command', async () => {
      const r = await vsb(['run', '--', '']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `vsb: the command is an empty string ('' after --): name a program, e.g. vsb run -- /bin/sh\n`);
    });
  });

  it('LXC as an ordinary user: says LXC needs root and what to use instead', async () => {
    const home = fs.mkdtempSync('/tmp/vsb-user-');
    fs.chownSync(home, 65534, 65534);
    try {
      const r = await run('setpriv', [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        'env',
        `HOME=${home}`,
        `XDG_RUNTIME_DIR=${home}`,
        process.execPath,
        '--',
        VSB,
        'run',
        '--',
        'true',
      ]).then(
        () => assert.fail('vsb should have failed'),
        (err: { code: number; stderr: string }) => err,
      );
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^vsb: cannot connect to libvirt at 'lxc:\/\/\/': LXC sandboxes need root/);
      assert.match(r.stderr, /vsb run -c qemu:\/\/\/session/);
      assert.doesNotMatch(r.stderr, /is libvirtd running/);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('a QEMU that fails to start: its real error, not its first warning', async () => {
    const r = await vsb(['run', '-c', 'qemu:///system', '-s', 'dac,label=+65534:+65534', '--', 'true']);
    const log = /libvirt's log of this run is kept: (\S+)/.exec(r.stderr)?.[1];
    try {
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^vsb: qemu could not start the sandbox: Unable to read \S+master-key\.aes/m);
      assert.doesNotMatch(r.stderr, /deprecated/);
    } finally {
      if (log) fs.rmSync(log, { force: true });
    }
  });
});
