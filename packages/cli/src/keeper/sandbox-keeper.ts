import fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { decodeLossless, SandboxContext, SandboxError } from '@vsb/core';
import type { ExitStatus, RunningSandbox } from '@vsb/core';
import { describeError } from '../base-command';
import { exitCodeOf } from '../exit-code';
import { signalName } from '../signal-name';
import { noteLine, startedLines, timingLine } from '../start-lines';
import { DEFAULT_STOP_GRACE_SECONDS } from './stop-grace';
import { BoundedLog } from './bounded-log';
import { LOG_FILE } from './log-files';
import { ConsoleRpcSession, FrameType } from '@vsb/stdio-protocol';
import { ControlServer, type ControlReply, type ControlRequest } from './control-socket';
import { KeeperStreams } from './keeper-streams';
import type { JsonLines } from './json-lines';
import type { KeeperMessage, KeeperRequest } from './keeper-request';
import { writeKeeperMetadata, type AppEnd, type KeeperMetadata } from './keeper-metadata';

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Most of the app's early stderr shown to the caller when it never ran (the init's one-line message). */
const EARLY_STDERR_BYTES = 16 * 1024;

/**
 * The keeper of one detached sandbox (podman's conmon is the model): a process of its own that
 * runs the lifecycle `vsb run` runs (core's SandboxContext) and holds the libvirt connection, so
 * AUTODESTROY ends the domain whenever the keeper dies, however (and the state dir's watchdog,
 * whose pid file names the keeper, removes the state dir). The app's stdin is /dev/null; its
 * stdout and stderr go to a {@link BoundedLog} in the state dir; its metadata, to
 * `keeper.json`. It answers `vsb stop` on its control socket, and runs `vsb exec` and `vsb attach`
 * there (KeeperStreams). While its caller waits, it sends
 * the caller's messages over `link`; a caller that goes away before the app started (Ctrl-C,
 * SIGKILL) takes the sandbox with it.
 */
export class SandboxKeeper {
  private running?: RunningSandbox;
  private metadata?: KeeperMetadata;
  private ended?: AppEnd;
  private linked = true;
  private streams?: KeeperStreams;
  private stopAsked = false;
  private deadline = Infinity;
  private graceTimer?: NodeJS.Timeout;
  private readonly stopWanted: Promise<void>;
  private wantStop: () => void = () => undefined;
  private readonly removed: Promise<void>;
  private markRemoved: () => void = () => undefined;

  constructor(
    private readonly link: JsonLines,
    private readonly request: KeeperRequest,
    private readonly context: SandboxContext,
    private readonly initPath: string,
  ) {
    this.stopWanted = new Promise((resolve) => (this.wantStop = resolve));
    this.removed = new Promise((resolve) => (this.markRemoved = resolve));
    // Until the app runs, only a caller that went away unlinks (a failed start returns first).
    link.onClose(() => (this.linked = false));
  }

