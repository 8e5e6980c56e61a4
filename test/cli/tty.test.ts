import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import { assertNothingLeft, started, VSB } from './vsb';

const run = promisify(execFile);

/** A sandbox name for one run under `script`, recorded for the leak check. */
function testName(): string {
  const name = `vsb-t${crypto.randomBytes(4).toString('hex')}`;
  started.add(name);
  return name;
}

/**
 * Runs a shell line on a real pseudo-terminal made by util-linux `script`, so vsb sees a TTY on
 * stdin and stdout as it does for a user at a terminal.
 */
async function onPty(line: string): Promise<string> {
  const { stdout } = await run('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
  return stdout.replace(/\r/g, '');
}

describe('vsb run with a terminal (real pty, real libvirtd)', () => {
  // Runs under `script` get a test name of their own: other worktrees' runs on this host use default names at the same time.
  afterEach(assertNothingLeft);

  it('gives the app a pty of the terminal\'s size and restores the terminal', async () => {
    const out = await onPty(`stty rows 31 cols 97; before=$(stty -g); node ${VSB} run -n ${testName()} -- sh -c 'tty; stty size; exit 3'; echo "code=$?"; [ "$(stty -g)" = "$before" ] && echo restored || echo "not restored"`);
    assert.match(out, /^\/dev\/pts\/\d+$/m);
    assert.match(out, /^31 97$/m);
    assert.match(out, /^code=3$/m);
    assert.match(out, /^restored$/m);
  });

  it('Ctrl-] detaches and ends the sandbox', async () => {
    const started = Date.now();
    const { stdout } = await run('sh', ['-c', `(sleep 2; printf '\\035') | script -qec "node ${VSB} run -n ${testName()} -- sleep 100; echo code=\\$?" /dev/null`], { encoding: 'utf8', timeout: 60_000 });
    assert.match(stdout, /vsb: detached \(Ctrl-\]\)/);
    assert.match(stdout, /code=1/);
    assert.ok(Date.now() - started < 20_000);
  });
});
