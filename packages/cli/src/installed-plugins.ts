import type { VsbPlugin } from '@vsb/core';
import { shareHostModules } from './share-host-modules';

/** What vsb reads of an oclif plugin (`this.config.getPluginsList()`): installed ones are `user` or `link`. */
export interface OclifPluginInfo {
  readonly name: string;
  readonly root: string;
  readonly type: string;
}

/** A vsb plugin and the package it came from, for messages naming it. */
export interface ThirdPartyPlugin {
  readonly plugin: VsbPlugin;
  readonly source: string;
}

/** True for an object made by `definePlugin` (an id and a register function). */
export function isPlugin(value: unknown): value is VsbPlugin {
  return typeof value === 'object' && value !== null && typeof (value as VsbPlugin).id === 'string' && typeof (value as VsbPlugin).register === 'function';
}

/**
 * The vsb plugins of the packages `vsb plugins install|link` put in oclif's data dir: each package's
 * main module, loaded with vsb's own @vsb/core, tsyringe and reflect-metadata (shareHostModules),
 * and every `definePlugin` object it exports. A package that fails to load, or exports none, is
 * left out with one line through `warn`: vsb still runs with the others.
 */
export function installedPlugins(plugins: readonly OclifPluginInfo[], warn: (line: string) => void): ThirdPartyPlugin[] {
  return plugins
    .filter((p) => p.type === 'user' || p.type === 'link')
    .flatMap((p) => {
      try {
        shareHostModules(p.root);
        const mod = require(require.resolve(p.root)) as Record<string, unknown>;
        const found = Object.values(mod).filter(isPlugin);
        if (found.length === 0) warn(`plugin '${p.name}' exports no vsb plugin (use definePlugin from @vsb/core); running without it`);
        return found.map((plugin) => ({ plugin, source: p.name }));
      } catch (err) {
        warn(`plugin '${p.name}' failed to load, running without it: ${firstLine(err)}`);
        return [];
      }
    });
}

/** The first line of an error's message, for one-line reports. */
export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
