import type { LibvirtConnection } from '../extension-points/libvirt-connector';

/** How long to wait for a domain to end by itself: the guest after the app exited (else it is destroyed), or an ending earlier run of the same name. */
const STOP_GRACE_MS = 3000;

/** Resolves with 'timeout' after {@link STOP_GRACE_MS}, without keeping the process alive. */
export function stopGrace(): Promise<'timeout'> {
  return new Promise((r) => setTimeout(r, STOP_GRACE_MS, 'timeout').unref());
}

/** The "stopped" (or "crashed") lifecycle events of one domain name, told apart by uuid. */
export interface StopEvents {
  /** Resolves when the domain with this uuid stopped, even if the event came before this call. */
  of(uuid: string): Promise<void>;
  unsubscribe(): void;
}

/**
 * Subscribes before the domain exists, so its end cannot be missed; matching by uuid keeps the end
 * of an earlier domain of the same name (still being torn down) from passing for this one's.
 */
export function stopEvents(connection: LibvirtConnection, name: string): StopEvents {
  const seen = new Set<string>();
  const waiters = new Map<string, () => void>();
  const unsubscribe = connection.onLifecycle((e) => {
    if (e.domain !== name || (e.event !== 'stopped' && e.event !== 'crashed')) return;
    seen.add(e.uuid);
    waiters.get(e.uuid)?.();
  });
  return {
    of: (uuid) => (seen.has(uuid) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(uuid, resolve))),
    unsubscribe,
  };
}
