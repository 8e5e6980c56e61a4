import VsbPlugins from './commands/plugins';
import VsbPluginsInstall from './commands/plugins-install';
import VsbPluginsLink from './commands/plugins-link';
import VsbPluginsUninstall from './commands/plugins-uninstall';

/**
 * `vsb plugins [install|uninstall|link]` (@oclif/plugin-plugins 5.x) as commands of vsb's bundle,
 * for the reason autocomplete's are: the plugin is ESM, and import() fails in the code-cached script
 * bin/run.js runs. Installed plugins live in oclif's data dir (`$VSB_DATA_DIR`, else
 * `$XDG_DATA_HOME/vsb`); installed-plugins.ts loads their vsb plugins into the run's container.
 */
export const PLUGIN_COMMANDS = {
  plugins: VsbPlugins,
  'plugins:install': VsbPluginsInstall,
  'plugins:link': VsbPluginsLink,
  'plugins:uninstall': VsbPluginsUninstall,
};
