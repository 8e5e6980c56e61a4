import { randomUUID } from 'node:crypto';
import { PassThrough, type Duplex } from 'node:stream';
import type { DomainStateName, LibvirtConnection, LibvirtConnector, LibvirtDomain, LifecycleEvent } from '@vsb/core';

/** What a test makes a {@link FakeLibvirt} do. */
export interface FakeLibvirtHooks {
  /** Called with each domain a connection creates, before createXML resolves: a throw fails the create; `domain.stop()` ends it early. */
  readonly onCreate?: (domain: FakeDomain) => void;
}

/**
 * One fake libvirtd for unit tests of the run lifecycle: a {@link LibvirtConnector} whose domains
 * live and die as libvirt's transient ones do (a stopped or destroyed domain is gone: libvirt
 * undefines it), with the lifecycle events of each end sent to every connection.
 */
export class FakeLibvirt implements LibvirtConnector {
  /** The domains that run, by name. */
  readonly domains = new Map<string, FakeDomain>();
  /** Every domain ever created, in order, ended ones included. */
  readonly created: FakeDomain[] = [];
  readonly connections: FakeConnection[] = [];

  constructor(readonly hooks: FakeLibvirtHooks = {}) {}

  async open(uri: string): Promise<LibvirtConnection> {
    const connection = new FakeConnection(uri, this);
    this.connections.push(connection);
    return connection;
  }

  /** A domain of another run, already running under this name. */
  runDomain(name: string): FakeDomain {
    const domain = new FakeDomain(name, `<domain><name>${name}</name></domain>`, this);
    this.domains.set(name, domain);
    return domain;
  }

  /** Sends a lifecycle event to every open connection's listeners. */
  emit(event: LifecycleEvent): void {
    for (const connection of this.connections) connection.emit(event);
  }
}

/** A domain of a {@link FakeLibvirt}: it runs until destroyed or stopped. */
export class FakeDomain implements LibvirtDomain {
  readonly uuid = randomUUID();
  /** How often `destroy()` was called (a call on an ended domain counts, and fails as libvirt's does). */
  destroyCalls = 0;
  private running = true;

  constructor(
    readonly name: string,
    readonly xml: string,
    private readonly libvirt: FakeLibvirt,
  ) {}

  /** Whether it still runs (libvirt still knows it). */
  get isRunning(): boolean {
    return this.running;
  }

  async destroy(): Promise<void> {
    this.destroyCalls++;
    if (!this.running) throw new Error(`Domain not found: no domain with matching uuid '${this.uuid}' (${this.name})`);
    this.stop('destroyed');
  }

  /** Ends it as libvirt reports an end: gone from the list, then a 'stopped' event. */
  stop(detail = 'shutdown'): void {
    if (!this.running) return;
    this.running = false;
    this.libvirt.domains.delete(this.name);
    this.libvirt.emit({ domain: this.name, uuid: this.uuid, event: 'stopped', detail });
  }

  async state(): Promise<DomainStateName> {
    return this.running ? 'running' : 'shutoff';
  }

  async xmlDesc(): Promise<string> {
    return this.xml;
  }

  async openConsole(): Promise<Duplex> {
    return new PassThrough();
  }

  async openChannel(): Promise<Duplex> {
    return new PassThrough();
  }
}

/** A connection to a {@link FakeLibvirt}; closing it destroys the AUTODESTROY domains it created. */
export class FakeConnection implements LibvirtConnection {
  closed = false;
  private readonly listeners = new Set<(event: LifecycleEvent) => void>();
  private readonly autodestroy: FakeDomain[] = [];

  constructor(
    readonly uri: string,
    private readonly libvirt: FakeLibvirt,
  ) {}

  /** Lifecycle listeners still subscribed. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  async version(): Promise<number> {
    return 9000000;
  }

  async capabilities(): Promise<string> {
    return '<capabilities><host><cpu><arch>x86_64</arch></cpu></host></capabilities>';
  }

  async listDomains(): Promise<string[]> {
    return [...this.libvirt.domains.keys()];
  }

  async createXML(xml: string, options?: { autodestroy?: boolean }): Promise<LibvirtDomain> {
    const name = /<name>([^<]*)<\/name>/.exec(xml)?.[1] ?? '';
    if (this.libvirt.domains.has(name)) throw new Error(`operation failed: domain '${name}' already exists`);
    const domain = new FakeDomain(name, xml, this.libvirt);
    this.libvirt.created.push(domain);
    this.libvirt.domains.set(name, domain);
    try {
      this.libvirt.hooks.onCreate?.(domain);
    } catch (err) {
      this.libvirt.domains.delete(name);
      throw err;
    }
    if (options?.autodestroy) this.autodestroy.push(domain);
    return domain;
  }

  async lookupByName(name: string): Promise<LibvirtDomain | null> {
    return this.libvirt.domains.get(name) ?? null;
  }

  async lookupNetwork(): Promise<null> {
    return null;
  }

  async nwfilterExists(): Promise<boolean> {
    return false;
  }

  onLifecycle(listener: (event: LifecycleEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers one event to this connection's listeners (libvirt sends every connection all of them). */
  emit(event: LifecycleEvent): void {
    if (!this.closed) for (const listener of [...this.listeners]) listener(event);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const domain of this.autodestroy) domain.stop('destroyed');
  }
}
