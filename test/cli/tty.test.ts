import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNothingLeft, onPty, started, VSB, waitFor } from './vsb';

const run = promisify(execFile);

/** A sandbox name for one run under `script`, recorded for the leak check. */
function testName(): string {
  const name = `vsb-t${crypto.randomBytes(4).toString('hex')}`;
  started.add(name);
  return name;
}

/** Whether the app's output reached the tmux pane (it is running). */
function hasTicked(session: string): boolean {
  try {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).includes('tick');
  } catch {
    return false;
  }
}

describe('vsb run with a terminal (real pty, real libvirtd)', () => {
  // Runs under `script` get a test name of their own: other worktrees' runs on this host use default names at the same time.
  afterEach(assertNothingLeft);

  it("gives the app a pty of the terminal's size and restores the terminal", async () => {
    const out = await onPty(
      `stty rows 31 cols 97; before=$(stty -g); node ${VSB} run -n ${testName()} -- sh -c 'tty; stty size; exit 3'; echo "code=$?"; [ "$(stty -g)" = "$before" ] && echo restored || echo "not restored"`,
    );
    assert.match(out, /^\/dev\/pts\/\d+$/m);
    assert.match(out, /^31 97$/m);
    assert.match(out, /^code=3$/m);
    assert.match(out, /^restored$/m);
  });

  it('a pty only when stdin and stdout are terminals: piped stdout gets the bytes unchanged', async () => {
    const out = await onPty(`node ${VSB} run -n ${testName()} -- printf 'a\\nb\\n' | od -An -c`);
    assert.match(out, /a\s+\\n\s+b\s+\\n/);
    assert.doesNotMatch(out, /\\r/);
  });

  it('on a pty, stderr redirected to a file stays apart from stdout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-tty-'));
    try {
      const out = await onPty(`node ${VSB} run -n ${testName()} -- sh -c 'tty; echo to-err >&2' 2>${dir}/e`);
      assert.match(out, /^\/dev\/pts\/\d+$/m);
      assert.doesNotMatch(out, /to-err/);
      assert.equal(fs.readFileSync(path.join(dir, 'e'), 'utf8'), 'to-err\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--no-tty refuses a pty at a terminal; --tty forces one without a terminal', async () => {
    const out = await onPty(`node ${VSB} run -n ${testName()} --no-tty -- tty; true`);
    assert.match(out, /^not a tty$/m);
    const { stdout } = await run(process.execPath, [VSB, 'run', '-n', testName(), '--tty', '--', 'tty'], { encoding: 'utf8', timeout: 60_000 });
    assert.match(stdout, /^\/dev\/pts\/\d+\r?$/m);
  });

  it('the terminal going away (tmux kill-session): the app gets SIGHUP, vsb exits 129 without a trace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-hup-'));
    const session = path.basename(dir);
    try {
      // As an interactive shell does when its terminal hangs up: vsb (a job on the terminal) gets the SIGHUP.
      const app = 'exec 2>/dev/null; trap "echo got-hup > /out/hup; exit 0" HUP; while :; do echo tick; sleep 0.1; done';
      fs.writeFileSync(
        path.join(dir, 'job.sh'),
        [
          'exec 3<&0',
          `node ${VSB} run -n ${testName()} -m host-bind:/out=${dir} -- sh -c '${app}' <&3 3<&- 2>${dir}/err &`,
          'pid=$!',
          "trap 'kill -HUP $pid' HUP",
          'wait $pid; wait $pid; echo $? > code.tmp && mv code.tmp code',
        ].join('\n'),
      );
      await run('tmux', ['new-session', '-d', '-s', session, '-c', dir, '-x', '80', '-y', '24', `sh ${dir}/job.sh`]);
      assert.ok(await waitFor(() => hasTicked(session), 30_000), 'the app did not start');
      await run('tmux', ['kill-session', '-t', session]);
      assert.ok(await waitFor(() => fs.existsSync(path.join(dir, 'code')), 30_000), 'vsb did not end');
      assert.equal(fs.readFileSync(path.join(dir, 'code'), 'utf8'), '129\n');
      assert.equal(fs.readFileSync(path.join(dir, 'hup'), 'utf8'), 'got-hup\n');
      assert.equal(fs.readFileSync(path.join(dir, 'err'), 'utf8'), '');
    } finally {
      await run('tmux', ['kill-session', '-t', session]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Ctrl-] detaches and ends the sandbox', async () => {
    const started = Date.now();
    const { stdout } = await run(
      'sh',
      ['-c', `(sleep 2; printf '\\035') | script -qec "node ${VSB} run -n ${testName()} -- sleep 100; echo code=\\$?" /dev/null`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.match(stdout, /vsb: detached \(Ctrl-\]\)/);
    assert.match(stdout, /code=1/);
    assert.ok(Date.now() - started < 20_000);
  });
});
