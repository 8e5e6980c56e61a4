import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import { VSB, waitFor } from './vsb';

/** A user made for these tests only: nothing of vsb or libvirt in its home, no session daemon yet. */
const USER = `vsbt${process.pid.toString(16)}`;

interface UserRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `vsb ARGS` as USER with a login-like environment (no XDG_RUNTIME_DIR, as under `su`). */
function spawnAsUser(args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn('runuser', ['-u', USER, '--', 'env', '-i', `HOME=/home/${USER}`, `USER=${USER}`, `PATH=${process.env.PATH}`, process.execPath, VSB, ...args], {
    cwd: '/',
  });
}

/** `vsb ARGS` as USER (see {@link spawnAsUser}), stdin `input`, to its end. */
function asUser(args: readonly string[], input = ''): Promise<UserRun> {
  const child = spawnAsUser(args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function userRuns(argv: readonly string[]): string {
  return execFileSync('runuser', ['-u', USER, '--', ...argv], { encoding: 'utf8', cwd: '/' });
}

/** The user's processes, but libvirt's session daemons, which end by themselves after 120 s idle. */
function userProcesses(): string[] {
  const out = execFileSync('ps', ['-u', USER, '-o', 'args='], { encoding: 'utf8' }).split('\n').filter(Boolean);
  return out.filter((p) => !/^\/usr\/sbin\/(libvirtd|virtlogd) --timeout=120$/.test(p));
}

describe('an ordinary user: VM sandboxes of its own on qemu:///session (real libvirtd, TCG)', function () {
  this.timeout(180_000);
  let uid = 0;

  before(() => {
    execFileSync('useradd', ['-m', '-s', '/bin/sh', USER]);
    uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
    // The checkout must be readable by other users (CI clones under /tmp): say so rather than skip.
    try {
      userRuns(['test', '-r', VSB]);
    } catch {
      throw new Error(`${VSB} is not readable by an ordinary user: these tests need a checkout outside a private home`);
    }
  });

  after(async () => {
    spawnSync('pkill', ['-KILL', '-u', USER]);
    await waitFor(() => spawnSync('pgrep', ['-u', USER]).status !== 0, 5000);
    execFileSync('userdel', ['-r', USER], { stdio: 'ignore' });
  });

  it('runs a command with stdin, stdout, stderr and exit status as root gets them, and leaves nothing of its own', async () => {
    const r = await asUser(['run', '-q', '-c', 'qemu:///session', '--', 'sh', '-c', 'id -u; cat; echo to-err >&2; exit 3'], 'from-stdin\n');
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, `${uid}\nfrom-stdin\n`);
    assert.equal(r.stderr, 'to-err\n');
    assert.equal(fs.existsSync(`/tmp/vsb-${uid}`), false, `/tmp/vsb-${uid} is left`);
    assert.equal(userRuns(['virsh', '-c', 'qemu:///session', 'list', '--all', '--name']).trim(), '');
    assert.deepEqual(userProcesses(), []);
  });

  it('a SIGKILLed run: its domain, state dir and /tmp/vsb-UID go all the same', async () => {
    const child = spawnAsUser(['run', '-c', 'qemu:///session', '--', 'sh', '-c', 'echo up; sleep 120']);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.resume();
    assert.ok(await waitFor(() => out.includes('up'), 120_000), 'the app started');
    // runuser waits for its child: the vsb process is the one that is the user's node.
    execFileSync('pkill', ['-KILL', '-u', USER, '-f', `${VSB} run`]);
    const gone = () => !fs.existsSync(`/tmp/vsb-${uid}`) && userRuns(['virsh', '-c', 'qemu:///session', 'list', '--all', '--name']).trim() === '';
    assert.ok(await waitFor(gone, 15_000), `left: ${fs.existsSync(`/tmp/vsb-${uid}`) ? `/tmp/vsb-${uid}` : 'a domain'}`);
  });

  it('/tmp/vsb-UID made by someone else is refused with one line, before any domain', async () => {
    fs.mkdirSync(`/tmp/vsb-${uid}`, { mode: 0o755 });
    try {
      const r = await asUser(['run', '-c', 'qemu:///session', '--', 'true']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`^vsb: the state root /tmp/vsb-${uid} is not a private directory of yours \\(owner 0, mode 755\\)\\n`));
      assert.equal(userRuns(['virsh', '-c', 'qemu:///session', 'list', '--all', '--name']).trim(), '');
    } finally {
      fs.rmSync(`/tmp/vsb-${uid}`, { recursive: true, force: true });
    }
  });
});
