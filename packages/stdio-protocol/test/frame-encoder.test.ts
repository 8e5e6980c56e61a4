import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { decodeError, decodeExit, decodeSignal, decodeWinsize, encodeFrame, encodeHeader, encodeWinsize, FrameType, MAX_PAYLOAD, writeFrame } from '../src';
import { decodeChunks, expectProtocolError } from './helpers/decode-chunks';

describe('stdio protocol encoder limits and writeFrame', () => {
  it('refuses payloads above the maximum and unknown types', () => {
    assert.throws(() => encodeFrame(FrameType.STDOUT, Buffer.alloc(MAX_PAYLOAD + 1)), RangeError);
    assert.throws(() => encodeHeader(42 as FrameType, 0), RangeError);
    assert.throws(() => encodeWinsize(70000, 1), RangeError);
  });

  it('rejects EXIT/WINSIZE/SIGNAL payloads of the wrong length', () => {
    expectProtocolError(() => decodeExit(Buffer.alloc(4)), 'EXIT payload of 4 bytes, expected 8');
    expectProtocolError(() => decodeWinsize(Buffer.alloc(5)), 'WINSIZE payload of 5 bytes, expected 4');
    expectProtocolError(() => decodeSignal(Buffer.alloc(0)), 'SIGNAL payload of 0 bytes, expected 4');
  });

  it('keeps ERROR messages on one line', () => {
    assert.equal(decodeError(Buffer.from('bad\nthing\x1b[31m \r\n')), 'bad thing [31m');
  });

  it("writes big payloads as header + the caller's own bytes, split at the maximum", () => {
    const written: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 1 << 30,
      write(chunk: Buffer, _e, cb) {
        written.push(chunk);
        cb();
      },
    });
    const data = Buffer.alloc(MAX_PAYLOAD * 2 + 10, 7);
    assert.equal(writeFrame(sink, FrameType.STDIN, data), true);
    assert.equal(written.length, 6);
    assert.deepEqual(
      written.filter((_, i) => i % 2 === 0).map((h) => h.toString('hex')),
      ['0100000000040000', '0100000000040000', '010000000000000a'],
    );
    // On a stream, each header says so.
    written.length = 0;
    writeFrame(sink, FrameType.STDIN, data, 5);
    assert.deepEqual(
      written.filter((_, i) => i % 2 === 0).map((h) => h.toString('hex')),
      ['0100000500040000', '0100000500040000', '010000050000000a'],
    );
    for (const payload of written.filter((_, i) => i % 2 === 1)) assert.equal(payload.buffer, data.buffer, 'not copied');
    const frames = decodeChunks(written);
    assert.ok(Buffer.concat(frames.map((f) => f.payload)).equals(data));
    // Small payloads go out joined, in one write.
    written.length = 0;
    writeFrame(sink, FrameType.STDIN, Buffer.from('hi\n'));
    assert.deepEqual(
      written.map((b) => b.toString('hex')),
      ['010000000000000368690a'],
    );
  });
});
