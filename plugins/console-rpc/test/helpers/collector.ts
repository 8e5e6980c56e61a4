import { Writable } from 'node:stream';

/** Options of {@link Collector}. */
export interface CollectorOptions {
  /** Each write completes after this many ms (a slow terminal or pipe reader). */
  readonly delayMs?: number;
  readonly highWaterMark?: number;
  /** Called before each write is accepted (to sample buffer levels). */
  readonly onWrite?: () => void;
}

/** A host stdout/stderr stand-in that keeps what it receives. */
export class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  /** Bytes whose write completed. */
  completed = 0;

  constructor(private readonly collectorOptions: CollectorOptions = {}) {
    super({ highWaterMark: collectorOptions.highWaterMark ?? 16384 });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.collectorOptions.onWrite?.();
    this.chunks.push(chunk);
    const done = (): void => {
      this.completed += chunk.length;
      callback();
    };
    if (this.collectorOptions.delayMs) setTimeout(done, this.collectorOptions.delayMs);
    else done();
  }

  get data(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.data.toString('utf8');
  }
}
