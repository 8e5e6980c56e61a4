import fs from 'node:fs/promises';
import path from 'node:path';
import type { HostLeftovers } from '../host/host-leftovers';
import { SandboxError } from '../sandbox-error';
import { makeStateDir, releaseStateDirs, stateRoot } from './state-root';
import { PID_FILE, watchStateDir, type StateDirWatchdog } from './state-dir-watchdog';
import type { Teardown } from './teardown';

/** The state dir of a sandbox name on this host. */
export function stateDirOf(name: string): string {
  return path.join(stateRoot(), name);
}

/** A run's state dir on this host, made by {@link createStateDir}. */
export interface StateDir {
  readonly path: string;
  readonly watchdog: StateDirWatchdog;
  /** Removes it, and the state root when no run uses it any more. */
  remove(): Promise<void>;
}

/**
 * Makes the state dir of sandbox `name` (a name whose dir exists is in use), pushes its removal
 * and starts its watchdog, which removes it should this process die. A run that started keeps it
 * at its end when `keep` says so (a `--keep` sandbox's keeper removes it at `vsb stop`); a start
 * that fails removes it whatever `keep` says.
 */
export async function createStateDir(name: string, leftovers: HostLeftovers | undefined, teardown: Teardown, keep = false): Promise<StateDir> {
  const dir = stateDirOf(name);
  await makeStateDir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EEXIST') throw new SandboxError('VSB_NAME_IN_USE', `--name: the sandbox '${name}' is already running (state dir ${dir} exists)`);
    throw err;
  });
  const remove = async (): Promise<void> => {
    await fs.rm(dir, { recursive: true, force: true });
    await releaseStateDirs();
  };
  teardown.push('remove the state dir', (outcome) => (keep && outcome !== 'start-failed' ? undefined : remove()));
  await fs.writeFile(path.join(dir, PID_FILE), String(process.pid));
  return { path: dir, watchdog: watchStateDir(dir, leftovers), remove };
}
