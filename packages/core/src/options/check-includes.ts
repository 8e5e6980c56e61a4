import type { IncludeSpec, MountSpec } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { quoteValue } from './option-error';

/**
 * Checks that every include's GUEST lies strictly inside the target of some mount (the copy goes
 * into that mount; with nested targets, the deepest one). "Inside" compares whole path
 * components: `/tmpx` is not inside `/tmp`. A GUEST equal to a target is refused, since it would
 * replace the mount's root. Messages quote the include as `--include 'GUEST[=HOST]'`, the same
 * text whether it came from `--include` or an `--includefile` line. Any mount type holds includes:
 * vsb copies into a host-bind's source, the guest init into the others (copy-includes.ts).
 */
export function checkIncludes(includes: readonly IncludeSpec[], mounts: readonly MountSpec[]): void {
  const targets = mounts.map((m) => m.target);
  for (const { guest, host } of includes) {
    if (mountHolding(guest, mounts)) continue;
    const flag = includeOrigin({ guest, host });
    let problem: string;
    if (targets.includes(guest)) {
      problem = `${quoteValue(guest)} is a mount target itself; name a path inside it (e.g. ${guest}/NAME)`;
    } else if (targets.length === 0) {
      problem = `${quoteValue(guest)} is not inside a mount (no --mount given; includes are copied into one, e.g. --mount host-bind:/tmp=)`;
    } else {
      problem = `${quoteValue(guest)} is not inside any mount target (targets: ${targets.map(quoteValue).join(', ')})`;
    }
    throw new SandboxError('VSB_BAD_INCLUDE', `${flag}: ${problem}`);
  }
}

/** An include as the user gave it (near enough), for messages: `--include 'GUEST[=HOST]'`, whether it came from `--include` or an `--includefile` line. */
export function includeOrigin({ guest, host }: IncludeSpec): string {
  return `--include ${quoteValue(guest === host ? guest : `${guest}=${host}`)}`;
}

/** The mount an include at `path` goes into: the deepest one whose target lies strictly above it. */
export function mountHolding<M extends MountSpec>(path: string, mounts: readonly M[]): M | undefined {
  return mounts.filter((m) => isInside(path, m.target)).sort((a, b) => b.target.length - a.target.length)[0];
}

/** True when `path` is strictly below `dir`, comparing whole components (both normalised). */
function isInside(path: string, dir: string): boolean {
  return path.startsWith(`${dir}/`);
}
