import { constants as osConstants } from 'node:os';

/** `SIGTERM` for 15: how a signal number is shown (`vsb run --record`, `vsb ps`); undefined for a number Linux does not name. */
export function signalName(signo: number): string | undefined {
  return Object.entries(osConstants.signals).find(([, n]) => n === signo)?.[0];
}
