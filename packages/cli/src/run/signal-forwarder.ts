import { constants as osConstants } from 'node:os';
import type { RunningSandbox } from '@vsb/core';

/** How long a forwarded SIGINT/SIGTERM/SIGHUP may take to end the app before the sandbox is destroyed. */
const SIGNAL_GRACE_MS = 5000;

/**
 * SIGINT/SIGTERM/SIGHUP are forwarded to the app; if it has not ended 5 s later, or on a second
 * signal, the sandbox is destroyed. Installed before the sandbox starts, so a signal during the
 * start is remembered (`received`) and ends the run as soon as there is a sandbox to end.
 */
export class SignalForwarder {
  received?: number;
  private timer?: NodeJS.Timeout;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();

  constructor(private readonly target: () => RunningSandbox | undefined) {}

  install(): void {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = () => this.onSignal(osConstants.signals[name]);
      this.handlers.set(name, handler);
      process.on(name, handler);
    }
  }

  uninstall(): void {
    for (const [name, handler] of this.handlers) process.removeListener(name, handler);
    if (this.timer) clearTimeout(this.timer);
  }

  /**
   * The terminal is gone (EIO): the session already sent the app SIGHUP; vsb ends as if it got
   * SIGHUP itself (exit 129), with the same grace before the sandbox is destroyed.
   */
  noteHangup(): void {
    if (this.received !== undefined) return;
    this.received = osConstants.signals.SIGHUP;
    const running = this.target();
    if (!running) return;
    this.destroyAfterGrace(running);
  }

  private onSignal(signo: number): void {
    const running = this.target();
    const again = this.received !== undefined;
    this.received = signo;
    if (!running) return;
    if (again) {
      void running.destroy();
      return;
    }
    running.signal(signo);
    this.destroyAfterGrace(running);
  }

  private destroyAfterGrace(running: RunningSandbox): void {
    this.timer = setTimeout(() => void running.destroy(), SIGNAL_GRACE_MS);
    this.timer.unref();
  }
}
