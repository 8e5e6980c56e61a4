import fs from 'node:fs';
import type { ExitStatus, RunningSandbox, StdioBytes } from '@vsb/core';
import { signalName } from '../signal-name';
import { oomKilled } from './run-record';
import type { RunRecord } from './run-record';
import { SandboxMemory } from './sandbox-memory';

/** How often the sandbox's peak memory is sampled while it runs, in case its cgroup is gone at the end. */
const SAMPLE_MS = 200;

/** What is known of a run before it starts. */
export interface RunIdentity {
  readonly name: string;
  readonly uri: string;
  readonly backend: string | null;
  readonly command: readonly string[];
}

/** How the run ended, as `vsb run` saw it. */
export interface RunOutcome {
  readonly status?: ExitStatus;
  readonly error?: unknown;
  /** The signal vsb received, if any. */
  readonly received?: number;
}

/**
 * Collects the {@link RunRecord} of one `vsb run` and writes it exactly once: the output is opened
 * before anything starts (a bad path is a usage error, and a late failure cannot lose the record),
 * written when the run ends, and on process exit if `finish` never ran.
 */
export class RunRecorder {
  private startedAt?: number;
  private appEndedAt?: number;
  private memory?: SandboxMemory;
  private sampler?: NodeJS.Timeout;
  private bytes?: () => StdioBytes | undefined;
  private written = false;
  private readonly onExit = () => this.finish({ error: new Error('vsb exited before the run ended') });

  /** `fd` is open for writing (`--record-fd`, or the `--record` file opened by {@link RunRecorder.open}). */
  constructor(
    private readonly fd: number,
    private readonly identity: RunIdentity,
  ) {
    process.on('exit', this.onExit);
  }

  /** Opens `--record FILE` (created or truncated) or checks `--record-fd N`; errors name the flag. */
  static open(target: { file?: string; fd?: number }, identity: RunIdentity, usageError: (message: string) => Error): RunRecorder {
    if (target.fd !== undefined) {
      try {
        fs.fstatSync(target.fd);
      } catch {
        throw usageError(`--record-fd ${target.fd}: not an open file descriptor`);
      }
      return new RunRecorder(target.fd, identity);
    }
    try {
      return new RunRecorder(fs.openSync(target.file!, 'w', 0o644), identity);
    } catch (err) {
      throw usageError(
        `--record '${target.file}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'its directory does not exist' : (err as Error).message}`,
      );
    }
  }

  /** For StartOptions.mark: the app's exit ('app') is when its sandbox's peak memory is final. */
  mark(step: string): void {
    if (step !== 'app') return;
    this.appEndedAt ??= performance.now();
    this.memory?.peak();
  }

  /** The sandbox is up and the app running: time starts, the memory cgroup is found and sampled. */
  started(running: RunningSandbox): void {
    this.startedAt = performance.now();
    this.bytes = () => running.bytes;
    this.memory = SandboxMemory.find(this.identity.name);
    if (this.memory) {
      this.memory.peak();
      this.sampler = setInterval(() => this.memory?.peak(), SAMPLE_MS);
      this.sampler.unref();
    }
  }

  /** Writes the record (once; later calls do nothing). */
  finish(outcome: RunOutcome): void {
    if (this.written) return;
    this.written = true;
    process.removeListener('exit', this.onExit);
    if (this.sampler) clearInterval(this.sampler);
    const end = this.appEndedAt ?? performance.now();
    const { status, error, received } = outcome;
    const bytes = this.bytes?.();
    const record: RunRecord = {
      ...this.identity,
      exitCode: status?.code ?? null,
      signal: status?.signal ?? null,
      signalName: status?.signal !== undefined ? (signalName(status.signal) ?? null) : null,
      interruptedBy: received !== undefined ? (signalName(received) ?? null) : null,
      oom: oomKilled(status),
      startupMs: this.startedAt !== undefined ? Math.round(this.startedAt) : null,
      runMs: this.startedAt !== undefined ? Math.round(end - this.startedAt) : null,
      peakMemoryBytes: this.memory?.peak() ?? null,
      bytes: bytes ? { ...bytes } : null,
      error: error === undefined ? null : error instanceof Error ? error.message : String(error),
    };
    try {
      fs.writeSync(this.fd, `${JSON.stringify(record)}\n`);
    } finally {
      if (this.fd > 2) fs.closeSync(this.fd);
    }
  }
}
