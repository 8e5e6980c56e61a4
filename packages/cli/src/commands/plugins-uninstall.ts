// A subpath of @oclif/plugin-plugins, whose package exports only an index: scripts/bundle.js
// resolves it to the file (as for @oclif/plugin-autocomplete, see autocomplete-commands.ts).
import PluginsUninstall from '@oclif/plugin-plugins/lib/commands/plugins/uninstall.js';
import { PLUGINS_WHAT } from './plugins-what';

/** `vsb plugins uninstall NAME`: @oclif/plugin-plugins' uninstall, in vsb's words. */
export default class VsbPluginsUninstall extends PluginsUninstall {
  static override summary = 'Remove an installed or linked vsb plugin.';
  static override description = PLUGINS_WHAT;
  static override examples = ['<%= config.bin %> <%= command.id %> vsb-plugin-xen'];
}
