import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNothingLeft, domains, started, startVsb, VSB, vsb, waitFor } from './vsb';

/** The one JSON line of a record file. */
function readRecord(file: string): Record<string, unknown> {
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(text.split('\n').length, 2, `one line, then the newline: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

describe('vsb run --record (real libvirtd)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-record-'));
  });
  afterEach(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await assertNothingLeft();
  });

  it('records a normal run: exit code, bytes relayed each way, peak memory, times', async () => {
    const file = path.join(dir, 'run.json');
    // The relay counts: socket-rpc would hand these pipes to the app itself (bytes null, next test).
    const r = await vsb(['run', '-n', 'vsb-trecord1', '--transport', 'console-rpc', '--record', file, '--', 'sh', '-c', 'cat; echo oops >&2; exit 3'], {
      input: 'hello\n',
    });
    assert.equal(r.code, 3, r.stderr);
    const rec = readRecord(file);
    assert.deepEqual(
      { ...rec, startupMs: typeof rec.startupMs, runMs: typeof rec.runMs, peakMemoryBytes: typeof rec.peakMemoryBytes },
      {
        name: 'vsb-trecord1',
        uri: 'lxc:///',
        backend: 'lxc',
        command: ['sh', '-c', 'cat; echo oops >&2; exit 3'],
        exitCode: 3,
        signal: null,
        signalName: null,
        interruptedBy: null,
        oom: false,
        startupMs: 'number',
        runMs: 'number',
        peakMemoryBytes: 'number',
        bytes: { stdin: 6, stdout: 6, stderr: 5 },
        error: null,
      },
    );
    assert.ok((rec.peakMemoryBytes as number) > 0);
  });

  it('records null bytes for streams handed to the app (socket-rpc passes pipes and files, nothing relays them)', async () => {
    const file = path.join(dir, 'passed.json');
    const r = await vsb(['run', '--record', file, '--', 'sh', '-c', 'cat; echo oops >&2'], { input: 'hello\n' });
    assert.equal(r.stdout.toString(), 'hello\n', r.stderr);
    assert.deepEqual(readRecord(file).bytes, { stdin: null, stdout: null, stderr: null });
  });

  it("takes the peak memory from the sandbox's own cgroup (an app holding 50 MB shows it)", async () => {
    const file = path.join(dir, 'mem.json');
    const r = await vsb(['run', '--record', file, '--', 'sh', '-c', 'x=$(head -c 50000000 /dev/zero | tr "\\0" a); echo ${#x}']);
    assert.equal(r.stdout.toString(), '50000000\n', r.stderr);
    assert.ok((readRecord(file).peakMemoryBytes as number) >= 50_000_000);
  });

  it('records an OOM kill: signal 9 and oom true', async () => {
    const file = path.join(dir, 'oom.json');
    const r = await vsb(['run', '--memory', '128M', '--record', file, '--', 'python3', '-c', 'b = bytearray(512 * 1024 * 1024)']);
    assert.equal(r.code, 137, r.stderr);
    const rec = readRecord(file);
    assert.deepEqual([rec.signal, rec.signalName, rec.oom], [9, 'SIGKILL', true]);
  });

  it("records a VM run too: the QEMU domain's cgroup holds the guest memory QEMU touched", async () => {
    const file = path.join(dir, 'vm.json');
    const r = await vsb(['run', '-c', 'qemu:///system', '--record', file, '--', 'sh', '-c', 'echo hi']);
    assert.equal(r.code, 0, r.stderr);
    const rec = readRecord(file);
    assert.equal(rec.backend, 'qemu');
    assert.equal(rec.exitCode, 0);
    assert.deepEqual(rec.bytes, { stdin: 0, stdout: 3, stderr: 0 });
    // QEMU itself and the booted guest: more than any LXC app of these tests.
    assert.ok((rec.peakMemoryBytes as number) > 20_000_000, String(rec.peakMemoryBytes));
  });

  it('records a start that failed, with its error, exit 1', async () => {
    const file = path.join(dir, 'fail.json');
    const uri = 'lxc+unix:///?socket=/nonexistent/libvirt-sock';
    const r = await vsb(['run', '-c', uri, '--record', file, '--', '/bin/true']);
    assert.equal(r.code, 1);
    const rec = readRecord(file);
    assert.equal(rec.uri, uri);
    assert.equal(rec.backend, 'lxc');
    assert.match(rec.error as string, /^cannot connect to libvirt at /);
    for (const key of ['exitCode', 'signal', 'startupMs', 'runMs', 'peakMemoryBytes', 'bytes']) assert.equal(rec[key], null, key);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`records a run ended by ${signal} to vsb (forwarded to the app, which it kills)`, async () => {
      const file = path.join(dir, 'signal.json');
      const run = startVsb(['run', '--record', file, '--', 'sh', '-c', 'echo up; exec sleep 100'], { keepStdin: true });
      let out = '';
      run.child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
      assert.ok(await waitFor(() => out === 'up\n', 10_000));
      run.child.kill(signal);
      const r = await run.result;
      const signo = os.constants.signals[signal];
      assert.equal(r.code, 128 + signo, r.stderr);
      const rec = readRecord(file);
      assert.equal(rec.signal, signo);
      assert.equal(rec.signalName, signal);
      assert.equal(rec.interruptedBy, signal);
      assert.equal(rec.exitCode, null);
      assert.equal(rec.error, null);
      // The test's pipes went to the app itself: nothing relayed them.
      assert.deepEqual(rec.bytes, { stdin: null, stdout: null, stderr: null });
    });
  }

  it('--record-fd N writes the record to an inherited descriptor', async () => {
    const name = 'vsb-trecord2';
    started.add(name);
    const child = spawn(process.execPath, [VSB, 'run', '-n', name, '--record-fd', '3', '--', '/bin/true'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let record = '';
    child.stdio[3]!.on('data', (b: Buffer) => (record += b.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    const rec = JSON.parse(record) as Record<string, unknown>;
    assert.equal(rec.name, name);
    assert.equal(rec.exitCode, 0);
  });

  it('refuses a --record path in a missing directory (exit 2) and a closed --record-fd, before any domain', async () => {
    const before = domains().filter((d) => d.startsWith('vsb-trecord'));
    const r = await vsb(['run', '-n', 'vsb-trecord3', '--record', '/nonexistent/dir/x.json', '--', '/bin/true']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "vsb: --record '/nonexistent/dir/x.json': its directory does not exist\n");
    const fd = await vsb(['run', '-n', 'vsb-trecord3', '--record-fd', '99', '--', '/bin/true']);
    assert.equal(fd.code, 2);
    assert.equal(fd.stderr, 'vsb: --record-fd 99: not an open file descriptor\n');
    assert.deepEqual(
      domains().filter((d) => d.startsWith('vsb-trecord')),
      before,
    );
  });
});
