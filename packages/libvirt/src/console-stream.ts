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

  /** Opens the console `devname` (or the domain's first one) of a native domain handle. */
  static async open(domain: NativeDomainHandle, devname?: string): Promise<ConsoleStream> {
    const stream = new ConsoleStream();
    const handle = await domain.openConsole(devname, () => stream.onReadiness());
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
    handle.abort().then(() => callback(error), () => callback(error));
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

  /** Moves what libvirt has received into the readable side until it runs dry or the consumer is full. */
  private pump(): void {
    const handle = this.handle;
    if (handle === undefined) return;
    while (this.wantsData) {
      const buf = this.spare ?? Buffer.allocUnsafeSlow(READ_CHUNK);
      let n: number;
      try {
        n = handle.recv(buf);
      } catch (e) {
        this.destroy(e as Error);
        return;
      }
      if (n === -2) { // nothing yet: the native side re-armed readiness
        this.spare = buf;
        return;
      }
      if (n === 0) {
        this.endOfConsole();
        return;
      }
      let chunk: Buffer;
      if (n < COPY_BELOW) {
        chunk = Buffer.from(buf.subarray(0, n));
        this.spare = buf;
      } else {
        chunk = buf.subarray(0, n); // handed over without a copy
        this.spare = undefined;
      }
      this.wantsData = this.push(chunk);
    }
  }

  private endOfConsole(): void {
    const handle = this.detach();
    this.push(null);
    handle?.finish().catch(() => { /* all data arrived; a failing finish changes nothing */ });
  }

  private sendFrom(chunk: Buffer, offset: number, callback: (error?: Error | null) => void): void {
    const handle = this.handle;
    if (handle === undefined) {
      callback(new LibvirtError('console stream is closed', LibvirtErrorCode.INVALID_STREAM, 0));
      return;
    }
    try {
      while (offset < chunk.length) {
        const n = handle.send(chunk.subarray(offset, offset + SEND_SLICE));
        if (n === -2) { // libvirt's queue is full: retry shortly
          setTimeout(() => this.sendFrom(chunk, offset, callback), 1);
          return;
        }
        offset += n;
      }
    } catch (e) {
      callback(e as Error);
      return;
    }
    callback();
  }
}
