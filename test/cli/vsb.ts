import { execFile, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { stateRoot } from '@vsb/core';
import type { LibvirtConnection } from '@vsb/core';
import { LibvirtNativeConnector } from '@vsb/libvirt';

/** The `vsb` entry point of this checkout. */
export const VSB = path.resolve(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'run.js');
export const REPO = path.resolve(__dirname, '..', '..', '..');

export interface VsbResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** Names of the sandboxes the tests of this process started: what the leak checks look for. */
export const started = new Set<string>();

/** Sandbox names look like vsb's defaults, with a `t` so other test runs on this host never match. */
function testName(): string {
  return `vsb-t${crypto.randomBytes(4).toString('hex')}`;
}

/**
 * Starts `vsb ARGS`; stdin gets `input` (then EOF) unless `keepStdin`. A `run` without `-n` gets a
 * test name (unless `defaultName`), recorded in `started` for {@link assertNothingLeft}.
 */
export function startVsb(
  args: readonly string[],
  options: { input?: Buffer | string; env?: NodeJS.ProcessEnv; keepStdin?: boolean; defaultName?: boolean; cwd?: string; prefix?: readonly string[] } = {},
): { child: ChildProcess; result: Promise<VsbResult> } {
  let argv = [...args];
  const nameAt = argv.findIndex((a) => a === '-n' || a === '--name');
  if (nameAt >= 0) started.add(argv[nameAt + 1]!);
  else if (argv[0] === 'run' && !options.defaultName && !argv.includes('--dry-run')) {
    const name = testName();
    started.add(name);
    argv = ['run', '-n', name, ...argv.slice(1)];
  }
  // `--` as bin/run.js's shebang has it: Node 20 would take `--env-file` for its own.
  // `prefix`: a command that execs vsb (unshare, runuser), so the child's pid stays vsb's.
  const [command, ...rest] = [...(options.prefix ?? []), process.execPath, '--', VSB, ...argv];
  const child = spawn(command!, rest, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'], cwd: options.cwd });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (b: Buffer) => out.push(b));
  child.stderr!.on('data', (b: Buffer) => err.push(b));
  child.stdin!.on('error', () => undefined);
  if (options.input !== undefined) child.stdin!.end(options.input);
  else if (!options.keepStdin) child.stdin!.end();
  const result = new Promise<VsbResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
  });
  return { child, result };
}

/** Runs `vsb ARGS` to the end. */
export function vsb(
  args: readonly string[],
  options: { input?: Buffer | string; env?: NodeJS.ProcessEnv; defaultName?: boolean; cwd?: string; prefix?: readonly string[] } = {},
): Promise<VsbResult> {
  return startVsb(args, options).result;
}

/** Names of the domains libvirt has on a URI (running or defined), asked through virsh. */
export function domains(uri = 'lxc:///'): string[] {
  return execFileSync('virsh', ['-c', uri, 'list', '--all', '--name'], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Entries of vsb's state root. */
export function stateDirs(): string[] {
  try {
    return fs.readdirSync(stateRoot());
  } catch {
    return [];
  }
}

/** Polls `check` every 50 ms until it is true or `ms` passed; resolves whether it became true. */
export async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

/** How long libvirtd may take to finish tearing down a domain whose guest ended (LXC: ~0.25 s). */
export const TEARDOWN_MS = 2000;
/** The same for a VM: libvirt cleans up 1.4-2 s after QEMU exited (vsb does not wait; AUTODESTROY covers it). */
const VM_TEARDOWN_MS = 10_000;

/** Where libvirt's system daemon keeps per-domain files: vsb must remove those of its runs. */
const LIBVIRT_DIRS = ['/run/libvirt/lxc', '/run/libvirt/qemu', '/var/log/libvirt/lxc', '/var/log/libvirt/qemu'];

/** Entries of libvirt's per-domain dirs that belong to a domain NAME (NAME.dev, NAME.log ...). */
export function libvirtEntries(name: string): string[] {
  const stages = fs
    .readdirSync('/run/libvirt')
    .filter((e) => e.startsWith('vsb-stage-') && e.endsWith(`-${name}`))
    .map((e) => `/run/libvirt/${e}`);
  return [
    ...stages,
    ...LIBVIRT_DIRS.flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []).filter((e) => e.startsWith(`${name}.`)).map((e) => `${dir}/${e}`)),
  ];
}

