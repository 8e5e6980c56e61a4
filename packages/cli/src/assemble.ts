import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import type { DependencyContainer } from 'tsyringe';
import { corePlugin, SandboxError } from '@vsb/core';
import type { VsbPlugin } from '@vsb/core';
import { lxcPlugin } from '@vsb/backend-lxc';
import { qemuPlugin } from '@vsb/backend-qemu';
import { consoleRpcPlugin } from '@vsb/console-rpc';
import { libvirtPlugin } from '@vsb/libvirt';
import { svirtPlugin } from '@vsb/security-svirt';
import { socketRpcPlugin } from '@vsb/socket-rpc';
import { vmMountsPlugin } from '@vsb/vm-boot';
import { installedPlugins, isPlugin, type OclifPluginInfo, type ThirdPartyPlugin } from './installed-plugins';
import { registerGuarded } from './register-guarded';

/** The plugins that ship with vsb, registered in this order before any third-party plugin. */
export const BUILTIN_PLUGINS: readonly VsbPlugin[] = [
  corePlugin,
  libvirtPlugin,
  lxcPlugin,
  vmMountsPlugin,
  qemuPlugin,
  consoleRpcPlugin,
  socketRpcPlugin,
  svirtPlugin,
];

/**
 * Builds the container one `vsb` invocation uses: the built-in plugins, then the third-party ones:
 * those `vsb plugins install|link` installed (`installed`: oclif's plugin list), those named in
 * `VSB_PLUGINS` (development: a `:`-separated list of module names or paths, each exporting one or
 * more `definePlugin` objects), then the caller's `extra` ones. An installed or VSB_PLUGINS plugin that
 * fails to load or register is left out with one line on stderr naming it.
 */
export function assemble(
  extra: readonly VsbPlugin[] = [],
  env: NodeJS.ProcessEnv = process.env,
  installed: readonly OclifPluginInfo[] = [],
): DependencyContainer {
  const container = rootContainer.createChildContainer();
  for (const plugin of BUILTIN_PLUGINS) plugin.register(container);
  const warn = (line: string) => process.stderr.write(`vsb: ${line}\n`);
  const thirdParty: ThirdPartyPlugin[] = [...installedPlugins(installed, warn), ...pluginsFromEnv(env).map((plugin) => ({ plugin, source: 'VSB_PLUGINS' }))];
  for (const p of thirdParty) registerGuarded(container, p, warn);
  for (const plugin of extra) plugin.register(container);
  return container;
}

/** Loads the plugins named by `VSB_PLUGINS`; a module that cannot be loaded is a clear error. */
export function pluginsFromEnv(env: NodeJS.ProcessEnv): VsbPlugin[] {
  const list = (env.VSB_PLUGINS ?? '').split(':').filter(Boolean);
  return list.flatMap((spec) => {
    let mod: Record<string, unknown>;
    try {
      mod = require(require.resolve(spec, { paths: [process.cwd(), __dirname] })) as Record<string, unknown>;
    } catch (err) {
      throw new SandboxError('VSB_USAGE', `VSB_PLUGINS: cannot load plugin '${spec}': ${(err as Error).message.split('\n')[0]}`);
    }
    const found = Object.values(mod).filter(isPlugin);
    if (found.length === 0) throw new SandboxError('VSB_USAGE', `VSB_PLUGINS: '${spec}' exports no vsb plugin (use definePlugin from @vsb/core)`);
    return found;
  });
}
