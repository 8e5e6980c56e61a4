import assert from 'node:assert/strict';
import fs from 'node:fs';
import { assertNothingLeft, vsb } from './vsb';

describe('command-line conventions (real libvirtd)', () => {
  afterEach(assertNothingLeft);

  for (const args of [['-h'], ['--help'], ['help']]) {
    it(`vsb ${args.join(' ')}: the top-level help, exit 0`, async () => {
      const r = await vsb(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.toString(), /run one application in a throwaway libvirt sandbox/);
      assert.match(r.stdout.toString(), /\brun\b/);
    });
  }

  for (const args of [
    ['help', 'run'],
    ['run', '-h'],
    ['run', '--help'],
  ]) {
    it(`vsb ${args.join(' ')}: the help of run`, async () => {
      const r = await vsb(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.toString(), /run \[FLAGS\] \[--\] COMMAND/);
      assert.match(r.stdout.toString(), /-q, --quiet/);
      assert.match(r.stdout.toString(), /-w, --workdir/);
    });
  }

  for (const flag of ['-V', '--version']) {
    it(`vsb ${flag}: the version`, async () => {
      const r = await vsb([flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout.toString(), /^@vsb\/cli\/\d+\.\d+\.\d+ /);
    });
  }

  it('vsb run ls -la: options end at the first word that is not one, as in podman run', async () => {
    const r = await vsb(['run', '-e', 'A=1', 'sh', '-c', 'echo "$A $0 $1"', 'x', '-la']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.toString(), '1 x -la\n');
    const ls = await vsb(['run', 'ls', '-la', '/etc/hostname']);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout.toString(), /\/etc\/hostname\n$/);
  });

  it('vsb run -it sh: one line saying what vsb does instead, exit 2', async () => {
    const r = await vsb(['run', '-it', 'sh']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'vsb: -it: vsb has no -i/-t pair; the command gets a terminal when stdin and stdout are one (--tty forces it, --no-tty refuses it)\n',
    );
  });

  it('-q prints no notes; -v tells which sandbox runs where', async () => {
    const name = `vsb-tq${process.pid.toString(16)}`;
    const quiet = await vsb(['run', '-n', name, '-q', '--debug', '--', 'true']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.doesNotMatch(quiet.stderr, /vsb: note:/);
    assert.match(quiet.stderr, /^vsb: \+\d+ms/m, 'debug timings still show');
    const verbose = await vsb(['run', '-v', '--', 'true']);
    assert.match(verbose.stderr, /^vsb: note: sandbox vsb-t\w+ on lxc:\/\/\/ \(lxc, transport socket-rpc\)$/m);
    // -q -d kept libvirt's log without saying so.
    fs.rmSync(`/var/log/libvirt/lxc/${name}.log`, { force: true });
  });
});
