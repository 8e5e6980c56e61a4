import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import type { Socket } from 'node:net';
import path from 'node:path';
import type { HostLeftovers } from '../host/host-leftovers';
import { ownStateDirs } from './state-root';

/** File in a state dir holding the pid of the vsb process that owns it. */
export const PID_FILE = 'pid';

/** The watchdog of one run (see {@link watchStateDir}). */
export interface StateDirWatchdog {
  /** Leave libvirt's log of the run in place (`--debug`, a failed run). */
  keepLog(): void;
}

/**
 * How long the watchdog waits for libvirt to finish tearing a domain down before it removes the
 * files libvirt leaves (LXC takes ~0.25 s after the guest is done, QEMU 1.4-2 s): 600 polls of 0.1 s.
 */
const TEARDOWN_POLLS = 600;

/*
 * $1 state dir, $2 our pid, $3 paths that exist while libvirt tears the domain down, $4 dirs to
 * remove when empty, $5 files, $6 the log (lists newline-separated). Lines on stdin: `keep-log`.
 * A state dir of the same name that exists after the wait is a new run's: its files are its own.
 */
const SCRIPT = `[ -n "$1" ] || exit 0
keep=; while read -r line; do [ "$line" = keep-log ] && keep=1; done
[ "$(cat "$1/pid" 2>/dev/null)" = "$2" ] && rm -rf -- "$1"
IFS='
'
n=0; while [ $n -lt ${TEARDOWN_POLLS} ]; do busy=; for p in $3; do [ -e "$p" ] && busy=1; done; [ -z "$busy" ] && break; sleep 0.1; n=$((n+1)); done
[ -z "$busy" ] && [ ! -e "$1" ] || exit 0
for p in $4; do rmdir -- "$p" 2>/dev/null; done
for p in $5; do rm -f -- "$p"; done
[ -n "$keep" ] || [ -z "$6" ] || rm -f -- "$6"`;

/**
 * Removes a state dir when the vsb process that owns it dies, even by SIGKILL: a detached `sh`
 * blocks reading a pipe from us; the kernel closes the pipe when we die, and it removes the dir if
 * its pid file still names us. (AUTODESTROY does the same for the domain inside libvirtd.) Then,
 * once libvirt has finished with the domain (vsb itself ends before that, for speed), it removes
 * what libvirt left of it on the host ({@link HostLeftovers}), the log unless told to keep it.
 */
export function watchStateDir(stateDir: string, leftovers?: HostLeftovers): StateDirWatchdog {
  // After libvirt's dirs, the state root and its parent, once no run uses them.
  const lists = [leftovers?.whileRunning ?? [], [...(leftovers?.dirs ?? []), ...ownStateDirs()], leftovers?.files ?? []].map((l) => l.join('\n'));
  const child = spawn('/bin/sh', ['-c', SCRIPT, 'vsb-watchdog', stateDir, String(process.pid), ...lists, leftovers?.log ?? ''], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.on('error', () => undefined);
  child.unref();
  const stdin = child.stdin as Socket | null;
  stdin?.on('error', () => undefined);
  // Keep the write end open for our whole life without holding the event loop open.
  stdin?.unref();
  return { keepLog: () => void stdin?.write('keep-log\n') };
}

/** Removes state dirs whose owner process is gone (a watchdog that could not run, a crash of the host). */
export async function removeStaleStateDirs(root: string): Promise<void> {
  await Promise.all((await staleStateDirs(root)).map((dir) => fs.rm(dir, { recursive: true, force: true })));
}

/** The state dirs under `root` whose owner process is gone, without touching them (`vsb doctor` lists them). */
export async function staleStateDirs(root: string): Promise<string[]> {
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const dirs = await Promise.all(
    names.map(async (name) => {
      const dir = path.join(root, name);
      const pid = Number(await fs.readFile(path.join(dir, PID_FILE), 'utf8').catch(() => ''));
      return pid > 0 && !isAlive(pid) ? dir : undefined;
    }),
  );
  return dirs.filter((d): d is string => d !== undefined);
}

/** Whether a process of this pid exists (one of another user's counts): owners of state dirs and temp files. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
