import fs from 'node:fs/promises';
import path from 'node:path';
import { SandboxError } from '../sandbox-error';

/** Where a sandbox's state lives on the host: `/run/vsb/NAME` for root, `$XDG_RUNTIME_DIR/vsb/NAME` otherwise. */
export function stateRoot(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  if (env.VSB_STATE_ROOT) return env.VSB_STATE_ROOT;
  if (uid === 0) return '/run/vsb';
  return path.join(env.XDG_RUNTIME_DIR || path.join('/tmp', `vsb-${uid}`), 'vsb');
}

/**
 * The dirs above state dirs that vsb makes on demand and removes when the last run is gone, so a
 * user's runs leave nothing: the state root itself, and for an ordinary user without
 * `$XDG_RUNTIME_DIR` the private `/tmp/vsb-UID` that holds it. A root the user chose
 * (`VSB_STATE_ROOT`) is the user's: kept.
 */
export function ownStateDirs(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string[] {
  if (env.VSB_STATE_ROOT) return [];
  const tmp = tmpHome(env, uid);
  return [stateRoot(env, uid), ...(tmp ? [tmp] : [])];
}

/** `/tmp/vsb-UID`, where an ordinary user without `$XDG_RUNTIME_DIR` has the state root. */
function tmpHome(env: NodeJS.ProcessEnv, uid: number): string | undefined {
  return !env.VSB_STATE_ROOT && uid !== 0 && !env.XDG_RUNTIME_DIR ? path.dirname(stateRoot(env, uid)) : undefined;
}

/**
 * Makes a run's state dir, `EEXIST` when a run of that name holds it. In the world-writable `/tmp`
 * another user could make `/tmp/vsb-UID` first, and own what vsb then puts there: it must be a real
 * directory of the caller's that no one else may write, or the run stops. A run of the same user
 * that ends meanwhile may remove the empty parents (see {@link releaseStateDirs}): made again.
 */
export async function makeStateDir(stateDir: string, env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): Promise<void> {
  const tmp = tmpHome(env, uid);
  for (let tries = 0; ; tries++) {
    try {
      if (tmp) await makePrivate(tmp, uid);
      await fs.mkdir(path.dirname(stateDir), { recursive: true, mode: 0o755 });
      await fs.mkdir(stateDir, { mode: 0o700 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || tries >= 5) throw err;
    }
  }
}

async function makePrivate(dir: string, uid: number): Promise<void> {
  await fs.mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const st = await fs.lstat(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new SandboxError(
      'VSB_STATE_ROOT_UNSAFE',
      `the state root ${dir} is not a private directory of yours (${st.isDirectory() ? `owner ${st.uid}, mode ${(st.mode & 0o777).toString(8)}` : 'not a directory'})`,
      ['someone else may have made it: remove it, or set XDG_RUNTIME_DIR or VSB_STATE_ROOT to a directory of yours'],
    );
  }
}

/** Removes the dirs of {@link ownStateDirs} that no run uses any more (a run still using one keeps it). */
export async function releaseStateDirs(dirs: readonly string[] = ownStateDirs()): Promise<void> {
  for (const dir of dirs) {
    const removed = await fs.rmdir(dir).then(
      () => true,
      () => false,
    );
    if (!removed) return;
  }
}
