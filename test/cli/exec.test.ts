import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { cleanUp, detach, ps, stop, testName } from './detached';
import { onPty, startVsb, VSB, vsb, waitFor } from './vsb';

const sha = (data: Buffer): string => crypto.createHash('sha256').update(data).digest('hex');

/** `vsb exec NAME -- COMMAND`, with `input` on stdin. */
function exec(name: string, command: readonly string[], input?: Buffer | string, options: readonly string[] = []) {
  return vsb(['exec', ...options, name, '--', ...command], { input });
}

/**
 * Runs `vsb attach NAME` on a pty (util-linux `script`), types `keys`, waits until its output
 * holds `until`, then (unless `detach` is false) types Ctrl-], and resolves with what it showed
 * and its exit code.
 */
async function attach(name: string, keys: string, until: string, detach = true): Promise<{ out: string; code: number | null }> {
  const child = spawn('script', ['-qfec', `node ${VSB} attach ${name}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const code = new Promise<number | null>((resolve) => child.once('close', resolve));
  try {
    // script passes on what it reads once the pty is there; vsb attach reads it once connected.
    if (keys) setTimeout(() => child.stdin!.write(keys), 1000);
    assert.ok(await waitFor(() => out.includes(until), 30_000), `attach showed ${JSON.stringify(out)}`);
    if (detach) child.stdin!.write('\x1d');
    return { out: out.replace(/\r/g, ''), code: await code };
  } finally {
    child.kill();
  }
}

describe('vsb exec and vsb attach on lxc:/// (real libvirtd)', () => {
  afterEach(cleanUp);

  it('a detached sleep 600: exec gives its output and exit code; 20 at once; a ram mount is shared', async () => {
    const name = testName('x');
    await detach(name, ['-m', 'ram:/scratch=16M'], ['sleep', '600']);
    const r = await exec(name, ['sh', '-c', 'echo $$; exit 3']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout.toString(), /^\d+\n$/);
    assert.equal(r.stderr, '');
    const many = await Promise.all(Array.from({ length: 20 }, (_, i) => exec(name, ['sh', '-c', `echo out-${i}; echo err-${i} >&2; exit ${i}`])));
    many.forEach((m, i) => assert.deepEqual([m.code, m.stdout.toString(), m.stderr], [i, `out-${i}\n`, `err-${i}\n`], `exec ${i}`));
    assert.equal((await exec(name, ['sh', '-c', 'echo from-one > /scratch/f'])).code, 0);
    const seen = await exec(name, ['cat', '/scratch/f']);
    assert.equal(seen.stdout.toString(), 'from-one\n', seen.stderr);
    await stop(name);
  });

  it('stdin and stdout byte-exact (a 6 MiB binary payload), handed over and relayed (console-rpc)', async () => {
    const payload = crypto.randomBytes(6 * 1024 * 1024);
    for (const transport of ['socket-rpc', 'console-rpc']) {
      const name = testName('b');
      await detach(name, ['--transport', transport], ['sleep', '600']);
      const hash = await exec(name, ['sha256sum'], payload);
      assert.equal(hash.stdout.toString(), `${sha(payload)}  -\n`, `${transport}: ${hash.stderr}`);
      const back = await exec(name, ['cat'], payload);
      assert.equal(back.code, 0, back.stderr);
      assert.ok(back.stdout.equals(payload), `${transport}: cat gave ${back.stdout.length} bytes back`);
      // Arguments and environment reach it as bytes, not as Node's text.
      const bytes = await vsb(['exec', '-e', 'V=\u00e9', '-w', '/tmp', name, '--', 'sh', '-c', 'printf "%s|%s|" "$1" "$V"; pwd', 'sh', 'a b\u00ff']);
      assert.equal(bytes.stdout.toString(), 'a b\u00ff|\u00e9|/tmp\n', bytes.stderr);
      await stop(name);
    }
  });

  it('exec is confined as the app: its user namespace, seccomp, no_new_privs, no write to the host', async () => {
    const name = testName('c');
    await detach(
      name,
      ['-m', 'ram:/scratch=1M'],
      ['sh', '-c', 'readlink /proc/self/ns/user > /scratch/ns; cat /proc/self/uid_map > /scratch/map; exec sleep 600'],
    );
    const probe = [
      'until [ -s /scratch/map ]; do sleep 0.05; done',
      '[ "$(readlink /proc/self/ns/user)" = "$(cat /scratch/ns)" ] && echo same-userns',
      '[ "$(cat /proc/self/uid_map)" = "$(cat /scratch/map)" ] && echo same-uid-map',
      'grep -q "^0 *0 *4294967295" /proc/self/uid_map || echo not-the-host-map',
      'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status | tr -s "\\t " " "',
      '(echo x > /vsb-exec-probe) 2>/dev/null || echo root-not-writable',
      '(cat /etc/shadow) >/dev/null 2>&1 || echo shadow-unreadable',
      'unshare -U true 2>/dev/null || echo no-new-userns',
    ].join('; ');
    const r = await exec(name, ['sh', '-c', probe]);
    assert.equal(
      r.stdout.toString(),
      'same-userns\nsame-uid-map\nnot-the-host-map\nNoNewPrivs: 1\nSeccomp: 2\nroot-not-writable\nshadow-unreadable\nno-new-userns\n',
      r.stderr,
    );
    await stop(name);
  });

  it('exec -t under script gets a pty; an exec that dies takes its process with it', async () => {
    const name = testName('t');
    await detach(name, ['-m', 'ram:/scratch=1M'], ['sleep', '600']);
    const out = await onPty(`node ${VSB} exec -t ${name} -- sh -c 'tty; [ -t 0 ] && echo stdin-is-a-tty; echo $TERM; exit 4'; echo "code=$?"`);
    assert.match(out, /^\/dev\/pts\/\d+$/m);
    assert.match(out, /^stdin-is-a-tty$/m);
    assert.match(out, /^code=4$/m);
    const held = startVsb(['exec', name, '--', 'sh', '-c', 'echo $$ > /scratch/pid; exec sleep 600']);
    assert.equal((await exec(name, ['sh', '-c', 'until [ -s /scratch/pid ]; do sleep 0.05; done'])).code, 0);
    held.child.kill('SIGKILL');
    await held.result;
    const gone = await exec(name, [
      'sh',
      '-c',
      'pid=$(cat /scratch/pid); for i in $(seq 100); do kill -0 $pid 2>/dev/null || { echo gone; exit; }; sleep 0.05; done; echo alive',
    ]);
    assert.equal(gone.stdout.toString(), 'gone\n', gone.stderr);
    await stop(name);
  });

  it('attach shows the output and Ctrl-] leaves it running; on a pty it types into the app', async () => {
    const name = testName('a');
    await detach(name, [], ['sh', '-c', 'while :; do echo tick; sleep 0.2; done']);
    const watched = await attach(name, '', 'tick');
    assert.equal(watched.code, 0, watched.out);
    const shell = testName('s');
    await detach(shell, ['--tty'], ['sh']);
    const typed = await attach(shell, 'echo typed-$((6*7))\r', 'typed-42');
    assert.equal(typed.code, 0, typed.out);
    assert.ok((await ps()).some((e) => e.name === name) && (await ps()).some((e) => e.name === shell), 'both still running after Ctrl-]');
    await stop(name);
    // Attached when the app ends: its exit status is vsb attach's, and the sandbox is gone.
    const ended = await attach(shell, 'exit 5\r', 'exit 5', false);
    assert.equal(ended.code, 5, ended.out);
  });

  it('exec and attach into a sandbox whose command ended (--keep): one line, exit 1', async () => {
    const name = testName('k');
    await detach(name, ['--keep'], ['sh', '-c', 'exit 3']);
    assert.ok(await waitForState(name, 'exited'));
    for (const args of [
      ['exec', name, '--', 'true'],
      ['attach', name],
    ]) {
      const r = await vsb(args);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `vsb: the command of ${name} has ended (exit 3): nothing runs there any more\n`);
    }
    await stop(name);
  });
});

describe('vsb exec on qemu:///system (real libvirtd, TCG)', function () {
  this.timeout(180_000);
  afterEach(cleanUp);

  it('exit code, output, stdin byte-exact, several at once', async () => {
    const name = testName('q');
    await detach(name, ['-c', 'qemu:///system', '-q'], ['sleep', '600']);
    const r = await exec(name, ['sh', '-c', 'echo $$; exit 3']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout.toString(), /^\d+\n$/);
    const payload = crypto.randomBytes(2 * 1024 * 1024);
    const back = await exec(name, ['cat'], payload);
    assert.ok(back.stdout.equals(payload), `cat gave ${back.stdout.length} bytes back: ${back.stderr}`);
    const many = await Promise.all(Array.from({ length: 5 }, (_, i) => exec(name, ['sh', '-c', `echo vm-${i}; exit ${i}`])));
    many.forEach((m, i) => assert.deepEqual([m.code, m.stdout.toString()], [i, `vm-${i}\n`], m.stderr));
    await stop(name);
  });
});

/** Waits until `vsb ps` says the sandbox's state is `state`. */
async function waitForState(name: string, state: string): Promise<boolean> {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if ((await ps()).find((e) => e.name === name)?.state === state) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
