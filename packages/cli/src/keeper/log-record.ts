/** The app's two output streams, as a log record names them. */
export type LogStream = 'stdout' | 'stderr';

/** Longest content of one record: a longer line becomes several partial records. */
export const MAX_RECORD_CONTENT = 16 * 1024;

const NEWLINE = Buffer.from('\n');

/**
 * The records of one chunk of the app's output, in the CRI "k8s-file" format podman's conmon
 * writes: one line per record, `TIME STREAM F|P CONTENT`, where `F` ends a line of the app's
 * output and `P` is part of one (a chunk that does not end in a newline, a line longer than
 * {@link MAX_RECORD_CONTENT}). So the log reads as text with `cat`, keeps stdout and stderr
 * apart and in order, and gives back the app's bytes exactly, whatever they are: a record's
 * content never holds a newline. Each record is returned as its buffers (header, content,
 * newline), to be written as they are.
 */
export function encodeLogRecords(stream: LogStream, chunk: Buffer, time: string): Buffer[][] {
  const full = Buffer.from(`${time} ${stream} F `);
  const partial = Buffer.from(`${time} ${stream} P `);
  const records: Buffer[][] = [];
  let start = 0;
  while (start < chunk.length) {
    const newline = chunk.indexOf(0x0a, start);
    const end = newline < 0 ? chunk.length : newline;
    for (let at = start; at < end || at === start; at += MAX_RECORD_CONTENT) {
      const stop = Math.min(end, at + MAX_RECORD_CONTENT);
      const last = stop === end && newline >= 0;
      records.push([last ? full : partial, chunk.subarray(at, stop), NEWLINE]);
      if (stop === end) break;
    }
    start = newline < 0 ? chunk.length : newline + 1;
  }
  return records;
}

/** One record read back: the stream and the app's bytes it carries (a newline included for `F`). */
export interface LogRecord {
  readonly stream: LogStream;
  readonly bytes: Buffer;
}

/**
 * Reads records back from the log's bytes, which arrive in pieces (a reader following the log):
 * whole lines are decoded, the rest is kept for the next push. A line that is not a record (a
 * file cut short) is skipped.
 */
export class LogRecordDecoder {
  private rest: Buffer = Buffer.alloc(0);

  push(data: Buffer): LogRecord[] {
    const buffer = this.rest.length > 0 ? Buffer.concat([this.rest, data]) : data;
    const records: LogRecord[] = [];
    let start = 0;
    for (let newline = buffer.indexOf(0x0a); newline >= 0; newline = buffer.indexOf(0x0a, start)) {
      const record = decodeLine(buffer.subarray(start, newline));
      if (record) records.push(record);
      start = newline + 1;
    }
    this.rest = Buffer.from(buffer.subarray(start));
    return records;
  }
}

function decodeLine(line: Buffer): LogRecord | undefined {
  const afterTime = line.indexOf(0x20) + 1;
  const afterStream = afterTime > 0 ? line.indexOf(0x20, afterTime) + 1 : 0;
  if (afterStream === 0 || line[afterStream + 1] !== 0x20) return undefined;
  const stream = line.toString('latin1', afterTime, afterStream - 1);
  const tag = line[afterStream];
  if ((stream !== 'stdout' && stream !== 'stderr') || (tag !== 0x46 && tag !== 0x50)) return undefined;
  const content = line.subarray(afterStream + 2);
  return { stream, bytes: tag === 0x46 ? Buffer.concat([content, NEWLINE]) : Buffer.from(content) };
}
