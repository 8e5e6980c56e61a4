import type { Writable } from 'node:stream';
import { encodeFrame, encodeHeader } from './encode-frame';
import { MAX_PAYLOAD, type FrameType } from './frame-type';

/** Payloads up to this size are copied behind their header into one buffer: one write is cheaper than two. */
const JOIN_LIMIT = 16 * 1024;

/**
 * Writes frames of `type` carrying `data` to `stream`, for the protocol's stream `id`: data longer than {@link MAX_PAYLOAD} is split
 * into several frames, each a subarray of `data`. Big payloads go out as two writes (header, then
 * the payload itself) inside a cork, so they are never copied into a joined buffer. Returns the
 * last `write`'s result: false means the caller should wait for 'drain'.
 */
export function writeFrame(stream: Writable, type: FrameType, data: Buffer, id = 0): boolean {
  if (data.length <= JOIN_LIMIT) return stream.write(encodeFrame(type, data, id));
  let ok = true;
  stream.cork();
  try {
    for (let offset = 0; offset < data.length; offset += MAX_PAYLOAD) {
      const payload = data.subarray(offset, Math.min(offset + MAX_PAYLOAD, data.length));
      stream.write(encodeHeader(type, payload.length, id));
      ok = stream.write(payload);
    }
  } finally {
    stream.uncork();
  }
  return ok;
}
