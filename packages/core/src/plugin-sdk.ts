import type { DependencyContainer } from 'tsyringe';
import { ConsoleTransport } from './console-transport';
import { FilesystemMapper } from './filesystem-mapper';
import { resolveSorted } from './registries';
import { SandboxBackend } from './sandbox-backend';
import { SecurityLabeler, SecurityModel } from './security-labeler';

/**
 * What a plugin's `register` contributes, each as a factory: vsb's container calls it when a run
 * needs one. Plain factories (not tsyringe classes or decorators) are what work across the host's
 * and a plugin's code, and keep a plugin free of tsyringe's API.
 */
export interface PluginContributions {
  readonly backends?: ReadonlyArray<() => SandboxBackend>;
  readonly mappers?: ReadonlyArray<() => FilesystemMapper>;
  readonly transports?: ReadonlyArray<() => ConsoleTransport>;
  readonly securityModels?: ReadonlyArray<() => SecurityModel>;
  /** Replaces the security labeler (single: the last registered wins). */
  readonly labeler?: () => SecurityLabeler;
}

/** Registers a plugin's contributions into vsb's container: `register(c) { contribute(c, { backends: [() => new XenBackend()] }); }`. */
export function contribute(container: DependencyContainer, what: PluginContributions): void {
  for (const make of what.backends ?? []) container.register(SandboxBackend, { useFactory: () => make() });
  for (const make of what.mappers ?? []) container.register(FilesystemMapper, { useFactory: () => make() });
  for (const make of what.transports ?? []) container.register(ConsoleTransport, { useFactory: () => make() });
  for (const make of what.securityModels ?? []) container.register(SecurityModel, { useFactory: () => make() });
  if (what.labeler) {
    const make = what.labeler;
    container.register(SecurityLabeler, { useFactory: () => make() });
  }
}

/**
 * The console transports registered so far, but `except` (a transport that wraps another one
 * finds it here, at run time: resolving its own token while being registered would recurse).
 */
export function installedTransports(container: DependencyContainer, except?: string): ConsoleTransport[] {
  return resolveSorted<ConsoleTransport>(container, ConsoleTransport).filter((t) => t.id !== except);
}
