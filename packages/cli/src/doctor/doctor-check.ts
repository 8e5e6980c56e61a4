import fs from 'node:fs/promises';

/** `ok`: fine; `warn`: a feature is missing or slow, a default `vsb run` still works; `fail`: it does not. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One line of `vsb doctor`, and one element of `checks` in `vsb doctor --json`. */
export interface CheckResult {
  /** Stable name of the check, e.g. 'libvirt-lxc', 'kvm', 'landlock'. */
  readonly id: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly message: string;
  /** What to do about it (warn and fail only). */
  readonly fix?: string;
  /** Lists behind the message (in --json only), e.g. `{ paths: [...] }` of the leftovers. */
  readonly details?: Readonly<Record<string, readonly string[]>>;
}

/** What `vsb doctor --json` prints: `ok` is true when a default `vsb run` would work (exit 0). */
export interface DoctorReport {
  readonly ok: boolean;
  /** The URI whose default run was judged (`--connect`, default lxc:///). */
  readonly uri: string;
  readonly checks: readonly CheckResult[];
}

/** A check that ran into an unexpected error reports it instead of ending the whole doctor. */
export async function guarded(id: string, check: () => Promise<CheckResult | CheckResult[]>): Promise<CheckResult[]> {
  try {
    return [await check()].flat();
  } catch (err) {
    return [{ id, status: 'warn', message: `could not check: ${(err as Error).message.split('\n')[0]}` }];
  }
}

/** True when `p` exists; the checks only look, never create. */
export function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}
