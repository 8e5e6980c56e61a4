import type { DetachedSandbox } from './detached-sandbox';
import type { AppEnd, KeeperMetadata } from './keeper-metadata';

/** One line of `vsb ps`, and one object of `vsb ps --json`. */
export interface PsEntry {
  readonly name: string;
  readonly backend: string;
  readonly uri: string;
  /** The keeper's pid. */
  readonly pid: number;
  /** ISO time the app started, and the seconds since. */
  readonly startedAt: string;
  readonly ageSeconds: number;
  readonly command: readonly string[];
  readonly state: KeeperMetadata['state'];
  readonly keep: boolean;
  /** How the app ended (a `--keep` sandbox); null while it runs. */
  readonly ended: AppEnd | null;
  /** Bytes the whole sandbox uses now (its memory cgroup); null when unreadable or the domain is gone. */
  readonly memoryBytes: number | null;
}

/** The entries of the listed sandboxes at `now` (ms since the epoch); `memoryOf` reads a running domain's memory in use. */
export function psEntries(sandboxes: readonly DetachedSandbox[], now: number, memoryOf: (name: string) => number | undefined): PsEntry[] {
  return sandboxes.map(({ metadata: m }) => ({
    name: m.name,
    backend: m.backend,
    uri: m.uri,
    pid: m.pid,
    startedAt: m.startedAt,
    ageSeconds: Math.max(0, Math.floor((now - Date.parse(m.startedAt)) / 1000)),
    command: m.command,
    state: m.state,
    keep: m.keep,
    ended: m.ended ?? null,
    memoryBytes: m.state === 'exited' ? null : (memoryOf(m.name) ?? null),
  }));
}
