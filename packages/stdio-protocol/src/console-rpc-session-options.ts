import type { Duplex } from 'node:stream';
import type { DescriptorSender } from './session-streams';

/** Options of `ConsoleRpcSession.open`. */
export interface ConsoleRpcSessionOptions {
  /** The process runs on a pty: WINSIZE is sent before START and stdin bytes pass through unchanged. */
  readonly tty: boolean;
  /** Terminal rows sent before START in tty mode (default: those of `stdio.stdout` when it is a terminal, else 24). */
  readonly rows?: number;
  /** Terminal columns sent before START in tty mode (default: those of `stdio.stdout` when it is a terminal, else 80). */
  readonly cols?: number;
  /** See {@link HandshakeOptions.timeoutMs}. */
  readonly handshakeTimeoutMs?: number;
  /** See {@link HandshakeOptions.intervalMs}. */
  readonly handshakeIntervalMs?: number;
  /** Aborts the handshake (the session itself is ended with its `close`). */
  readonly signal?: AbortSignal;
  /**
   * Runs after the handshake, before WINSIZE and START, once everything written so far has left
   * (e.g. socket-rpc sending the host's stdio descriptors); a failure fails `open`.
   */
  readonly beforeStart?: (console: Duplex) => void | Promise<void>;
  /** Streams the process reads and writes itself (socket-rpc's STDIO_FDS mask: stdin 1, stdout 2, stderr 4): not relayed, so not counted. */
  readonly handedOver?: number;
  /** Sends a frame with descriptors attached (socket-rpc), for the session's `streams`. */
  readonly descriptors?: DescriptorSender;
  /** false: no handshake, the stream is a fresh socket to another vsb process (`vsb exec` to the keeper). */
  readonly handshake?: boolean;
  /** The protocol stream of this session's process (default 0, the app). */
  readonly stream?: number;
  /** What starts the process instead of WINSIZE (tty mode) and START: an EXEC frame. */
  readonly start?: Buffer;
  /** Put before the guest's ERROR message (default `guest: `). */
  readonly errorPrefix?: string;
}