/** Storage pools of remote runs' stages (core/run/remote-stage) on the system daemon, active or not. */
export function stagePools(): string[] {
  return execFileSync('virsh', ['-c', 'qemu:///system', 'pool-list', '--all', '--name'], { encoding: 'utf8' })
    .split('\n')
    .filter((p) => p.startsWith('vsb-stage-'));
}

/** Loop devices whose backing file path names one of `names` (images under a run's state dir). */
function loopDevices(names: readonly string[]): string[] {
  return execFileSync('losetup', ['-a'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => names.some((n) => l.includes(n)));
}

/**
 * Fails when a sandbox these tests started left anything on the host: its state dir, a domain on
 * lxc:/// or qemu:///system, a loop device, a remote stage (storage pool, its dir), or libvirt's files of it under /run/libvirt, still
 * there when libvirtd has had time to tear a VM down after vsb exited (vsb exits once the guest is
 * done; libvirtd then removes the domain by itself, AUTODESTROY); then forgets them. A run that
 * failed to start, or ran with --debug, keeps libvirt's log on purpose (vsb says where): the tests
 * are done with it, so it is removed once the domain is gone.
 */
export async function assertNothingLeft(): Promise<void> {
  const names = [...started];
  started.clear();
  if (names.length === 0) return;
  let left: string[] = [];
  await waitFor(() => {
    const running = new Set([...domains('lxc:///'), ...domains('qemu:///system')]);
    const dirs = new Set(stateDirs());
    const pools = stagePools();
    left = [
      ...names.filter((n) => running.has(n)).map((n) => `domain ${n}`),
      ...names.filter((n) => dirs.has(n)).map((n) => `state dir ${n}`),
      ...loopDevices(names),
      ...pools.filter((p) => names.some((n) => p.endsWith(`-${n}`))).map((p) => `storage pool ${p}`),
    ];
    return left.length === 0;
  }, VM_TEARDOWN_MS);
  // libvirt appends to the log until the domain is gone: only then may the kept ones go.
  if (left.length === 0) {
    for (const name of names) for (const driver of ['lxc', 'qemu']) fs.rmSync(`/var/log/libvirt/${driver}/${name}.log`, { force: true });
    await waitFor(() => (left = names.flatMap(libvirtEntries)).length === 0, TEARDOWN_MS);
  }
  if (left.length > 0) throw new Error(`left behind: ${left.join(', ')}`);
}

/**
 * Runs `body` while watching libvirt's lifecycle events on `uris`, and resolves with the names of
 * the domains of this process's runs ({@link started}; other test runs on the host do not count)
 * that started meanwhile: a test that says "no domain is created" asserts on this,
 * not on what is left afterwards (a domain that started and went would pass that).
 */
export async function domainsStartedDuring<T>(
  body: () => Promise<T>,
  uris: readonly string[] = ['lxc:///', 'qemu:///system'],
): Promise<{ result: T; started: string[] }> {
  const connector = new LibvirtNativeConnector();
  const connections: LibvirtConnection[] = await Promise.all(uris.map((u) => connector.open(u)));
  const names: string[] = [];
  const offs = connections.map((c) =>
    c.onLifecycle((e) => {
      if (e.event === 'started') names.push(e.domain);
    }),
  );
  try {
    const result = await body();
    // Events travel through libvirtd's event loop: a start just before the end still arrives.
    await new Promise((r) => setTimeout(r, 300));
    return { result, started: names.filter((n) => started.has(n)) };
  } finally {
    for (const off of offs) off();
    await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
  }
}

/**
 * Runs a shell line on a real pseudo-terminal made by util-linux `script`, so vsb sees a TTY on
 * stdin and stdout as it does for a user at a terminal.
 */
export async function onPty(line: string): Promise<string> {
  const { stdout } = await promisify(execFile)('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
  return stdout.replace(/\r/g, '');
}
