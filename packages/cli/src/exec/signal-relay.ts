import { constants as osConstants } from 'node:os';
import type { ConsoleSession } from '@vsb/core';

const SIGKILL = osConstants.signals.SIGKILL;

/**
 * SIGINT, SIGTERM and SIGHUP to `vsb exec` go to its command's process group, as `vsb run`
 * forwards them to the app; a second one sends SIGKILL. `received` is the last one, for the exit
 * code of a command that ended on it with 0.
 */
export class SignalRelay {
  received?: number;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();

  constructor(private readonly session: Pick<ConsoleSession, 'signal'>) {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      const handler = () => {
        const again = this.received !== undefined;
        this.received = osConstants.signals[name];
        this.session.signal(again ? SIGKILL : this.received);
      };
      this.handlers.set(name, handler);
      process.on(name, handler);
    }
  }

  uninstall(): void {
    for (const [name, handler] of this.handlers) process.removeListener(name, handler);
  }
}
