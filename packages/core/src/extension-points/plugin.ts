import type { DependencyContainer } from 'tsyringe';

/** A vsb plugin: an id and an explicit registration step (never import side effects). */
export interface VsbPlugin {
  readonly id: string;
  register(container: DependencyContainer): void;
}

/** Declares a plugin; the CLI and tests call `register` on the container they own. */
export function definePlugin(plugin: VsbPlugin): VsbPlugin {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(plugin.id)) throw new Error(`invalid plugin id '${plugin.id}'`);
  return Object.freeze({ ...plugin });
}
