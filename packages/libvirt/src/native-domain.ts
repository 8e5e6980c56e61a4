import type { Duplex } from 'node:stream';
import type { DomainStateName, LibvirtDomain } from '@vsb/core';
import { ConsoleStream } from './console-stream';
import { domainStateName } from './libvirt-names';
import type { NativeDomainHandle } from './native-binding';

/** Receives the consoles a domain opens, so closing the connection can end them first. */
export interface ConsoleTracker {
  track(stream: ConsoleStream): void;
}

/**
 * {@link LibvirtDomain} over the addon's domain handle: every call runs on libuv's thread pool and
 * rejects with a LibvirtError; name and uuid are cached, so reading them costs no round trip.
 */
export class NativeDomain implements LibvirtDomain {
  constructor(
    private readonly handle: NativeDomainHandle,
    private readonly consoles: ConsoleTracker,
  ) {}

  get name(): string {
    return this.handle.name;
  }

  get uuid(): string {
    return this.handle.uuid;
  }

  destroy(): Promise<void> {
    return this.handle.destroy();
  }

  async state(): Promise<DomainStateName> {
    return domainStateName(await this.handle.state());
  }

  xmlDesc(): Promise<string> {
    return this.handle.xmlDesc(0);
  }

  async openConsole(devname?: string): Promise<Duplex> {
    const stream = await ConsoleStream.open(this.handle, devname);
    this.consoles.track(stream);
    return stream;
  }

  async openChannel(name: string): Promise<Duplex> {
    const stream = await ConsoleStream.open(this.handle, name, true);
    this.consoles.track(stream);
    return stream;
  }
}
