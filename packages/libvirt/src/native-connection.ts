import type { LibvirtConnection, LibvirtDomain, LibvirtNetwork, LibvirtStorage, LifecycleEvent } from '@vsb/core';
import type { ConsoleStream } from './console-stream';
import { lifecycleDetailName, lifecycleEventName } from './libvirt-names';
import type { NativeBinding, NativeConnectionHandle } from './native-binding';
import { NativeDomain, type ConsoleTracker } from './native-domain';

/** libvirt's VIR_DOMAIN_START_AUTODESTROY flag of virDomainCreateXML. */
const VIR_DOMAIN_START_AUTODESTROY = 2;

type LifecycleListener = (event: LifecycleEvent) => void;

/**
 * {@link LibvirtConnection} over the addon's connection handle. Lifecycle events are subscribed
 * once at open (so none can be missed between subscribing and creating a domain) and fanned out
 * here; while anyone listens, the subscription keeps Node alive, as an awaited event must arrive.
 */
export class NativeConnection implements LibvirtConnection, ConsoleTracker {
  private readonly listeners = new Set<LifecycleListener>();
  private readonly consoles = new Set<ConsoleStream>();
  private closing: Promise<void> | undefined;
  readonly storage: LibvirtStorage;

  private constructor(
    readonly uri: string,
    private readonly handle: NativeConnectionHandle,
  ) {
    this.storage = {
      listPools: () => handle.listPools(),
      definePool: (xml) => handle.definePool(xml),
      removePool: (name) => handle.removePool(name),
      createVolume: (pool, xml, file) => handle.createVolume(pool, xml, file ?? null),
      cleanDir: (xml, names) => handle.cleanDir(xml, names),
      destroyPool: (name) => handle.destroyPool(name),
    };
  }

  /** Opens `uri` through the addon. */
  static async open(binding: NativeBinding, uri: string): Promise<NativeConnection> {
    let self: NativeConnection | undefined;
    const handle = await binding.open(uri, (name, uuid, event, detail) => self?.dispatch(name, uuid, event, detail));
    self = new NativeConnection(uri, handle);
    return self;
  }

  version(): Promise<number> {
    return this.handle.version();
  }

  capabilities(): Promise<string> {
    return this.handle.capabilities();
  }

  listDomains(): Promise<string[]> {
    return this.handle.listDomains();
  }

  async createXML(xml: string, options: { autodestroy?: boolean } = {}): Promise<LibvirtDomain> {
    const flags = options.autodestroy === true ? VIR_DOMAIN_START_AUTODESTROY : 0;
    return new NativeDomain(await this.handle.createXML(xml, flags), this);
  }

  async lookupByName(name: string): Promise<LibvirtDomain | null> {
    const handle = await this.handle.lookupByName(name);
    return handle === null ? null : new NativeDomain(handle, this);
  }

  lookupNetwork(name: string): Promise<LibvirtNetwork | null> {
    return this.handle.lookupNetwork(name);
  }

  nwfilterExists(name: string): Promise<boolean> {
    return this.handle.nwfilterExists(name);
  }

  onLifecycle(listener: (event: LifecycleEvent) => void): () => void {
    const entry: LifecycleListener = (e) => listener(e); // a distinct entry per subscription
    if (this.closing !== undefined) return () => {};
    this.listeners.add(entry);
    if (this.listeners.size === 1) this.handle.setEventsRef(true);
    return () => {
      if (this.listeners.delete(entry) && this.listeners.size === 0) this.handle.setEventsRef(false);
    };
  }

  /** Ends open consoles, drops every handle of this connection and closes it (AUTODESTROY domains die). */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  /** @internal Called by domains for each console they open. */
  track(stream: ConsoleStream): void {
    if (stream.destroyed) return;
    this.consoles.add(stream);
    stream.once('close', () => this.consoles.delete(stream));
  }

  private async doClose(): Promise<void> {
    if (this.listeners.size > 0) this.handle.setEventsRef(false);
    this.listeners.clear();
    await Promise.all(
      [...this.consoles].map(
        (s) =>
          new Promise<void>((resolve) => {
            s.once('close', resolve);
            s.destroy();
          }),
      ),
    );
    await this.handle.close();
  }

  private dispatch(domain: string, uuid: string, eventNumber: number, detailNumber: number): void {
    if (this.listeners.size === 0) return;
    const event = lifecycleEventName(eventNumber);
    const e: LifecycleEvent = Object.freeze({ domain, uuid, event, detail: lifecycleDetailName(event, detailNumber) });
    for (const listener of [...this.listeners]) {
      try {
        listener(e);
      } catch (err) {
        // Like an EventEmitter listener: surface it as an uncaught exception, not inside libvirt's callback.
        process.nextTick(() => {
          throw err;
        });
      }
    }
  }
}
