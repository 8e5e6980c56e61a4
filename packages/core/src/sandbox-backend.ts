import type { BuildContext, ConsoleEndpoint } from './build-context';
import type { DomainDraft } from './domain-draft';

/**
 * A hypervisor driver for sandboxes: claims libvirt URIs and fills the non-device and core device
 * parts of the domain. Pure: turns data into a draft, does no I/O, so golden files can test it.
 */
export interface SandboxBackend {
  /** Short id shown to users ('lxc', 'qemu'); also what mappers and transports match on. */
  readonly id: string;
  /** True when this backend handles the URI's driver (`lxc:///`, `qemu+ssh://h/system` ...). */
  claims(uri: string): boolean;
  /** Fills type, memory, vcpus, os, features, root filesystem, config dir and the log console. */
  build(ctx: BuildContext, draft: DomainDraft): void;
  /** Adds one more console for a transport and says how both sides address it. */
  addConsole(ctx: BuildContext, draft: DomainDraft): ConsoleEndpoint;
}
/** Token of {@link SandboxBackend} (multi-registered). */
export const SandboxBackend = Symbol.for('vsb.SandboxBackend');
