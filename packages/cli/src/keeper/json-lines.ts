import type { Socket } from 'node:net';

/** Longest line taken from a peer: requests and the config of a run are far smaller. */
const MAX_LINE = 16 * 1024 * 1024;

/**
 * Newline-delimited JSON over a stream socket, both ways: the link between `vsb run --detach` and
 * the keeper it starts, and the keeper's control socket. Node's JSON keeps lone surrogates
 * (`\udc80`), so lossless text (arguments, environment) crosses unchanged.
 */
export class JsonLines {
  private buffered = '';
  private readonly listeners: Array<(message: unknown) => void> = [];

  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => this.receive(text));
    socket.on('error', () => undefined);
  }

  /** Calls `listener` with every message that arrives, in order. */
  onMessage(listener: (message: unknown) => void): void {
    this.listeners.push(listener);
  }

  /** Calls `listener` once the peer is gone (or the socket failed). */
  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }

  /** The next message (for a peer that sends one request). Rejects when the peer goes first. */
  next(): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const onClose = () => reject(new Error('the peer closed the connection'));
      this.socket.once('close', onClose);
      const listener = (message: unknown) => {
        this.listeners.splice(this.listeners.indexOf(listener), 1);
        this.socket.removeListener('close', onClose);
        resolve(message);
      };
      this.listeners.push(listener);
    });
  }

  send(message: unknown): void {
    if (!this.socket.destroyed) this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** Sends a last message, if any, and closes our side; resolves once it was handed to the kernel. */
  end(message?: unknown): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.end(message === undefined ? '' : `${JSON.stringify(message)}\n`, () => resolve());
    });
  }

  private receive(text: string): void {
    this.buffered += text;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      for (const listener of [...this.listeners]) listener(message);
    }
    if (this.buffered.length > MAX_LINE) this.socket.destroy();
  }
}
