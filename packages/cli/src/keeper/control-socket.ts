import net from 'node:net';
import path from 'node:path';
import { JsonLines } from './json-lines';

/** The keeper's control socket in the state dir. */
export const CONTROL_SOCKET = 'keeper.sock';

/**
 * A request to the keeper: the first line of a connection. `stop` ends the sandbox (SIGTERM to
 * the app, destroy after `graceMs`) and is answered once everything is removed. Requests to come
 * (`exec`, `attach`) take the connection over after their first line for the stdio protocol.
 */
export type ControlRequest = { readonly op: 'stop'; readonly graceMs: number };

/** The keeper's answer: one line, then it closes the connection. */
export type ControlReply = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * The keeper's end: a unix socket in the state dir that only its owner may connect to (made
 * under umask 077: the state dir itself is 0755, for the guest); each connection's first line is
 * a request, `handle`'s answer goes back and the connection closes.
 */
export class ControlServer {
  private readonly idle = new Set<net.Socket>();
  private readonly answering = new Set<Promise<void>>();

  private constructor(private readonly server: net.Server) {}

  static async listen(stateDir: string, handle: (request: ControlRequest) => Promise<ControlReply>): Promise<ControlServer> {
    const server = net.createServer();
    const control = new ControlServer(server);
    server.on('connection', (socket) => control.serve(socket, handle));
    const umask = process.umask(0o077);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path.join(stateDir, CONTROL_SOCKET), () => resolve());
      });
    } finally {
      process.umask(umask);
    }
    // Referenced: a `--keep` sandbox whose app ended has nothing else keeping its keeper alive.
    return control;
  }

  /** Stops listening, drops connections that sent no request, and resolves once every answer is sent. */
  async close(): Promise<void> {
    this.server.close();
    for (const socket of this.idle) socket.destroy();
    await Promise.all(this.answering);
  }

  private serve(socket: net.Socket, handle: (request: ControlRequest) => Promise<ControlReply>): void {
    this.idle.add(socket);
    socket.once('close', () => this.idle.delete(socket));
    const lines = new JsonLines(socket);
    lines.next().then((message) => {
      this.idle.delete(socket);
      const answer = (async () => {
        const reply: ControlReply = isRequest(message) ? await handle(message) : { ok: false, error: `not a request: ${JSON.stringify(message)}` };
        await lines.end(reply);
      })();
      this.answering.add(answer);
      void answer.finally(() => this.answering.delete(answer));
    }, () => socket.destroy());
  }
}

/**
 * Sends one request to the keeper of `stateDir` and resolves with its answer; rejects when there
 * is no keeper to connect to, or it went away without answering (with the socket error's code).
 */
export function controlRequest(stateDir: string, request: ControlRequest): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(path.join(stateDir, CONTROL_SOCKET));
    socket.once('error', reject);
    socket.once('connect', () => {
      const lines = new JsonLines(socket);
      lines.next().then((reply) => {
        socket.destroy();
        resolve(reply as ControlReply);
      }, reject);
      lines.send(request);
    });
  });
}

function isRequest(message: unknown): message is ControlRequest {
  const m = message as Partial<ControlRequest> | null;
  return m?.op === 'stop' && typeof m.graceMs === 'number' && m.graceMs >= 0;
}
