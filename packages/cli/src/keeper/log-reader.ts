import fs from 'node:fs';
import { olderLogPart } from './log-files';
import { LogRecordDecoder, type LogRecord } from './log-record';

/** How often a follower looks for new output, and whether the sandbox ended. */
const POLL_MS = 100;
const READ_BYTES = 256 * 1024;

/** Where {@link readLog} delivers records; a promise makes it wait (a full stdout). */
export type RecordSink = (record: LogRecord) => void | Promise<void>;

/**
 * Reads a {@link BoundedLog} from its oldest record: the older part, then the current one. With
 * `follow`, it then keeps reading what is appended, through rotations (the current part renamed
 * to `.1` and a new one started: the renamed one is read to its end, then the new one from its
 * start), until `ended()` says no more output can come: `ended` is asked before the last read,
 * so everything written before the keeper said so is delivered. Without `follow` it stops at
 * the end of what is there.
 */
export async function readLog(file: string, sink: RecordSink, follow?: { ended: () => boolean }): Promise<void> {
  const decoder = new LogRecordDecoder();
  // One buffer for every read: the decoder copies what it keeps and what it returns.
  const buffer = Buffer.alloc(READ_BYTES);
  const read = (part: Part) => drain(part, buffer, decoder, sink);
  let current = openPart(file);
  const older = openPart(olderLogPart(file));
  // A rotation between the two opens made the part we opened first the older one: read it once.
  if (older && (!current || older.ino !== current.ino)) await read(older);
  closePart(older);
  for (;;) {
    const ended = follow ? follow.ended() : true;
    if (current) await read(current);
    const now = statOf(file);
    if (now !== undefined && now !== current?.ino) {
      // Rotated (or created): ours got its last records before the rename; a part rotated away
      // meanwhile is the .1 now.
      if (current) await read(current);
      const middle = current ? openPart(olderLogPart(file)) : undefined;
      if (middle && middle.ino !== current?.ino && middle.ino !== now) await read(middle);
      closePart(middle);
      closePart(current);
      current = openPart(file);
      continue;
    }
    if (ended) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  closePart(current);
}

interface Part {
  readonly fd: number;
  readonly ino: number;
}

function openPart(file: string): Part | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    return { fd, ino: fs.fstatSync(fd).ino };
  } catch {
    return undefined;
  }
}

function closePart(part: Part | undefined): void {
  if (part) fs.closeSync(part.fd);
}

function statOf(file: string): number | undefined {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined;
  }
}

/** Reads the part from where it was left to its current end (the fd's own offset), through `buffer`. */
async function drain(part: Part, buffer: Buffer, decoder: LogRecordDecoder, sink: RecordSink): Promise<void> {
  for (let n = fs.readSync(part.fd, buffer); n > 0; n = fs.readSync(part.fd, buffer)) {
    for (const record of decoder.push(buffer.subarray(0, n))) await sink(record);
  }
}
