import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import type { Socket } from 'node:net';
import path from 'node:path';

/** File in a state dir holding the pid of the vsb process that owns it. */
export const PID_FILE = 'pid';

/**
 * Removes a state dir when the vsb process that owns it dies, even by SIGKILL: a detached `sh`
 * blocks reading a pipe from us; the kernel closes the pipe when we die, and it removes the dir if
 * its pid file still names us. (AUTODESTROY does the same for the domain inside libvirtd.)
 */
export function watchStateDir(stateDir: string): void {
  const script = '[ -n "$1" ] || exit 0; read _; [ "$(cat "$1/pid" 2>/dev/null)" = "$2" ] && rm -rf -- "$1"';
  const child = spawn('/bin/sh', ['-c', script, 'vsb-watchdog', stateDir, String(process.pid)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => undefined);
  child.unref();
  // Keep the write end open for our whole life without holding the event loop open.
  (child.stdin as Socket | null)?.unref();
}

/** Removes state dirs whose owner process is gone (a watchdog that could not run, a crash of the host). */
export async function removeStaleStateDirs(root: string): Promise<void> {
  await Promise.all((await staleStateDirs(root)).map((dir) => fs.rm(dir, { recursive: true, force: true })));
}

/** The state dirs under `root` whose owner process is gone, without touching them (`vsb doctor` lists them). */
export async function staleStateDirs(root: string): Promise<string[]> {
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const dirs = await Promise.all(names.map(async (name) => {
    const dir = path.join(root, name);
    const pid = Number(await fs.readFile(path.join(dir, PID_FILE), 'utf8').catch(() => ''));
    return pid > 0 && !isAlive(pid) ? dir : undefined;
  }));
  return dirs.filter((d): d is string => d !== undefined);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
