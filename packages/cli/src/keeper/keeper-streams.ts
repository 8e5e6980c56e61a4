import type { Writable } from 'node:stream';
import type { ExitStatus, RunningSandbox } from '@vsb/core';
import { ConsoleRpcSession, FrameType, MAX_STREAM } from '@vsb/stdio-protocol';
import { Attachments } from './attachments';
import { refuseClient } from './client-frames';
import { closeDescriptors } from './close-descriptors';
import type { ControlRequest, StreamConnection } from './control-socket';
import { EXEC_CLIENT_STREAM, ExecRelay } from './exec-relay';

/**
 * The keeper's `vsb exec` and `vsb attach` connections: each exec gets a stream id of its own with
 * the guest (ids go round, never one in use), each attach joins the app's output. Once the
 * sandbox no longer takes them (stopping, the app ended) new ones are refused with the reason.
 */
export class KeeperStreams {
  readonly attachments: Attachments;
  private readonly live = new Set<number>();
  private next = 1;
  private refusal?: string;
  private running?: RunningSandbox;

  constructor(appStdin: Writable | undefined) {
    this.attachments = new Attachments(appStdin, (rows, cols) => this.running?.resize(rows, cols));
  }

  /** The sandbox runs: connections are served from now on. */
  serve(running: RunningSandbox): void {
    this.running = running;
  }

  /** Refuses connections from now on, saying why. */
  refuse(reason: string): void {
    this.refusal ??= reason;
  }

  /** The app's output, for the attached. */
  output(type: typeof FrameType.STDOUT | typeof FrameType.STDERR): (chunk: Buffer) => void {
    return (chunk) => this.attachments.output(type, chunk);
  }

  /** The app ended: the attached are told how, later connections are refused. */
  end(outcome: ExitStatus | Error, reason: string): void {
    this.refuse(reason);
    this.attachments.end(outcome);
  }

  handle(request: Extract<ControlRequest, { op: 'exec' | 'attach' }>, connection: StreamConnection): void {
    const stream = request.op === 'exec' ? EXEC_CLIENT_STREAM : 0;
    const session = this.running?.session;
    const why = this.refusal ?? (this.running ? undefined : 'the sandbox is still starting');
    if (why) {
      refuseClient(connection.socket, stream, why);
    } else if (request.op === 'attach') {
      this.attachments.add(connection);
    } else if (!(session instanceof ConsoleRpcSession)) {
      refuseClient(connection.socket, stream, `the sandbox's console transport cannot run more commands (${this.running!.plan.transport.id})`);
    } else {
      const id = this.take();
      new ExecRelay(connection, request.mask, session.streams, id, () => this.live.delete(id));
      return;
    }
    closeDescriptors(connection.fds);
  }

  private take(): number {
    while (this.live.has(this.next)) this.next = this.next === MAX_STREAM ? 1 : this.next + 1;
    const id = this.next;
    this.live.add(id);
    this.next = id === MAX_STREAM ? 1 : id + 1;
    return id;
  }
}
