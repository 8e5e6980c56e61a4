import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The `vsb` entry point of this checkout. */
export const VSB = path.resolve(__dirname, '..', '..', '..', 'packages', 'cli', 'bin', 'run.js');
export const REPO = path.resolve(__dirname, '..', '..', '..');

export interface VsbResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

/** Starts `vsb ARGS`; stdin gets `input` (then EOF) unless `keepStdin`. */
export function startVsb(args: readonly string[], options: { input?: Buffer | string; env?: NodeJS.ProcessEnv; keepStdin?: boolean } = {}): { child: ChildProcess; result: Promise<VsbResult> } {
  const child = spawn(process.execPath, [VSB, ...args], { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
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
export function vsb(args: readonly string[], options: { input?: Buffer | string; env?: NodeJS.ProcessEnv } = {}): Promise<VsbResult> {
  return startVsb(args, options).result;
}

/** Names of the domains libvirt has on a URI (running or defined), asked through virsh. */
export function domains(uri = 'lxc:///'): string[] {
  return execFileSync('virsh', ['-c', uri, 'list', '--all', '--name'], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Entries of vsb's state root (root's /run/vsb). */
export function stateDirs(): string[] {
  try {
    return fs.readdirSync('/run/vsb');
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
