import fs from 'node:fs';
import path from 'node:path';
import { domainMemoryCgroups } from '@vsb/core';

/** The peak memory of one domain's memory cgroup (core's domainMemoryCgroups), for `vsb run --record`. */
export class SandboxMemory {
  private last?: number;

  private constructor(private readonly file: string) {}

  /** Looks for the cgroup of the running domain `name`; undefined when there is none to read (a remote URI). */
  static find(name: string, mountinfo?: string): SandboxMemory | undefined {
    for (const { dir, version } of domainMemoryCgroups(name, mountinfo)) {
      const file = path.join(dir, version === 1 ? 'memory.max_usage_in_bytes' : 'memory.peak');
      if (fs.existsSync(file)) return new SandboxMemory(file);
    }
    return undefined;
  }

  /**
   * The peak in bytes: read now while the cgroup exists (synchronously, so a caller can sample at
   * the instant the app exited), else the last value read.
   */
  peak(): number | undefined {
    const value = Number(readOr(this.file).trim());
    if (Number.isFinite(value) && value > 0) this.last = Math.max(this.last ?? 0, value);
    return this.last;
  }
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
