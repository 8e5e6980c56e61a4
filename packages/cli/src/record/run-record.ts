import type { ExitStatus, StdioBytes } from '@vsb/core';

/**
 * What `vsb run --record FILE` / `--record-fd N` writes, one JSON object on one line, when the run
 * ends however it ends (app exit, failed start, SIGINT/SIGTERM). Fields that could not be measured
 * are null, never left out.
 */
export interface RunRecord {
  readonly name: string;
  readonly uri: string;
  /** The backend that claimed the URI ('lxc', 'qemu' ...); null when none did. */
  readonly backend: string | null;
  readonly command: readonly string[];
  /** The app's exit code; null when it was killed by a signal or never ran. */
  readonly exitCode: number | null;
  /** The signal that killed the app (number and name), else null. */
  readonly signal: number | null;
  readonly signalName: string | null;
  /** The signal vsb itself received and forwarded (SIGINT, SIGTERM, SIGHUP), else null. */
  readonly interruptedBy: string | null;
  /** Whether the kernel's OOM killer ended the app (see {@link oomKilled}). */
  readonly oom: boolean;
  /** From vsb's start until the app was running. */
  readonly startupMs: number | null;
  /** From the app's start until its exit. */
  readonly runMs: number | null;
  /** Peak memory of the whole sandbox, from the domain's memory cgroup; null where unreadable (remote URI). */
  readonly peakMemoryBytes: number | null;
  /** Bytes the console transport relayed; null when the bytes did not pass through it. */
  readonly bytes: StdioBytes | null;
  /** Why the run failed (to start, or while running); null when the app ran and exited. */
  readonly error: string | null;
}

/** Whether the app was OOM-killed, as the backend told core (`ExitStatus.outOfMemory`). */
export function oomKilled(status: ExitStatus | undefined): boolean {
  return status?.outOfMemory === true;
}
