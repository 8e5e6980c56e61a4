import net from 'node:net';
import { SandboxError, type ChannelEndpoint } from '@vsb/core';

/**
 * The host end of a socket channel: listens on a unix socket in the sandbox's state dir before the
 * domain starts, so the guest init can connect whenever it is ready (even before `accept` is
 * called), and hands out that one connection. Closing it stops listening.
 */
export class SocketListener implements ChannelEndpoint {
  /** The guest's connection, kept from the moment it arrives. */
  private readonly connected: Promise<net.Socket>;

  private constructor(private readonly server: net.Server) {
    this.connected = new Promise<net.Socket>((resolve) => {
      server.once('connection', (socket) => {
        // One connection per run: nobody else may speak for the guest.
        this.close();
        resolve(socket);
      });
    });
  }

  /** Listens on `path` (which must not exist). */
  static async listen(path: string): Promise<SocketListener> {
    // Paused: no byte is read before the session listens.
    const server = net.createServer({ pauseOnConnect: true });
    const listener = new SocketListener(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    return listener;
  }

  /**
   * The guest's connection, or a `VSB_GUEST` error when none came within `timeoutMs` or `signal`
   * aborted (the domain stopped first).
   */
  accept(options: { timeoutMs: number; signal?: AbortSignal }): Promise<net.Socket> {
    return new Promise<net.Socket>((resolve, reject) => {
      const fail = (message: string): void => {
        done();
        reject(new SandboxError('VSB_GUEST', message));
        // A connection that comes after all has nobody to serve it.
        void this.connected.then((socket) => socket.destroy());
      };
      const onAbort = (): void => fail('the sandbox ended before its init connected');
      const timer = setTimeout(() => fail(`the sandbox's init did not connect within ${options.timeoutMs / 1000} s`), options.timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      void this.connected.then((socket) => {
        done();
        resolve(socket);
      });
    });
  }

  close(): void {
    if (this.server.listening) this.server.close();
  }
}
