import fs from 'node:fs';
import path from 'node:path';
import { domainMemoryCgroups } from '@vsb/core';
import type { DomainMemoryCgroup } from '@vsb/core';

/**
 * The memory of one domain's memory cgroup (core's domainMemoryCgroups): its peak for
 * `vsb run --record`, what it uses now for `vsb ps`.
 */
export class SandboxMemory {
  private last?: number;

  private constructor(private readonly cgroup: DomainMemoryCgroup) {}

  /**
   * Looks for the cgroup of the running domain `name` that has memory accounting (its peak or what
   * it uses now: cgroup2 before Linux 5.19 has no memory.peak); undefined when there is none to
   * read (a remote URI).
   */
  static find(name: string, mountinfo?: string): SandboxMemory | undefined {
    for (const cgroup of domainMemoryCgroups(name, mountinfo)) {
      if (fs.existsSync(fileOf(cgroup, 'peak')) || fs.existsSync(fileOf(cgroup, 'current'))) return new SandboxMemory(cgroup);
    }
    return undefined;
  }

  /**
   * The peak in bytes: read now while the cgroup exists (synchronously, so a caller can sample at
   * the instant the app exited), else the last value read.
   */
  peak(): number | undefined {
    const value = readBytes(fileOf(this.cgroup, 'peak'));
    if (value !== undefined) this.last = Math.max(this.last ?? 0, value);
    return this.last;
  }

  /** The bytes the whole sandbox uses now (v1 `memory.usage_in_bytes`, v2 `memory.current`); undefined once the cgroup is gone. */
  inUse(): number | undefined {
    return readBytes(fileOf(this.cgroup, 'current'));
  }
}

/** The cgroup's file of the peak or of the current usage, named as its version names them. */
function fileOf({ dir, version }: DomainMemoryCgroup, what: 'peak' | 'current'): string {
  const names = version === 1 ? { peak: 'memory.max_usage_in_bytes', current: 'memory.usage_in_bytes' } : { peak: 'memory.peak', current: 'memory.current' };
  return path.join(dir, names[what]);
}

function readBytes(file: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const value = Number(text.trim());
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
