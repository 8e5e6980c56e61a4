import { Writable } from 'node:stream';

/** Options of {@link Collector}. */
export interface CollectorOptions {
  /** Each write completes after this many ms (a slow terminal or pipe reader). */
  readonly delayMs?: number;
  /** Writes do not complete until {@link Collector.release} (a reader that takes nothing for now). */
  readonly held?: boolean;
  readonly highWaterMark?: number;
  /** Called before each write is accepted (to sample buffer levels). */
  readonly onWrite?: () => void;
}

/** A host stdout/stderr stand-in that keeps what it receives. */
export class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  /** Bytes whose write completed. */
  completed = 0;
  private held: boolean;
  private readonly pending: Array<() => void> = [];

  constructor(private readonly collectorOptions: CollectorOptions = {}) {
    super({ highWaterMark: collectorOptions.highWaterMark ?? 16384 });
    this.held = collectorOptions.held ?? false;
  }

  /** Lets held writes (and every later one) complete. */
  release(): void {
    this.held = false;
    for (const finish of this.pending.splice(0)) finish();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.collectorOptions.onWrite?.();
    this.chunks.push(chunk);
    const done = (): void => {
      this.completed += chunk.length;
      callback();
    };
    const finish = (): void => {
      if (this.collectorOptions.delayMs) setTimeout(done, this.collectorOptions.delayMs);
      else done();
    };
    if (this.held) this.pending.push(finish);
    else finish();
  }

  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.data.toString('utf8');
  }
}
