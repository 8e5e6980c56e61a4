// A subpath of @oclif/plugin-plugins, whose package exports only an index: scripts/bundle.js
// resolves it to the file (as for @oclif/plugin-autocomplete, see autocomplete-commands.ts).
import PluginsLink from '@oclif/plugin-plugins/lib/commands/plugins/link.js';
import { PLUGINS_WHAT } from './plugins-what';

/** `vsb plugins link DIR`: @oclif/plugin-plugins' link, for developing a plugin in place, in vsb's words. */
export default class VsbPluginsLink extends PluginsLink {
  static override summary = 'Use a plugin from its source directory.';
  static override description = `${PLUGINS_WHAT}\n\nFor plugin development: edits take effect without reinstalling. By default npm installs the directory's dependencies first; --no-install skips that.`;
  static override examples = ['<%= config.bin %> <%= command.id %> --no-install ./vsb-plugin-xen'];
}
