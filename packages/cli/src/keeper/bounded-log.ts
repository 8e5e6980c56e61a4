import fs from 'node:fs';
import { Writable } from 'node:stream';
import { LOG_BOUND_BYTES, olderLogPart } from './log-files';
import { encodeLogRecords, type LogStream } from './log-record';

/**
 * The app's stdout and stderr as records ({@link encodeLogRecords}) in a log that never takes more
 * than `boundBytes`, however much the app writes: rotate-and-truncate in two parts of half the
 * bound each. When a record would take the current part past its half, the part is renamed to
 * `FILE.1` (replacing the older one) and a new, empty part is started, so the last half of the
 * bound at least is always there, and a reader can still follow (it sees the rename). Writes are
 * synchronous: the keeper has nothing else to do meanwhile, the order of the two streams is kept,
 * and a flooding app is slowed to the disk's pace rather than filling the keeper's memory. The
 * file is opened at the first write (the state dir exists once the app can write); a failing
 * write drops the output rather than the keeper.
 */
export class BoundedLog {
  private fd?: number;
  private size = 0;
  private readonly partBytes: number;

  constructor(
    private readonly file: string,
    boundBytes = LOG_BOUND_BYTES,
  ) {
    this.partBytes = Math.floor(boundBytes / 2);
  }

  /**
   * A writable stream of one of the app's outputs, for StartOptions.stdio (no `fd`: the relay
   * writes it, not the app); `tap` sees each chunk too.
   */
  stream(stream: LogStream, tap?: (chunk: Buffer) => void): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.write(stream, chunk);
        tap?.(chunk);
        done();
      },
    });
  }

  /** Appends one chunk of output of `stream`, rotating first whenever a record would not fit. */
  write(stream: LogStream, chunk: Buffer, time = new Date().toISOString()): void {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for (const record of encodeLogRecords(stream, chunk, time)) {
      const length = record[0]!.length + record[1]!.length + record[2]!.length;
      if (this.size + batchBytes + length > this.partBytes) {
        this.append(batch, batchBytes);
        batch = [];
        batchBytes = 0;
        if (this.size > 0) this.rotate();
      }
      batch.push(...record);
      batchBytes += length;
    }
    this.append(batch, batchBytes);
  }

  /** Closes the current part. */
  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private append(buffers: Buffer[], bytes: number): void {
    if (bytes === 0) return;
    try {
      this.fd ??= fs.openSync(this.file, 'a', 0o600);
      const data = Buffer.concat(buffers, bytes);
      for (let at = 0; at < data.length; ) at += fs.writeSync(this.fd, data, at);
      this.size += bytes;
    } catch {
      // The state dir is going (the sandbox ends): the output has nowhere to go.
    }
  }

  /** The current part becomes the older one, and a new current part is there at once (a reader never finds none). */
  private rotate(): void {
    this.close();
    this.size = 0;
    try {
      fs.renameSync(this.file, olderLogPart(this.file));
      this.fd = fs.openSync(this.file, 'a', 0o600);
    } catch {
      // The state dir is going: the next write tries again and drops its output.
    }
  }
}
