import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stateRoot } from '@vsb/core';
import { cleanUp, detach, ps, stop, testName, type PsEntry } from './detached';
import { domains, libvirtEntries, startVsb, stateDirs, TEARDOWN_MS, VSB, vsb, waitFor } from './vsb';

/** The keeper's metadata of a sandbox, read as vsb ps reads it (undefined when there is none). */
function keeperState(name: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(stateRoot(), name, 'keeper.json'), 'utf8')) as PsEntry).state;
  } catch {
    return undefined;
  }
}

/** Whether the sandbox's current log part holds `text` (output reaches the log a moment after the start). */
function logHas(name: string, text: string): boolean {
  try {
    return fs.readFileSync(path.join(stateRoot(), name, 'app.log'), 'latin1').includes(text);
  } catch {
    return false;
  }
}

/** The bytes of a sandbox's log on disk, both parts. */
function logBytes(name: string): number {
  const dir = path.join(stateRoot(), name);
  return ['app.log', 'app.log.1'].reduce((sum, f) => sum + (fs.existsSync(path.join(dir, f)) ? fs.statSync(path.join(dir, f)).size : 0), 0);
}

/** A host directory the app sees at /sync (a host-bind), to hand it a go-ahead and read back what it did. */
function syncDir(): { dir: string; mount: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-detach-'));
  return { dir, mount: ['-m', `host-bind:/sync=${dir}`] };
}

