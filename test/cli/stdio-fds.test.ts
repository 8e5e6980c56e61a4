import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNothingLeft, started, VSB } from './vsb';

interface ShellResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `script` in bash, where `$VSB` is `vsb run -n NAME` with a fresh test name (recorded for the
 * leak check): the shell wires vsb's stdio (pipes, files, /dev/null, a closed fd, 2>&1) as a user would.
 */
function shell(script: string, env: NodeJS.ProcessEnv = {}): Promise<ShellResult> {
  const name = `vsb-t${crypto.randomBytes(4).toString('hex')}`;
  started.add(name);
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script],
      { env: { ...process.env, ...env, VSB: `${process.execPath} ${VSB} run -n ${name}` }, encoding: 'utf8', maxBuffer: 1 << 24 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe('stdio descriptors passed to a local LXC sandbox (real libvirtd)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-fds-'));
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await assertNothingLeft();
  });

  it('pipes: the app holds the very pipes the shell gave vsb (no relay pipe in between)', async () => {
    const r = await shell(
      'echo in | { readlink /proc/self/fd/0 /proc/self/fd/1 >&2; $VSB -- sh -c "readlink /proc/self/fd/0 /proc/self/fd/1 >&2; cat"; } 2>&1 | cat',
    );
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 5, r.stdout);
    assert.match(lines[0]!, /^pipe:\[\d+\]$/);
    assert.deepEqual(lines.slice(2, 4), lines.slice(0, 2), "the app's stdin and stdout are the host shell's pipes");
    assert.equal(lines[4], 'in');
  });

  it("files: reads and appends to the host's files through their own descriptors", async () => {
    const input = path.join(dir, 'in');
    const output = path.join(dir, 'out');
    fs.writeFileSync(input, 'line1\nline2\n');
    fs.writeFileSync(output, 'before\n');
    const r = await shell(`$VSB -- sh -c 'stat -L -c %i /proc/self/fd/0 /proc/self/fd/1; cat' < ${input} >> ${output}`);
    assert.equal(r.code, 0, r.stderr);
    const [inIno, outIno, ...rest] = fs.readFileSync(output, 'utf8').split('\n').slice(1);
    assert.equal(Number(inIno), fs.statSync(input).ino);
    assert.equal(Number(outIno), fs.statSync(output).ino);
    assert.equal(fs.readFileSync(output, 'utf8').split('\n')[0], 'before', 'O_APPEND kept: what was there stays');
    assert.deepEqual(rest, ['line1', 'line2', '']);
  });

  it('/dev/null on stdin: the app reads EOF at once from /dev/null itself', async () => {
    const r = await shell('$VSB -- sh -c "readlink /proc/self/fd/0; cat; echo eof" < /dev/null');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '/dev/null\neof\n');
  });

  it("a closed stdout: the app's output goes nowhere (Node gives vsb /dev/null), stderr and the status stay", async () => {
    const r = await shell('$VSB -- sh -c "echo out; echo err >&2; exit 3" >&-');
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'err\n');
  });

  it('2>&1: stdout and stderr interleave exactly as without a sandbox', async () => {
    const burst = 'for i in 1 2 3 4 5 6 7 8; do echo out$i; echo err$i >&2; done; printf "%0300000d\\n" 0; echo err-last >&2';
    const direct = execFileSync('bash', ['-c', `sh -c '${burst}' 2>&1`], { encoding: 'utf8' });
    const r = await shell(`$VSB -- sh -c '${burst}' 2>&1`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, direct);
  });

  it('a reader that stops early: vsb run -- yes | head -1 exits 141 (SIGPIPE) as yes does without a sandbox', async () => {
    const direct = execFileSync('bash', ['-c', 'yes | head -1; echo "${PIPESTATUS[0]}"'], { encoding: 'utf8' });
    const r = await shell('$VSB -- yes | head -1; echo "${PIPESTATUS[0]}"');
    assert.equal(direct, 'y\n141\n');
    assert.equal(r.stdout, direct, r.stderr);
  });

  it('a terminal is never passed in: with a pty on stdout the app writes to a relay pipe', async () => {
    // Python's pty module makes the terminal; stdin stays a pipe, so vsb is not in tty mode.
    const py = [
      'import os, pty, subprocess, sys',
      'master, slave = os.openpty()',
      'p = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE)',
      'os.close(slave)',
      'out = b""',
      'while True:',
      '    try: b = os.read(master, 4096)',
      '    except OSError: break',
      '    if not b: break',
      '    out += b',
      'sys.stdout.write(out.decode() + "status %d\\n" % p.returncode + p.stderr.decode())',
    ].join('\n');
    const r = await shell(`python3 -c '${py}' $VSB -- readlink /proc/self/fd/1`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^pipe:\[\d+\]\r?\nstatus 0\n/);
  });
});
