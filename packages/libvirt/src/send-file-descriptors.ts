import type net from 'node:net';
import { loadFdsBinding } from './fds-binding';

/** The descriptor of a connected net.Socket (Node keeps it on its handle). */
export function socketFd(socket: net.Socket): number {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('the socket has no file descriptor');
  return fd;
}

/**
 * Writes `data` on a connected unix socket with the descriptors `fds` attached (SCM_RIGHTS): the
 * receiver gets its own copies of the same open files. Node cannot send descriptors on a socket
 * itself (only its IPC channel can, in its own framing); a local sandbox's init takes the host's
 * stdio this way. The socket must have no write of its own pending, or `data` would overtake it;
 * throws when `data` could not be sent whole at once (the stream is then broken).
 */
export function sendFileDescriptors(socket: net.Socket, data: Uint8Array, fds: readonly number[]): void {
  if (socket.writableLength > 0) throw new Error('sendFileDescriptors: the socket still has writes queued');
  const sent = loadFdsBinding().sendFds(socketFd(socket), data, fds);
  if (sent !== data.length) throw new Error(`sendFileDescriptors: only ${sent} of ${data.length} bytes went out`);
}

/**
 * The first bytes a unix socket receives and the descriptors sent with them, read before Node
 * reads the socket (which would lose the descriptors): the socket must come paused from its
 * server (`pauseOnConnect`). Rejects (errno ETIMEDOUT) when nothing came within `timeoutMs`, or
 * `signal` aborted (ECANCELED); an empty `data` is the peer's EOF. Resume the socket afterwards
 * for the rest. The wait is on Node's own event loop: no thread is held.
 */
export function receiveFileDescriptors(
  socket: net.Socket,
  maxBytes: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<{ data: Buffer; fds: number[] }> {
  const { promise, cancel } = loadFdsBinding().recvFds(socketFd(socket), maxBytes, timeoutMs);
  if (signal?.aborted) cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  return promise.finally(() => signal?.removeEventListener('abort', cancel));
}
