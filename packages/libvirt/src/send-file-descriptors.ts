import type net from 'node:net';
import { loadNativeBinding } from './native-binding';

/**
 * Writes `data` on a connected unix socket with the descriptors `fds` attached (SCM_RIGHTS): the
 * receiver gets its own copies of the same open files. Node cannot send descriptors on a socket
 * itself (only its IPC channel can, in its own framing); a local sandbox's init takes the host's
 * stdio this way. The socket must have no write of its own pending, or `data` would overtake it;
 * throws when `data` could not be sent whole at once (the stream is then broken).
 */
export function sendFileDescriptors(socket: net.Socket, data: Uint8Array, fds: readonly number[]): void {
  if (socket.writableLength > 0) throw new Error('sendFileDescriptors: the socket still has writes queued');
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) throw new Error('sendFileDescriptors: the socket has no file descriptor');
  const sent = loadNativeBinding().sendFds(fd, data, fds);
  if (sent !== data.length) throw new Error(`sendFileDescriptors: only ${sent} of ${data.length} bytes went out`);
}