  /** Starts the sandbox, keeps it until it ends or is stopped, and removes it; resolves with the keeper's exit code. */
  async run(): Promise<number> {
    const { config, keep } = this.request;
    const stateDir = SandboxContext.stateDirOf(config.name);
    const log = new BoundedLog(path.join(stateDir, LOG_FILE));
    const signals = this.installSignals();
    // On a pty the app's input is what `vsb attach` types, and it never ends; else /dev/null.
    const terminal = config.tty ? new PassThrough() : undefined;
    const stdin: Readable = terminal ?? fs.createReadStream('/dev/null', { fd: fs.openSync('/dev/null', 'r') });
    const streams = new KeeperStreams(terminal);
    this.streams = streams;
    // What the app wrote on stderr before it ran: the init's message when it cannot be executed.
    const early: Buffer[] = [];
    let earlyBytes = 0;
    const toAttached = streams.output(FrameType.STDERR);
    const tap = (chunk: Buffer) => {
      toAttached(chunk);
      if (!this.linked || earlyBytes >= EARLY_STDERR_BYTES) return;
      early.push(chunk.subarray(0, EARLY_STDERR_BYTES - earlyBytes));
      earlyBytes += early[early.length - 1]!.length;
    };
    let running: RunningSandbox;
    try {
      running = await this.context.start(config, {
        initPath: this.initPath,
        stdio: { stdin, stdout: log.stream('stdout', streams.output(FrameType.STDOUT)), stderr: log.stream('stderr', tap) },
        rows: this.request.rows,
        cols: this.request.cols,
        term: this.request.term,
        mark: this.request.timing ? (step) => this.toCaller({ stderr: timingLine(this.sinceCallerStarted(), step) }) : undefined,
        notify: (line) => this.note(line),
        verbose: this.request.verbose,
        progress: this.request.progress ? (line) => this.toCaller({ progress: line ?? null }) : undefined,
        keepStateDir: keep,
      });
    } catch (err) {
      await this.fail(err);
      return 1;
    }
    this.running = running;
    const appRuns = await running.appStarted();
    const callerGone = !this.linked;
    if (!appRuns || callerGone || this.stopAsked) {
      if (appRuns) await running.destroy();
      const end = await running.wait().then(
        (status) => status,
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      );
      if (keep) await running.removeKeptStateDir();
      if (appRuns) await this.fail(new SandboxError('VSB_GUEST', 'the sandbox was stopped while it started'));
      else if (end instanceof Error) await this.fail(end);
      else await this.tellNeverRan(Buffer.concat(early), exitCodeOf(end));
      return 1;
    }
    const session = running.session;
    this.metadata = {
      version: 1,
      name: config.name,
      backend: running.plan.backend.id,
      uri: config.uri,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      command: config.command,
      keep,
      state: 'running',
      tty: config.tty,
      passesDescriptors: session instanceof ConsoleRpcSession && session.streams.passesDescriptors,
    };
    writeKeeperMetadata(stateDir, this.metadata);
    streams.serve(running);
    const control = await ControlServer.listen(stateDir, {
      stop: (request) => this.onRequest(request),
      stream: (request, connection) => streams.handle(request, connection),
    });
    for (const line of startedLines(config, running, this.request)) this.toCaller({ stderr: line });
    this.linked = false;
    await this.link.end({ ready: config.name });
    // Nothing of the caller's directory is needed any more, and a daemon must not hold it busy.
    process.chdir('/');
    const outcome = await running.wait().then(
      (status) => status,
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    this.ended = outcome instanceof Error ? { at: new Date().toISOString(), error: outcome.message } : endOf(outcome);
    streams.end(
      outcome,
      `the command of ${config.name} has ended${outcome instanceof Error ? '' : ` (${describeEnd(this.ended)})`}: nothing runs there any more`,
    );
    clearTimeout(this.graceTimer);
    log.close();
    if (keep) {
      if (!this.stopAsked) {
        writeKeeperMetadata(stateDir, { ...this.metadata, state: 'exited', ended: this.ended });
        // The domain is gone: nothing needs libvirt until `vsb stop`.
        await running.close();
        await this.stopWanted;
      }
      await running.removeKeptStateDir();
    }
    this.markRemoved();
    await control.close();
    signals.uninstall();
    return 0;
  }

  /** `vsb stop`: answered once the sandbox is gone, state dir included. */
  private async onRequest(request: Extract<ControlRequest, { op: 'stop' }>): Promise<ControlReply> {
    this.stop(request.graceMs);
    await this.removed;
    return { ok: true };
  }

  /**
   * SIGTERM to the app, and the domain destroyed when `graceMs` have passed (a later, shorter
   * stop brings that forward); a `--keep` sandbox whose app already ended is removed at once.
   */
  private stop(graceMs: number): void {
    const first = !this.stopAsked;
    this.stopAsked = true;
    this.wantStop();
    const running = this.running;
    if (!running || this.ended || this.metadata === undefined) return;
    if (first) {
      this.streams?.refuse('the sandbox is stopping');
      writeKeeperMetadata(running.plan.ctx.stateDir, { ...this.metadata, state: 'stopping' });
      running.signal(osConstants.signals.SIGTERM);
    }
    // setTimeout takes at most 2^31-1 ms (24.8 days); a longer grace is that.
    const delay = Math.min(graceMs, MAX_TIMER_MS);
    const deadline = Date.now() + delay;
    if (deadline >= this.deadline) return;
    this.deadline = deadline;
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => void running.destroy(), delay);
  }

  /** SIGTERM and SIGINT stop the sandbox as `vsb stop` does; SIGHUP (no terminal to lose) is ignored. */
  private installSignals(): { uninstall(): void } {
    const onStop = () => this.stop(DEFAULT_STOP_GRACE_SECONDS * 1000);
    const ignore = () => undefined;
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
    process.on('SIGHUP', ignore);
    return {
      uninstall: () => {
        process.removeListener('SIGTERM', onStop);
        process.removeListener('SIGINT', onStop);
        process.removeListener('SIGHUP', ignore);
      },
    };
  }

  private note(line: string): void {
    if (!this.request.quiet) this.toCaller({ stderr: noteLine(line) });
  }

  /** Sends a message while the caller waits for the start; later ones have nobody to read them. */
  private toCaller(message: KeeperMessage): void {
    if (this.linked) this.link.send(message);
  }

  private async fail(err: unknown): Promise<void> {
    if (!this.linked) return;
    this.linked = false;
    await this.link.end({ error: describeError(err instanceof Error ? err : new Error(String(err)), SandboxError, 'run') });
  }

  /** The app could not be executed: its caller shows the init's message and exits with the code, as `vsb run` would. */
  private async tellNeverRan(stderr: Buffer, code: number): Promise<void> {
    if (!this.linked) return;
    this.linked = false;
    if (stderr.length > 0) this.link.send({ stderr: decodeLossless(stderr) });
    await this.link.end({ exited: code });
  }

  private sinceCallerStarted(): number {
    return Math.round(performance.timeOrigin + performance.now() - this.request.timeOrigin);
  }
}

/** The app's exit status as the metadata records it. */
function endOf(status: ExitStatus): AppEnd {
  const at = new Date().toISOString();
  if (status.signal === undefined) return { at, code: status.code };
  return { at, signal: status.signal, signalName: signalName(status.signal), ...(status.outOfMemory && { oom: true }) };
}

/** `exit 3`, `killed by SIGTERM`: how the app ended, in a message. */
function describeEnd(end: AppEnd): string {
  return end.code !== undefined ? `exit ${end.code}` : `killed by ${end.signalName ?? `signal ${end.signal}`}`;
}
