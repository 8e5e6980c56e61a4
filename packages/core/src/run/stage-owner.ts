import { createHash } from 'node:crypto';
import os from 'node:os';
import { isAlive } from './state-dir-watchdog';

/** Prefix of a remote run's stage pool (remote-stage): `vsb-stage-OWNER-PID-NAME`. */
export const STAGE_PREFIX = 'vsb-stage-';
/** Prefix of the transient pools that reach libvirt's own dirs on a remote host (remote-leftovers): never built, never deleted. */
export const CLEAN_PREFIX = 'vsb-clean-';

/**
 * Who made a pool on a remote host: this host and user, hashed. The next run of the same owner
 * removes the pools whose process is gone (a client killed with SIGKILL cannot remove its own);
 * other owners' pools are theirs to remove, since only their host can tell whether their run lives.
 */
export function stageOwner(hostname = os.hostname(), uid = process.getuid?.() ?? 0): string {
  return createHash('sha256').update(`${hostname}\0${uid}`).digest('hex').slice(0, 8);
}

/** `PREFIX-OWNER-PID-`: the name of a pool of this owner and process. */
export function ownerPoolPrefix(prefix: string, pid = process.pid): string {
  return `${prefix}${stageOwner()}-${pid}-`;
}

/** The pid in the name of a pool of this owner made with `prefix` by another process that is gone; undefined otherwise. */
export function deadOwnerPid(pool: string, prefix: string): number | undefined {
  const pid = Number(new RegExp(`^${prefix}${stageOwner()}-(\\d+)-`).exec(pool)?.[1] ?? 0);
  return pid > 0 && pid !== process.pid && !isAlive(pid) ? pid : undefined;
}
