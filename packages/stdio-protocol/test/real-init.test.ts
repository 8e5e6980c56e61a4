import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex, PassThrough, type Readable } from 'node:stream';
import { SandboxError, type ExitStatus } from '@vsb/core';
import { ConsoleRpcSession } from '../src';
import { Collector } from './helpers/collector';
import { endedStdin } from './helpers/start-session';
import { repoRoot } from './helpers/vectors';

const root = repoRoot();
const INIT = process.env.VSB_TEST_INIT ?? join(root, 'packages', 'guest-init', 'build', 'vsb-init');
const RELAY = join(root, 'packages', 'stdio-protocol', 'test', 'fixtures', 'pty-relay.py');

function missing(): string | undefined {
  if (!existsSync(INIT)) return `${INIT} not built`;
  if (process.getuid?.() !== 0) return 'needs root (the init runs in new UTS and mount namespaces)';
  for (const tool of ['python3', 'unshare']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} not found`;
  }
  return undefined;
}

/** Guest config records (docs/GUEST-CONFIG.md) of a privileged root sandbox; the relay adds `channel`. */
function config(argv: string[], over: Record<string, string | number> = {}): Buffer {
  const fields: Record<string, string | number> = {
    version: 1,
    name: 'vsb-stdio-protocol-test',
    uid: 0,
    gid: 0,
    user: 'root',
    home: '/root',
    privileged: 1,
    tty: 0,
    debug: 0,
    ...over,
  };
  const records = [...Object.entries(fields), ...argv.map((a) => ['argv', a] as const)];
  return Buffer.concat(records.map(([k, v]) => Buffer.from(`${k}=${v}\0`)));
}

/** Relays this file started; one a failed test left running is stopped after it. */
const relays: ChildProcess[] = [];

interface RealRun {
  status: Promise<ExitStatus>;
  stdout: Collector;
  stderr: Collector;
  session: ConsoleRpcSession;
  relay: ChildProcess;
  relayExit: Promise<number | null>;
  log: () => string;
}

async function runReal(
  argv: string[],
  options: { stdin?: Readable; tty?: boolean; rows?: number; cols?: number; over?: Record<string, string | number> } = {},
): Promise<RealRun> {
  const dir = mkdtempSync(join(tmpdir(), 'vsb-stdio-protocol-init-'));
  const conf = join(dir, 'vsb.conf');
  writeFileSync(conf, config(argv, { tty: options.tty ? 1 : 0, ...options.over }));
  const relay = spawn('python3', [RELAY, INIT, conf], { stdio: ['pipe', 'pipe', 'inherit'] });
  relays.push(relay);
  const relayExit = new Promise<number | null>((resolve) => relay.once('exit', (code) => resolve(code)));
  const console = Duplex.from({ readable: relay.stdout!, writable: relay.stdin! });
  const stdout = new Collector();
  const stderr = new Collector();
  const session = await ConsoleRpcSession.open(
    console,
    {
      stdin: options.stdin ?? endedStdin(),
      stdout,
      stderr,
    },
    { tty: options.tty ?? false, rows: options.rows, cols: options.cols, handshakeTimeoutMs: 10_000 },
  );
  const log = (): string => (existsSync(`${conf}.log`) ? readFileSync(`${conf}.log`, 'utf8') : '');
  void relayExit.then(() => rmSync(dir, { recursive: true, force: true }));
  return { status: session.exit, stdout, stderr, session, relay, relayExit, log };
}

describe('ConsoleRpcSession with the real guest init (packages/guest-init/build/vsb-init on a pty, as on a console)', function () {
  this.timeout(30_000);
  // The set-up builds the init and CI runs as root: a missing piece is a failure, never a skip.
  before(() => {
    const why = missing();
    if (why) throw new Error(`cannot run the real init: ${why}`);
  });
  afterEach(() => {
    for (const relay of relays.splice(0)) if (relay.exitCode === null && relay.signalCode === null) relay.kill('SIGTERM');
  });

  it('separates stdout and stderr and reports the exit code; the init ends after QUIT', async () => {
    const run = await runReal(['sh', '-c', 'echo out; echo err >&2; exit 7']);
    assert.deepEqual(await run.status, { code: 7 }, run.log());
    assert.equal(run.stdout.text, 'out\n');
    assert.equal(run.stderr.text, 'err\n');
    await run.session.closed;
    assert.equal(await run.relayExit, 0, run.log());
  });

  it('moves 2 MB through cat byte-exact', async () => {
    const input = randomBytes(2 * 1024 * 1024);
    const stdin = new PassThrough();
    stdin.end(input);
    const run = await runReal(['cat'], { stdin });
    assert.deepEqual(await run.status, { code: 0 }, run.log());
    assert.equal(createHash('sha256').update(run.stdout.data).digest('hex'), createHash('sha256').update(input).digest('hex'));
    await run.session.closed;
  });

  it('gives the app the terminal size in tty mode', async () => {
    const run = await runReal(['stty', 'size'], { tty: true, rows: 33, cols: 111 });
    assert.deepEqual(await run.status, { code: 0 }, run.log());
    assert.equal(run.stdout.text.trim(), '33 111');
    await run.session.closed;
  });

  it('passes tty input through raw and ends it with ^D on EOF', async () => {
    const stdin = new PassThrough();
    stdin.end('hello\n');
    const run = await runReal(['sh', '-c', 'read line; echo "got $line"; cat; echo done'], { tty: true, stdin });
    assert.deepEqual(await run.status, { code: 0 }, run.log());
    assert.match(run.stdout.text, /got hello\r\n/);
    assert.match(run.stdout.text, /done\r\n$/);
    await run.session.closed;
  });

  it('carries 32 MB of app output', async () => {
    const started = Date.now();
    const run = await runReal(['head', '-c', String(32 * 1024 * 1024), '/dev/zero']);
    assert.deepEqual(await run.status, { code: 0 }, run.log());
    assert.equal(run.stdout.completed, 32 * 1024 * 1024);
    const seconds = (Date.now() - started) / 1000;
    console.log(`      32 MB in ${seconds.toFixed(2)} s (${(32 / seconds).toFixed(0)} MB/s, through a python pty relay)`);
    await run.session.closed;
  });

  it('forwards a signal to the app', async () => {
    const run = await runReal(['sleep', '30']);
    setTimeout(() => run.session.signal(15), 200);
    assert.deepEqual(await run.status, { signal: 15 }, run.log());
    await run.session.closed;
  });

  it("reports a command that is not found as the app's stderr and 127", async () => {
    const run = await runReal(['vsb-no-such-command']);
    assert.deepEqual(await run.status, { code: 127 }, run.log());
    assert.match(run.stderr.text, /^vsb: vsb-no-such-command: /);
    await run.session.closed;
  });

  it('reports an init failure as a VSB_GUEST error', async () => {
    const run = await runReal(['true'], { over: { bogus: 1 } });
    await assert.rejects(run.status, (error: unknown) => {
      assert.ok(error instanceof SandboxError, String(error));
      assert.equal(error.code, 'VSB_GUEST');
      assert.match(error.message, /^guest: .*bogus/);
      return true;
    });
    await run.session.closed;
  });
});