describe('vsb run --detach, ps, logs, stop on lxc:/// (real libvirtd)', () => {
  afterEach(cleanUp);

  it('a detached sleep 600: ps lists it (and --json parses), stop ends it and leaves nothing', async () => {
    const name = testName('d');
    await detach(name, [], ['sleep', '600']);
    const table = await vsb(['ps']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout.toString(), /^NAME +BACKEND +URI +AGE +STATE +MEMORY +COMMAND\n/);
    assert.match(table.stdout.toString(), new RegExp(`^${name} +lxc +lxc:/// +\\d+s +running +[\\d.]+ [MG]iB +sleep 600$`, 'm'));
    const entry = (await ps()).find((e) => e.name === name);
    assert.ok(entry, 'ps --json lists it');
    assert.deepEqual(
      [entry.backend, entry.uri, entry.state, entry.command, entry.keep, entry.ended],
      ['lxc', 'lxc:///', 'running', ['sleep', '600'], false, null],
    );
    assert.ok(entry.memoryBytes! > 0, `memory in use: ${entry.memoryBytes}`);
    assert.ok(domains().includes(name));
    await stop(name);
    assert.ok(!(await ps()).some((e) => e.name === name));
  });

  it('logs: stdout to stdout, stderr to stderr; -f follows until the app ends', async () => {
    const name = testName('l');
    const sync = syncDir();
    try {
      await detach(name, sync.mount, ['sh', '-c', 'echo err >&2; echo out; until [ -e /sync/go ]; do sleep 0.05; done; echo after']);
      const follow = startVsb(['logs', '-f', name]);
      const out: Buffer[] = [];
      follow.child.stdout!.on('data', (b: Buffer) => out.push(b));
      assert.ok(await waitFor(() => Buffer.concat(out).toString() === 'out\n', 30_000), 'logs -f shows what came so far');
      const now = await vsb(['logs', name]);
      assert.equal(now.code, 0, now.stderr);
      assert.equal(now.stdout.toString(), 'out\n');
      assert.equal(now.stderr, 'err\n');
      fs.writeFileSync(path.join(sync.dir, 'go'), '');
      const r = await follow.result;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.toString(), 'out\nafter\n');
      assert.equal(r.stderr, 'err\n');
    } finally {
      fs.rmSync(sync.dir, { recursive: true, force: true });
    }
  });

  it('logs of an app that floods stays under its bound of 4 MiB and keeps the latest output', async () => {
    const name = testName('f');
    const bound = 4 * 1024 * 1024;
    await detach(name, [], ['sh', '-c', 'yes 0123456789abcdef | head -n 1800000; echo end; sleep 600']);
    assert.ok(await waitFor(() => logHas(name, ' stdout F end\n'), 60_000), 'the flood never ended');
    assert.ok(logBytes(name) <= bound, `${logBytes(name)} bytes on disk`);
    const r = await vsb(['logs', name]);
    assert.equal(r.code, 0, r.stderr);
    const text = r.stdout.toString();
    assert.ok(text.length > 100_000 && text.length <= bound, `logs gave ${text.length} bytes`);
    // Whole lines of the app's output from where the kept part starts (maybe in the middle of one).
    assert.ok(/^(0123456789abcdef\n)+end\n$/.test(text.slice(text.indexOf('\n') + 1)), `not the app's lines: ${text.slice(0, 100)} ... ${text.slice(-100)}`);
    await stop(name);
  });

  it('stop sends SIGTERM: an app that ends on it ends within the grace time, by itself', async () => {
    const name = testName('s');
    const sync = syncDir();
    try {
      await detach(name, sync.mount, ['sh', '-c', 'trap "echo TERM > /sync/got; exit 0" TERM; while :; do sleep 0.1; done']);
      // The grace would outlast the test: the stop returns because the app ended.
      await stop(name, ['-t', '600']);
      assert.equal(fs.readFileSync(path.join(sync.dir, 'got'), 'utf8'), 'TERM\n');
      assert.ok(!stateDirs().includes(name));
    } finally {
      fs.rmSync(sync.dir, { recursive: true, force: true });
    }
  });

  it("stop -t 1 of an app that ignores SIGTERM destroys it, libvirt's log included", async () => {
    const name = testName('i');
    await detach(name, [], ['sh', '-c', 'trap "" TERM; while :; do sleep 0.1; done']);
    await stop(name, ['-t', '1']);
    assert.ok(!stateDirs().includes(name));
    assert.ok(await waitFor(() => !domains().includes(name), TEARDOWN_MS));
    // A destroy vsb asked for is no failed run: nothing of it is kept.
    assert.ok(await waitFor(() => libvirtEntries(name).length === 0, 15_000), `left: ${libvirtEntries(name).join(' ')}`);
  });

  it('SIGKILL of the keeper: the domain (AUTODESTROY) and the state dir are gone within 3 s', async () => {
    const name = testName('k');
    await detach(name, [], ['sleep', '600']);
    const entry = (await ps()).find((e) => e.name === name)!;
    process.kill(entry.pid, 'SIGKILL');
    assert.ok(await waitFor(() => !domains().includes(name) && !stateDirs().includes(name), 3000));
  });

  it('an app that exits ends its sandbox: ps no longer lists it', async () => {
    const name = testName('e');
    await detach(name, [], ['sh', '-c', 'sleep 0.2; exit 3']);
    assert.ok(await waitFor(() => !stateDirs().includes(name), 30_000));
    assert.ok(!(await ps()).some((e) => e.name === name));
  });

  it('--keep: it stays listed with its exit status, and its log, until stop', async () => {
    const name = testName('p');
    const killed = testName('p');
    await detach(name, ['--keep'], ['sh', '-c', 'echo bye; exit 3']);
    await detach(killed, ['--keep'], ['sh', '-c', 'kill -TERM $$']);
    assert.ok(await waitFor(() => keeperState(name) === 'exited' && keeperState(killed) === 'exited', 30_000));
    const entries = await ps();
    const endOf = (n: string) => {
      const { at, ...rest } = entries.find((e) => e.name === n)!.ended as { at: string };
      assert.ok(!Number.isNaN(Date.parse(at)), at);
      return rest;
    };
    assert.deepEqual(endOf(name), { code: 3 });
    assert.deepEqual(endOf(killed), { signal: 15, signalName: 'SIGTERM' });
    assert.ok(entries.filter((e) => e.name === name || e.name === killed).every((e) => e.memoryBytes === null && e.keep));
    const table = (await vsb(['ps'])).stdout.toString();
    assert.match(table, new RegExp(`^${name} .* exited 3 +- +sh -c 'echo bye; exit 3'$`, 'm'));
    assert.match(table, new RegExp(`^${killed} .* killed SIGTERM +- `, 'm'));
    // The domain is gone, the sandbox is not.
    assert.ok(await waitFor(() => !domains().includes(name), TEARDOWN_MS));
    const logs = await vsb(['logs', '-f', name]);
    assert.equal(logs.stdout.toString(), 'bye\n');
    await stop(name);
    await stop(killed);
    assert.ok(!(await ps()).some((e) => e.name === name || e.name === killed));
  });

  it('a start that fails prints the error, exits as vsb run does, and leaves nothing', async () => {
    const name = testName('x');
    const r = await vsb(['run', '--detach', '-n', name, '-m', 'guest-bind:/x=/nonexistent', '--', 'true']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.toString(), '');
    assert.match(r.stderr, /^vsb: guest: cannot bind \/nonexistent: No such file or directory$/m);
    const missing = testName('x');
    const m = await vsb(['run', '--detach', '-n', missing, '--', '/nonexistent/cmd']);
    assert.equal(m.code, 127);
    assert.equal(m.stdout.toString(), '');
    assert.equal(m.stderr, 'vsb: /nonexistent/cmd: No such file or directory\n');
    assert.ok(!stateDirs().includes(name) && !stateDirs().includes(missing));
  });

  it('usage errors are one line, exit 2, before any sandbox', async () => {
    for (const [args, message] of [
      [['--keep'], /^vsb: All of the following must be provided when using --keep: --detach$/m],
      [['--detach', '--record', '/dev/null'], /^vsb: --record=\/dev\/null cannot also be provided when using --detach$/m],
    ] as const) {
      const r = await vsb(['run', ...args, '--', 'true']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout.toString(), '');
    }
  });

  it('logs, stop, exec and attach of a name that is no sandbox of yours: one line, exit 1', async () => {
    const withName = (command: string, name: string) => (command === 'exec' ? [command, name, '--', 'true'] : [command, name]);
    for (const command of ['stop', 'logs', 'exec', 'attach']) {
      const r = await vsb(withName(command, 'vsb-tnosuch'));
      assert.equal(r.code, 1);
      assert.equal(r.stderr, "vsb: no sandbox named 'vsb-tnosuch' is running (vsb ps lists yours)\n");
    }
    const name = testName('o');
    await detach(name, [], ['sleep', '600']);
    const home = fs.mkdtempSync('/tmp/vsb-user-');
    fs.chownSync(home, 65534, 65534);
    try {
      const asNobody = (args: string[]) =>
        promisify(execFile)('setpriv', [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          'env',
          `HOME=${home}`,
          `VSB_STATE_ROOT=${stateRoot()}`,
          process.execPath,
          '--',
          VSB,
          ...args,
        ]).then(
          () => assert.fail('vsb should have failed'),
          (err: { code: number; stderr: string }) => err,
        );
      for (const command of ['stop', 'logs', 'exec', 'attach']) {
        const r = await asNobody(withName(command, name));
        assert.equal(r.code, 1);
        assert.equal(r.stderr, `vsb: the sandbox '${name}' is not yours (its owner is uid 0)\n`);
      }
      assert.ok(domains().includes(name), 'still running');
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
    await stop(name);
  });
});

describe('vsb run --detach on qemu:///system (real libvirtd, TCG)', function () {
  this.timeout(180_000);
  afterEach(cleanUp);

  it('--detach, ps, logs, stop', async () => {
    const name = testName('q');
    await detach(name, ['-c', 'qemu:///system', '-q'], ['sh', '-c', 'echo in-vm; exec sleep 600']);
    const entry = (await ps()).find((e) => e.name === name);
    assert.ok(entry, 'ps lists it');
    assert.deepEqual([entry.backend, entry.uri, entry.state], ['qemu', 'qemu:///system', 'running']);
    assert.ok(entry.memoryBytes! > 0, `memory in use: ${entry.memoryBytes}`);
    assert.ok(domains('qemu:///system').includes(name));
    assert.ok(await waitFor(() => logHas(name, ' stdout F in-vm\n'), 30_000));
    const logs = await vsb(['logs', name]);
    assert.equal(logs.stdout.toString(), 'in-vm\n');
    await stop(name);
    assert.ok(!(await ps()).some((e) => e.name === name));
  });
});
