import { Duplex } from 'node:stream';
import { LibvirtError, LibvirtErrorCode } from './libvirt-error';
import type { NativeDomainHandle, NativeStreamHandle } from './native-binding';

/** Bytes asked from libvirt per read: big reads keep per-chunk costs low at tens of MB/s. */
const READ_CHUNK = 256 * 1024;
/** Reads smaller than this are copied into a right-sized Buffer and the big one is reused. */
const COPY_BELOW = 32 * 1024;
/** Largest packet handed to virStreamSend (libvirt's RPC payload limit is 256 KiB). */
const SEND_SLICE = 128 * 1024;
/** Readable buffering before backpressure pauses libvirt reads. */
const HIGH_WATER_MARK = 1024 * 1024;

/**
 * A domain console as a Node Duplex: what the guest writes to its console is readable, what is
 * written here reaches the guest. Reads follow backpressure: when `push` says stop, libvirt's
 * readiness callback stays off until the consumer asks for more, so a slow reader never makes
 * bytes pile up in memory. It ends when the guest's console closes; `destroy()` aborts the stream.
 */
export class ConsoleStream extends Duplex {
  private handle: NativeStreamHandle | undefined;
  private wantsData = false;
  private spare: Buffer | undefined;
  private refed = true;

  private constructor() {
    super({ allowHalfOpen: false, readableHighWaterMark: HIGH_WATER_MARK, writableHighWaterMark: HIGH_WATER_MARK });
  }

  /** Opens the console `devname` (or the domain's first one), or the channel `devname`, of a native domain handle. */
  static async open(domain: NativeDomainHandle, devname?: string, channel = false): Promise<ConsoleStream> {
    const stream = new ConsoleStream();
    const handle = await domain.openConsole(devname, () => stream.onReadiness(), channel);
    stream.attach(handle);
    return stream;
  }

  /** Like `net.Socket#unref`: an idle console no longer keeps the process alive. */
  unref(): this {
    this.refed = false;
    this.handle?.setRef(false);
    return this;
  }

  /** Like `net.Socket#ref`: undoes {@link unref}. */
  ref(): this {
    this.refed = true;
    this.handle?.setRef(true);
    return this;
  }

  override _read(): void {
    this.wantsData = true;
    this.pump();
  }

  /** Completes once libvirt has written the bytes to its socket: a stalled guest stalls the writer. */
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendFrom(chunk, 0, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    callback(); // a console has no half-close: the guest side ends it
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const handle = this.detach();
    if (handle === undefined) {
      callback(error);
      return;
    }
    handle.abort().then(
      () => callback(error),
      () => callback(error),
    );
  }

  private attach(handle: NativeStreamHandle): void {
    this.handle = handle;
    handle.setRef(this.refed);
    if (this.wantsData) this.pump();
  }

  private detach(): NativeStreamHandle | undefined {
    const handle = this.handle;
    this.handle = undefined;
    this.wantsData = false;
    this.spare = undefined;
    handle?.setRef(false);
    return handle;
  }

  /** libvirt's event thread says data (or end, or an error) is there. */
  private onReadiness(): void {
    if (this.wantsData) this.pump();
  }

  /**
   * Moves what libvirt has received into the readable side until it runs dry or the consumer is
   * full. libvirt hands out one packet per recv (often ~4 KiB from a console), so packets are
   * gathered into one big Buffer per push: fewer, larger chunks and no per-packet allocation.
   */
  private pump(): void {
    const handle = this.handle;
    if (handle === undefined) return;
    while (this.wantsData) {
      const buf = this.spare ?? Buffer.allocUnsafeSlow(READ_CHUNK);
      this.spare = buf;
      let filled = 0;
      let n = 0;
      try {
        do {
          n = handle.recv(buf, filled);
          if (n > 0) filled += n;
        } while (n > 0 && filled < buf.length);
      } catch (e) {
        if (filled > 0) this.push(this.chunkOf(buf, filled));
        this.destroy(e as Error);
        return;
      }
      if (filled > 0) this.wantsData = this.push(this.chunkOf(buf, filled));
      if (n === 0) {
        this.endOfConsole();
        return;
      }
      if (n === -2) return; // drained: the native side re-armed readiness
    }
  }

  /** The first `n` bytes of `buf` as a chunk: small ones are copied so the big buffer is reused. */
  private chunkOf(buf: Buffer, n: number): Buffer {
    if (n < COPY_BELOW) return Buffer.from(buf.subarray(0, n));
    this.spare = undefined; // handed over without a copy
    return buf.subarray(0, n);
  }

  private endOfConsole(): void {
    const handle = this.detach();
    this.push(null);
    handle?.finish().catch(() => {
      /* all data arrived; a failing finish changes nothing */
    });
  }

  private sendFrom(chunk: Buffer, offset: number, callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    if (handle === undefined) {
      callback(new LibvirtError('console stream is closed', LibvirtErrorCode.INVALID_STREAM, 0));
      return;
    }
    if (offset >= chunk.length) {
      callback();
      return;
    }
    const slice = chunk.subarray(offset, offset + SEND_SLICE);
    handle.send(slice).then(
      (n) => this.sendFrom(chunk, offset + n, callback),
      (e: Error) => callback(e),
    );
  }
}
