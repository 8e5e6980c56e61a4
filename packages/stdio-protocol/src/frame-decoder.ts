import { SandboxError } from '@vsb/core';
import { FIXED_LENGTH, FrameType, HEADER_SIZE, MAX_PAYLOAD, isFrameType } from './frame-type';

/** One decoded frame (or, for a streamed type, one piece of a frame's payload). */
export interface Frame {
  readonly type: FrameType;
  /** The stream: 0 for the app, else the process the host started with EXEC on it. */
  readonly stream: number;
  /**
   * The payload. When the whole frame sat in one input chunk this is a subarray of that chunk (no
   * copy); the receiver must not keep it past the chunk's life if the producer reuses buffers.
   */
  readonly payload: Buffer;
}

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /**
   * Types whose payload is a plain byte stream (STDOUT, STDERR): a frame of such a type that spans
   * input chunks is delivered as several frames of the same type, one per chunk, each a subarray of
   * its chunk, so big output is passed on without ever being copied or reassembled. Frame
   * boundaries of these types carry no meaning in the protocol, so nothing is lost.
   */
  readonly streamTypes?: readonly FrameType[];
}

const EMPTY = Buffer.alloc(0);

/**
 * Streaming decoder of the stdio protocol's frames: feed it the byte stream in chunks split
 * anywhere, it calls back with every complete frame in order. A frame of unknown type, a length
 * above {@link MAX_PAYLOAD} or not the one its type has, START or QUIT on a stream, EXEC on stream 0
 * is a protocol error (a `SandboxError` with code `VSB_PROTOCOL` and the vectors' exact message);
 * after one the decoder refuses all input, as the protocol says the receiver stops.
 */
export class FrameDecoder {
  private readonly header = Buffer.alloc(HEADER_SIZE);
  private headerFill = 0;
  /** True while the bytes coming in belong to the payload of `type`. */
  private inPayload = false;
  private type: FrameType = 1;
  private stream = 0;
  private remaining = 0;
  /** Reassembly buffer of a non-streamed frame that spans chunks. */
  private assembly: Buffer | undefined;
  private assemblyFill = 0;
  private failure: SandboxError | undefined;
  private readonly streamTypes: ReadonlySet<number>;

  constructor(options: FrameDecoderOptions = {}) {
    this.streamTypes = new Set(options.streamTypes ?? []);
  }

  /** True when the input so far ended on a frame boundary (nothing half-received). */
  get idle(): boolean {
    return !this.inPayload && this.headerFill === 0;
  }

  /** The protocol error that stopped this decoder, if any. */
  get error(): SandboxError | undefined {
    return this.failure;
  }

  /**
   * Decodes one chunk, calling `onFrame` synchronously for each frame it completes. Frames before an
   * invalid header are delivered, then the error is thrown. `onFrame` must not throw.
   */
  push(chunk: Buffer, onFrame: (frame: Frame) => void): void {
    if (this.failure) throw this.failure;
    let offset = 0;
    const end = chunk.length;
    while (offset < end) {
      if (!this.inPayload) {
        let length: number;
        if (this.headerFill === 0 && end - offset >= HEADER_SIZE) {
          length = this.parseHeader(chunk, offset);
          offset += HEADER_SIZE;
        } else {
          const take = Math.min(HEADER_SIZE - this.headerFill, end - offset);
          chunk.copy(this.header, this.headerFill, offset, offset + take);
          this.headerFill += take;
          offset += take;
          if (this.headerFill < HEADER_SIZE) return;
          this.headerFill = 0;
          length = this.parseHeader(this.header, 0);
        }
        if (length === 0) {
          onFrame({ type: this.type, stream: this.stream, payload: EMPTY });
          continue;
        }
        this.inPayload = true;
        this.remaining = length;
      }
      const available = end - offset;
      // A header that ended the chunk: its payload comes with the next one (an empty piece here
      // would read as an empty frame, which for STDIN is EOF).
      if (available === 0) return;
      if (this.assembly === undefined && (available >= this.remaining || this.streamTypes.has(this.type))) {
        const take = Math.min(available, this.remaining);
        const payload = chunk.subarray(offset, offset + take);
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.inPayload = false;
        onFrame({ type: this.type, stream: this.stream, payload });
        continue;
      }
      if (this.assembly === undefined) {
        this.assembly = Buffer.allocUnsafe(this.remaining);
        this.assemblyFill = 0;
      }
      const take = Math.min(available, this.remaining);
      chunk.copy(this.assembly, this.assemblyFill, offset, offset + take);
      this.assemblyFill += take;
      offset += take;
      this.remaining -= take;
      if (this.remaining === 0) {
        const payload = this.assembly;
        this.assembly = undefined;
        this.inPayload = false;
        onFrame({ type: this.type, stream: this.stream, payload });
      }
    }
  }

  /** Decodes a complete buffer into its frames (tests, small messages). */
  decodeAll(buffer: Buffer): Frame[] {
    const frames: Frame[] = [];
    this.push(buffer, (frame) => frames.push(frame));
    return frames;
  }

  private parseHeader(buffer: Buffer, at: number): number {
    const type = buffer[at]!;
    if (!isFrameType(type)) throw this.fail(`unknown frame type ${type}`);
    const stream = buffer.readUIntBE(at + 1, 3);
    if (stream !== 0 && (type === FrameType.START || type === FrameType.QUIT)) throw this.fail(`frame type ${type} is for stream 0 only`);
    if (stream === 0 && type === FrameType.EXEC) throw this.fail(`frame type ${type} needs a stream other than 0`);
    const length = buffer.readUInt32BE(at + 4);
    if (length > MAX_PAYLOAD) throw this.fail(`frame length ${length} exceeds ${MAX_PAYLOAD}`);
    const fixed = FIXED_LENGTH[type];
    if (fixed !== undefined && length !== fixed) throw this.fail(`frame type ${type} needs payload length ${fixed}, got ${length}`);
    this.type = type;
    this.stream = stream;
    return length;
  }

  private fail(message: string): SandboxError {
    this.failure = new SandboxError('VSB_PROTOCOL', message);
    return this.failure;
  }
}
