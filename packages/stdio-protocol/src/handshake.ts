import type { Duplex } from 'node:stream';
import { SandboxError } from '@vsb/core';
import { SYNC_ACK, SYNC_REQUEST } from './frame-type';

/** Options of {@link Handshake}. */
export interface HandshakeOptions {
  /** How often SYNC-REQ is repeated, in ms (50 by the protocol). */
  readonly intervalMs?: number;
  /**
   * How long to wait for the guest's SYNC-ACK, in ms (default 60 s: a VM without KVM boots slowly).
   * 0 waits forever.
   */
  readonly timeoutMs?: number;
  /** Aborts the wait (e.g. Ctrl-C while the guest boots). */
  readonly signal?: AbortSignal;
}

/** Default of {@link HandshakeOptions.timeoutMs}. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 60_000;

const REQUEST = Buffer.from([SYNC_REQUEST]);
const ACK = Buffer.from([SYNC_ACK]);

/**
 * The host side of the protocol's handshake, which makes sure nothing is lost however late either
 * side opens the console: write 0x1B every 50 ms until a 0x1C arrives, discard every byte before it
 * (a tty echoes until the guest made it raw), then write 0x1C. From then on the stream carries frames.
 */
export class Handshake {
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly signal: AbortSignal | undefined;

  constructor(options: HandshakeOptions = {}) {
    this.intervalMs = options.intervalMs ?? 50;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    this.signal = options.signal;
  }

  /**
   * Runs the handshake on `stream`. Resolves with the bytes that followed the guest's 0x1C in the
   * same chunk (the start of the frame stream, usually empty), after writing the host's 0x1C; the
   * stream is then paused and carries no listener of ours. Rejects with a `SandboxError` (code
   * `VSB_GUEST`) on timeout, abort or when the stream ends first.
   */
  run(stream: Duplex): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let ticker: NodeJS.Timeout | undefined;
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        if (ticker) clearInterval(ticker);
        stream.removeListener('data', onData);
        stream.removeListener('end', onEnd);
        stream.removeListener('close', onEnd);
        stream.removeListener('error', onError);
        this.signal?.removeEventListener('abort', onAbort);
        stream.pause();
      };
      const fail = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const onData = (chunk: Buffer): void => {
        const at = chunk.indexOf(SYNC_ACK);
        if (at < 0) return;
        cleanup();
        stream.write(ACK);
        resolve(chunk.subarray(at + 1));
      };
      const onEnd = (): void => fail(new SandboxError('VSB_GUEST', 'the sandbox ended before its init answered on the console'));
      const onError = (error: Error): void =>
        fail(new SandboxError('VSB_LIBVIRT', `console stream failed during the handshake: ${error.message}`, [], { cause: error }));
      const onAbort = (): void => fail(new SandboxError('VSB_GUEST', 'interrupted while waiting for the sandbox to start'));
      const request = (): void => {
        // A guest that does not read yet must not make us queue bytes without bound.
        if (!stream.writableNeedDrain) stream.write(REQUEST);
      };

      if (this.signal?.aborted) return onAbort();
      if (stream.readableEnded || stream.destroyed) return onEnd();
      stream.on('data', onData);
      stream.once('end', onEnd);
      stream.once('close', onEnd);
      stream.on('error', onError);
      this.signal?.addEventListener('abort', onAbort, { once: true });
      if (this.timeoutMs > 0) {
        timer = setTimeout(() => {
          const seconds = this.timeoutMs / 1000;
          fail(
            new SandboxError('VSB_GUEST', `the sandbox's init did not answer on its console within ${seconds} s`, [
              'the guest may still be booting: raise the handshake timeout, or look at the sandbox log console',
            ]),
          );
        }, this.timeoutMs);
      }
      ticker = setInterval(request, this.intervalMs);
      request();
      stream.resume();
    });
  }
}
