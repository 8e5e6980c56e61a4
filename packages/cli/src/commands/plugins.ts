// A subpath of @oclif/plugin-plugins, whose package exports only an index: scripts/bundle.js
// resolves it to the file (as for @oclif/plugin-autocomplete, see autocomplete-commands.ts).
import Plugins from '@oclif/plugin-plugins/lib/commands/plugins/index.js';
import { PLUGINS_WHAT } from './plugins-what';

/** `vsb plugins`: @oclif/plugin-plugins' list of installed and linked plugins, in vsb's words. */
export default class VsbPlugins extends Plugins {
  static override summary = 'List the installed vsb plugins.';
  static override description = PLUGINS_WHAT;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];
}
