import type { Writable } from 'node:stream';

/** Resolves once every write made so far on `stream` has been handed to the OS. */
export function flushed(stream: Writable): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => stream.write(Buffer.alloc(0), (err) => (err ? reject(err) : resolve())));
}
