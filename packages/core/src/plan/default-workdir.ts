import { PRIVATE_DIRS } from './private-dirs';
import type { MountSpec } from '../sandbox-config';

/**
 * The caller's working directory when the sandbox sees the same directory there, so `cd proj;
 * vsb run -- python3 app.py` works: the root is the host's `/` and no mount (nor a private
 * `/tmp`, `/run` ...) lies at or above it. Otherwise undefined, and the app starts in `$HOME`.
 */
export function defaultWorkdir(cwd: string | undefined, root: string, mounts: readonly MountSpec[]): string | undefined {
  if (cwd === undefined || root !== '/' || !cwd.startsWith('/') || /[\x00-\x1f\x7f\ufffd]/.test(cwd)) return undefined;
  const covered = [...PRIVATE_DIRS, ...mounts.map((m) => m.target)].some((t) => cwd === t || cwd.startsWith(`${t === '/' ? '' : t}/`));
  return covered ? undefined : cwd;
}
