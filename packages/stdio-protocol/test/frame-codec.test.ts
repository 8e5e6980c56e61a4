import assert from 'node:assert/strict';
import {
  decodeAck,
  decodeError,
  decodeExit,
  decodeSignal,
  decodeWinsize,
  encodeAck,
  encodeError,
  encodeExec,
  encodeExit,
  encodeFrame,
  encodeHeader,
  encodeQuit,
  encodeSignal,
  encodeStart,
  encodeStarted,
  encodeStdin,
  encodeStdioFds,
  encodeWinsize,
  FrameDecoder,
  FrameType,
  MAX_PAYLOAD,
  OUTPUT_WINDOW,
  STDIN_WINDOW,
  SYNC_ACK,
  SYNC_REQUEST,
  type Frame,
} from '../src';
import { decodeChunks, expectProtocolError } from './helpers/decode-chunks';
import { generatePayload, loadVectors } from './helpers/vectors';

const vectors = loadVectors();
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

/** The frames as the vectors list them. */
function merge(frames: Frame[]): Array<{ type: number; stream: number; payloadHex: string }> {
  return frames.map((f) => ({ type: f.type, stream: f.stream, payloadHex: f.payload.toString('hex') }));
}

describe('stdio protocol codec (docs/protocol-vectors.json)', () => {
  it("speaks the vectors' version, limits and handshake bytes", () => {
    assert.equal(vectors.version, 2);
    assert.equal(MAX_PAYLOAD, vectors.maxPayload);
    assert.equal(STDIN_WINDOW, vectors.stdinWindow);
    assert.equal(OUTPUT_WINDOW, vectors.outputWindow);
    assert.equal(SYNC_REQUEST, hex(vectors.syncRequest)[0]);
    assert.equal(SYNC_ACK, hex(vectors.syncAck)[0]);
  });

  describe('frames', () => {
    for (const v of vectors.frames.filter((f) => f.frameHex !== undefined)) {
      const payload = hex(v.payloadHex ?? '');
      const frame = hex(v.frameHex!);

      it(`encodes "${v.name}"`, () => {
        const id = v.stream ?? 0;
        assert.equal(encodeFrame(v.type as FrameType, payload, id).toString('hex'), v.frameHex);
        const fields = v.fields as Record<string, number> & { message?: string; argsHex?: string[]; env?: string[]; cwd?: string };
        let typed: Buffer | undefined;
        switch (v.type) {
          case FrameType.STDIN:
            typed = encodeStdin(payload, id);
            break;
          case FrameType.EXIT:
            typed = encodeExit(fields.code!, fields.signal!, id);
            break;
          case FrameType.QUIT:
            typed = encodeQuit();
            break;
          case FrameType.WINSIZE:
            typed = encodeWinsize(fields.rows!, fields.cols!, id);
            break;
          case FrameType.SIGNAL:
            typed = encodeSignal(fields.signo!, id);
            break;
          case FrameType.START:
            typed = encodeStart();
            break;
          case FrameType.STARTED:
            typed = encodeStarted(id);
            break;
          case FrameType.ERROR:
            typed = encodeError(fields.message!, id);
            break;
          case FrameType.STDIO_FDS:
            typed = encodeStdioFds(payload[0]!, id);
            break;
          case FrameType.ACK:
            typed = encodeAck(fields.bytes!, id);
            break;
          case FrameType.EXEC:
            typed = encodeExec(
              {
                argv: fields.argsHex!.map(hex),
                env: fields.env!.map((e) => Buffer.from(e)),
                cwd: Buffer.from(fields.cwd!),
                tty: fields.tty === 1,
                rows: fields.rows,
                cols: fields.cols,
              },
              id,
            );
            break;
        }
        if (typed) assert.equal(typed.toString('hex'), v.frameHex);
      });

      it(`decodes "${v.name}", whole and split at every offset`, () => {
        for (let cut = 0; cut <= frame.length; cut++) {
          const frames = decodeChunks([frame.subarray(0, cut), frame.subarray(cut)]);
          assert.deepEqual(merge(frames), [{ type: v.type, stream: v.stream ?? 0, payloadHex: payload.toString('hex') }], `cut at ${cut}`);
        }
        const [decoded] = new FrameDecoder().decodeAll(frame);
        const fields = v.fields as Record<string, number | string>;
        switch (v.type) {
          case FrameType.EXIT:
            assert.deepEqual(decodeExit(decoded!.payload), fields.signal ? { signal: fields.signal } : { code: fields.code });
            break;
          case FrameType.WINSIZE:
            assert.deepEqual(decodeWinsize(decoded!.payload), fields);
            break;
          case FrameType.SIGNAL:
            assert.equal(decodeSignal(decoded!.payload), fields.signo);
            break;
          case FrameType.ERROR:
            assert.equal(decodeError(decoded!.payload), fields.message);
            break;
          case FrameType.ACK:
            assert.equal(decodeAck(decoded!.payload), fields.bytes);
            break;
          case FrameType.EXEC:
            break;
          default:
            assert.deepEqual(fields, {});
        }
      });
    }

    const max = vectors.frames.find((f) => f.payloadGen)!;
    it(`encodes and decodes "${max.name}"`, () => {
      const payload = generatePayload(max.payloadGen!);
      assert.equal(payload.length, MAX_PAYLOAD);
      assert.equal(encodeHeader(max.type as FrameType, payload.length).toString('hex'), max.headerHex);
      const frame = encodeFrame(max.type as FrameType, payload);
      assert.equal(frame.subarray(0, 8).toString('hex'), max.headerHex);
      // Whole: the payload is a view into the input, not a copy.
      const [whole] = new FrameDecoder().decodeAll(frame);
      assert.equal(whole!.payload.buffer, frame.buffer);
      assert.ok(whole!.payload.equals(payload));
      for (const size of [1, 7, 8, 9, 4096, 65536, 100_000, MAX_PAYLOAD + 7]) {
        const chunks: Buffer[] = [];
        for (let at = 0; at < frame.length; at += size) chunks.push(frame.subarray(at, at + size));
        // Reassembled (non-streamed decoding): one frame, byte-exact.
        const frames = decodeChunks(chunks);
        assert.equal(frames.length, 1, `chunks of ${size}`);
        assert.ok(frames[0]!.payload.equals(payload));
        // Streamed: several pieces, each a view into its own chunk, together the payload.
        const pieces: Frame[] = [];
        const decoder = new FrameDecoder({ streamTypes: [FrameType.STDOUT] });
        for (const chunk of chunks) {
          decoder.push(chunk, (f) => {
            assert.equal(f.payload.buffer, chunk.buffer, 'streamed pieces are subarrays');
            pieces.push(f);
          });
        }
        assert.ok(pieces.every((p) => p.type === FrameType.STDOUT));
        assert.ok(Buffer.concat(pieces.map((p) => p.payload)).equals(payload));
      }
    });
  });

  describe('stream', () => {
    const stream = hex(vectors.stream.hex);
    it(`decodes "${vectors.stream.name}" whole`, () => {
      assert.deepEqual(merge(decodeChunks([stream])), vectors.stream.decoded);
    });
    it('decodes it split at every byte offset', () => {
      for (let cut = 0; cut <= stream.length; cut++) {
        assert.deepEqual(merge(decodeChunks([stream.subarray(0, cut), stream.subarray(cut)])), vectors.stream.decoded, `cut at ${cut}`);
      }
    });
    it('decodes it split at every pair of offsets and byte by byte', () => {
      for (let a = 0; a <= stream.length; a++) {
        for (let b = a; b <= stream.length; b++) {
          const chunks = [stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)];
          assert.deepEqual(merge(decodeChunks(chunks)), vectors.stream.decoded, `cuts at ${a}, ${b}`);
        }
      }
      const bytes = [...stream].map((byte) => Buffer.from([byte]));
      assert.deepEqual(merge(decodeChunks(bytes)), vectors.stream.decoded);
    });
    it('never streams an empty piece (a STDIN piece of none would be EOF), wherever a chunk ends', () => {
      const frame = encodeStdin(Buffer.from('data'), 3);
      for (let cut = 0; cut <= frame.length; cut++) {
        const pieces = decodeChunks([frame.subarray(0, cut), frame.subarray(cut)], { streamTypes: [FrameType.STDIN] });
        assert.ok(
          pieces.every((p) => p.payload.length > 0),
          `an empty piece when cut at ${cut}`,
        );
        assert.equal(Buffer.concat(pieces.map((p) => p.payload)).toString(), 'data');
      }
    });

    it('streams STDOUT/STDERR pieces that join to the same bytes, split at every offset', () => {
      for (let cut = 0; cut <= stream.length; cut++) {
        const frames = decodeChunks([stream.subarray(0, cut), stream.subarray(cut)], { streamTypes: [FrameType.STDOUT, FrameType.STDERR] });
        const joined: Array<{ type: number; stream: number; payloadHex: string }> = [];
        for (const f of frames) {
          const last = joined[joined.length - 1];
          if (last && last.type === f.type && last.stream === f.stream && f.type !== FrameType.EXIT) last.payloadHex += f.payload.toString('hex');
          else joined.push({ type: f.type, stream: f.stream, payloadHex: f.payload.toString('hex') });
        }
        assert.deepEqual(joined, vectors.stream.decoded, `cut at ${cut}`);
      }
    });
  });

  describe('invalid', () => {
    for (const v of vectors.invalid) {
      it(`rejects "${v.name}" with "${v.error}", whole and split anywhere`, () => {
        const bytes = hex(v.hex);
        expectProtocolError(() => new FrameDecoder().decodeAll(bytes), v.error);
        for (let cut = 0; cut <= bytes.length; cut++) {
          const decoder = new FrameDecoder();
          expectProtocolError(() => {
            decoder.push(bytes.subarray(0, cut), () => assert.fail('no frame'));
            decoder.push(bytes.subarray(cut), () => assert.fail('no frame'));
          }, v.error);
        }
      });

      it(`delivers the frames before "${v.name}", then stops for good`, () => {
        const decoder = new FrameDecoder();
        const frames: Frame[] = [];
        expectProtocolError(() => decoder.push(Buffer.concat([hex(vectors.stream.hex), hex(v.hex)]), (f) => frames.push(f)), v.error);
        assert.equal(frames.length, vectors.stream.decoded.length);
        assert.equal(decoder.error?.message, v.error);
        expectProtocolError(() => decoder.push(encodeQuit(), () => assert.fail('no frame after an error')), v.error);
      });
    }
  });
});
