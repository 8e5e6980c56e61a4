import type { DependencyContainer } from 'tsyringe';
import { ConsoleTransport } from './console-transport';
import { FilesystemMapper } from './filesystem-mapper';
import { resolveSorted } from './registries';
import { SandboxBackend } from './sandbox-backend';
import { SecurityLabeler, SecurityModel } from './security-labeler';
import { register } from './token';

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
  for (const make of what.backends ?? []) register(container, SandboxBackend, () => make());
  for (const make of what.mappers ?? []) register(container, FilesystemMapper, () => make());
  for (const make of what.transports ?? []) register(container, ConsoleTransport, () => make());
  for (const make of what.securityModels ?? []) register(container, SecurityModel, () => make());
  const { labeler } = what;
  if (labeler) register(container, SecurityLabeler, () => labeler());
}

/**
 * The console transports registered so far, but `except` (a transport that wraps another one
 * finds it here, at run time: resolving its own token while being registered would recurse).
 */
export function installedTransports(container: DependencyContainer, except?: string): ConsoleTransport[] {
  return resolveSorted(container, ConsoleTransport).filter((t) => t.id !== except);
}
