import assert from 'node:assert/strict';
import { SandboxError } from '@vsb/core';
import { FrameDecoder, type Frame, type FrameDecoderOptions } from '../../src';

/** Decodes `chunks` pushed one by one, copying each frame's payload; the decoder must end idle. */
export function decodeChunks(chunks: Buffer[], options?: FrameDecoderOptions): Frame[] {
  const decoder = new FrameDecoder(options);
  const frames: Frame[] = [];
  for (const chunk of chunks) decoder.push(chunk, (f) => frames.push({ type: f.type, stream: f.stream, payload: Buffer.from(f.payload) }));
  assert.ok(decoder.idle, 'decoder ends on a frame boundary');
  return frames;
}

/** Asserts `fn` throws the protocol's SandboxError with exactly `message`. */
export function expectProtocolError(fn: () => void, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SandboxError, 'a SandboxError');
    assert.equal(error.code, 'VSB_PROTOCOL');
    assert.equal(error.message, message);
    return true;
  });
}
