import type { ConsoleSession, ExitStatus, StdioBytes } from '../extension-points/console-transport';
import type { LibvirtConnection, LibvirtDomain } from '../extension-points/libvirt-connector';
import type { StartedSandbox } from '../extension-points/sandbox-backend';
import type { SandboxPlan } from '../plan/sandbox-plan';
import type { StateDir } from './state-dir';
import { stopGrace } from './stop-events';
import type { Teardown } from './teardown';

/** What a {@link RunningSandbox} is made of: the started run's pieces, and the teardown that undoes them. */
export interface RunningParts {
  readonly plan: SandboxPlan;
  readonly connection: LibvirtConnection;
  readonly domain: LibvirtDomain;
  /** The console transport's session: the app's stdio, and what else the transport offers (more processes: vsb exec). */
  readonly session: ConsoleSession;
  /** Resolves when libvirt says the domain stopped. */
  readonly stopped: Promise<void>;
  /** Undoes the run, the domain's end and the connection aside (run at the end of `wait()`). */
  readonly teardown: Teardown;
  readonly stateDir: StateDir;
  readonly started?: StartedSandbox;
  readonly mark?: (step: string) => void;
  /** Called when the run ends in an error rather than the app's exit (libvirt's log is then kept). */
  readonly onFailure?: () => void;
}

/**
 * A sandbox that has started: the app's exit, signal forwarding and teardown. `wait()` always
 * tears down (guest ended or domain destroyed, state dir removed), whatever happened; `close()`
 * then closes the libvirt connection.
 */
export class RunningSandbox {
  readonly plan: SandboxPlan;
  readonly domain: LibvirtDomain;
  /** The console transport's session: the app's stdio, and what else the transport offers (more processes: vsb exec). */
  readonly session: ConsoleSession;
  private finished?: Promise<ExitStatus>;
  private closing?: Promise<void>;
  private destroyed = false;

  constructor(private readonly parts: RunningParts) {
    this.plan = parts.plan;
    this.domain = parts.domain;
    this.session = parts.session;
  }

  /**
   * Removes the state dir a run started with `keepStateDir` left after its end (the keeper of a
   * `--keep` sandbox, at `vsb stop`), as a run without it removes its own, the state root included
   * when no run uses it any more.
   */
  async removeKeptStateDir(): Promise<void> {
    await this.parts.stateDir.remove();
  }

  /** The bytes the console transport relayed, when it counts them (`vsb run --record`). */
  get bytes(): StdioBytes | undefined {
    return this.session.bytes;
  }

  /**
   * Resolves true once the app runs, false when it never will (see ConsoleSession.appStarted);
   * the run's end is then `wait()`'s: a guest error, or the exit status of a command that could
   * not be executed.
   */
  appStarted(): Promise<boolean> {
    return this.session.appStarted ?? Promise.resolve(true);
  }

  /** Forwards a signal to the app (SIGINT, SIGTERM ... as numbers). */
  signal(signo: number): void {
    this.session.signal(signo);
  }

  resize(rows: number, cols: number): void {
    this.session.resize(rows, cols);
  }

  /**
   * Ends the sandbox now: the domain is destroyed; `wait()` then rejects or resolves with what
   * arrived. An end asked for is not a failure: libvirt's log of the run is not kept for it.
   */
  async destroy(): Promise<void> {
    this.destroyed = true;
    this.session.close();
    await this.domain.destroy().catch(() => undefined);
  }

  /** The app's exit status; cleans everything up before resolving or rejecting. */
  wait(): Promise<ExitStatus> {
    this.finished ??= this.finish();
    return this.finished;
  }

  /**
   * After `wait()`: closes the libvirt connection. On LXC that returns only once libvirtd has torn
   * the ended domain down (~200 ms after the guest is done), which is why `wait()` leaves it out:
   * a process that exits instead (the CLI) has its connection closed by the kernel, and AUTODESTROY
   * has libvirtd finish the same teardown. A long-lived caller must call it, or connections pile up.
   */
  async close(): Promise<void> {
    await this.wait().catch(() => undefined);
    this.closing ??= this.parts.connection.close().catch(() => undefined);
    await this.closing;
  }

  private async finish(): Promise<ExitStatus> {
    const mark = this.parts.mark ?? (() => undefined);
    let ended = false;
    try {
      let status = await this.session.exit;
      mark('app');
      // Asked while the domain still exists: its memory cgroup goes with it.
      if (status.signal === 9 && (await this.parts.started?.outOfMemory().catch(() => false))) status = { ...status, outOfMemory: true };
      // The init exits by itself after QUIT (8x faster than virDomainDestroy on LXC), and its end of
      // the channel closes as it does (a VM's channel when it powered off): that is the guest being
      // done, ~240 ms before libvirt's "stopped" event on LXC (libvirtd's cgroup cleanup polls every
      // 200 ms) and 1.4-2 s before it on QEMU. What is left of the domain then is libvirt's own
      // teardown, which closing our AUTODESTROY connection also asks for.
      if ((await Promise.race([this.session.closed, this.parts.stopped, stopGrace()])) === 'timeout') {
        await this.domain.destroy().catch(() => undefined);
      }
      mark('guest-done');
      ended = true;
      return status;
    } catch (err) {
      if (!this.destroyed) this.parts.onFailure?.();
      throw err;
    } finally {
      // The failed run's domain is destroyed by the teardown, after the session closed.
      await this.parts.teardown.run(ended ? 'ended' : 'failed');
    }
  }
}
