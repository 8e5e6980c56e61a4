import net from 'node:net';
import path from 'node:path';
import { receiveFileDescriptors } from '@vsb/libvirt';
import { closeDescriptors } from './close-descriptors';
import { JsonLines } from './json-lines';

/** The keeper's control socket in the state dir. */
export const CONTROL_SOCKET = 'keeper.sock';

/** How long a connection may take to send its request line. */
const REQUEST_MS = 10_000;
/** The longest request line (requests are a few dozen bytes; the command of an exec comes as a frame). */
const MAX_REQUEST = 64 * 1024;

/**
 * A request to the keeper: the first line of a connection. `stop` ends the sandbox (SIGTERM to
 * the app, destroy after `graceMs`) and is answered once everything is removed. `exec` and
 * `attach` take the connection over: the stdio protocol follows the line (no handshake), for a
 * process `vsb exec` starts (its descriptors of `mask` came with the line) or for the app.
 */
export type ControlRequest = { readonly op: 'stop'; readonly graceMs: number } | { readonly op: 'exec'; readonly mask: number } | { readonly op: 'attach' };

/** The keeper's answer to a stop: one line, then it closes the connection. */
export type ControlReply = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** A connection an `exec` or `attach` took over: paused, with what came behind its request line. */
export interface StreamConnection {
  readonly socket: net.Socket;
  /** The descriptors that came with the request (SCM_RIGHTS), in the order sent. */
  readonly fds: readonly number[];
  /** The bytes after the request line: the first frames. */
  readonly rest: Buffer;
}

/** What the keeper does with each kind of request. */
export interface ControlHandlers {
  stop(request: Extract<ControlRequest, { op: 'stop' }>): Promise<ControlReply>;
  /** Owns the connection (and its descriptors) from here on. */
  stream(request: Extract<ControlRequest, { op: 'exec' | 'attach' }>, connection: StreamConnection): void;
}

/**
 * The keeper's end: a unix socket in the state dir that only its owner may connect to (made
 * under umask 077: the state dir itself is 0755, for the guest). A connection's first bytes are
 * read with the descriptors that may come with them, before Node reads the socket; its first line
 * is a request.
 */
export class ControlServer {
  private readonly idle = new Set<net.Socket>();
  private readonly answering = new Set<Promise<void>>();
  /** Aborts the reads of first bytes still waiting. */
  private readonly closing = new AbortController();

  private constructor(private readonly server: net.Server) {}

  static async listen(stateDir: string, handlers: ControlHandlers): Promise<ControlServer> {
    // Paused: nothing may read a connection before its descriptors are taken.
    const server = net.createServer({ pauseOnConnect: true });
    const control = new ControlServer(server);
    server.on('connection', (socket) => void control.serve(socket, handlers));
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
    this.closing.abort();
    this.server.close();
    for (const socket of this.idle) socket.destroy();
    await Promise.all(this.answering);
  }

  private async serve(socket: net.Socket, handlers: ControlHandlers): Promise<void> {
    socket.on('error', () => undefined);
    let first: { data: Buffer; fds: number[] };
    try {
      first = await receiveFileDescriptors(socket, MAX_REQUEST, REQUEST_MS, this.closing.signal);
    } catch {
      socket.destroy();
      return;
    }
    const drop = (): void => {
      closeDescriptors(first.fds);
      socket.destroy();
    };
    if (this.closing.signal.aborted) return drop();
    this.idle.add(socket);
    socket.once('close', () => this.idle.delete(socket));
    const request = await firstLine(socket, first.data).catch(() => undefined);
    this.idle.delete(socket);
    if (!request || this.closing.signal.aborted) return drop();
    const message = parse(request.line);
    if (message?.op === 'exec' || message?.op === 'attach') {
      handlers.stream(message, { socket, fds: first.fds, rest: request.rest });
      return;
    }
    closeDescriptors(first.fds);
    const lines = new JsonLines(socket);
    const answer = (async () => {
      const reply: ControlReply = message?.op === 'stop' ? await handlers.stop(message) : { ok: false, error: `not a request: ${request.line.slice(0, 200)}` };
      await lines.end(reply);
      // Paused since its request line, the socket would never read the peer's end, and so never close.
      socket.destroy();
    })();
    this.answering.add(answer);
    void answer.finally(() => this.answering.delete(answer));
  }
}

/** The request line (from the first bytes, or read on until it ends) and what came after it; the socket is left paused. */
function firstLine(socket: net.Socket, first: Buffer): Promise<{ line: string; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    let data = first;
    const check = (): boolean => {
      const newline = data.indexOf(0x0a);
      if (newline >= 0) {
        socket.pause();
        socket.removeListener('data', onData);
        socket.removeListener('close', onClose);
        resolve({ line: data.subarray(0, newline).toString('utf8'), rest: data.subarray(newline + 1) });
        return true;
      }
      if (data.length > MAX_REQUEST) reject(new Error('request line too long'));
      return false;
    };
    const onData = (chunk: Buffer): void => {
      data = Buffer.concat([data, chunk]);
      check();
    };
    const onClose = (): void => reject(new Error('closed before its request'));
    if (first.length === 0) return reject(new Error('closed before its request'));
    if (check()) return;
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.resume();
  });
}

function parse(line: string): ControlRequest | undefined {
  let m: Partial<{ op: string; graceMs: number; mask: number }> | null;
  try {
    m = JSON.parse(line) as typeof m;
  } catch {
    return undefined;
  }
  if (m?.op === 'stop' && typeof m.graceMs === 'number' && m.graceMs >= 0) return { op: 'stop', graceMs: m.graceMs };
  if (m?.op === 'exec' && Number.isInteger(m.mask) && m.mask! >= 0 && m.mask! <= 7) return { op: 'exec', mask: m.mask! };
  if (m?.op === 'attach') return { op: 'attach' };
  return undefined;
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
