// Subpaths of @oclif/plugin-plugins: like @oclif/plugin-autocomplete (see autocomplete-commands.ts)
// its package exports only an index; scripts/bundle.js resolves these imports to the files.
import Plugins from '@oclif/plugin-plugins/lib/commands/plugins/index.js';
import PluginsInstall from './commands/plugins-install';
import PluginsLink from '@oclif/plugin-plugins/lib/commands/plugins/link.js';
import PluginsUninstall from '@oclif/plugin-plugins/lib/commands/plugins/uninstall.js';

/**
 * `vsb plugins [install|uninstall|link]` (@oclif/plugin-plugins 5.x) as commands of vsb's bundle,
 * for the reason autocomplete's are: the plugin is ESM, and import() fails in the code-cached script
 * bin/run.js runs. Installed plugins live in oclif's data dir (`$VSB_DATA_DIR`, else
 * `$XDG_DATA_HOME/vsb`); installed-plugins.ts loads their vsb plugins into the run's container.
 */
export const PLUGIN_COMMANDS = {
  plugins: Plugins,
  'plugins:install': PluginsInstall,
  'plugins:link': PluginsLink,
  'plugins:uninstall': PluginsUninstall,
};
