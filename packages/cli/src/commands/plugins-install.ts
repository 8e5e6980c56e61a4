// A subpath of @oclif/plugin-plugins, whose package exports only an index: scripts/bundle.js
// resolves it to the file (as for @oclif/plugin-autocomplete, see autocomplete-commands.ts).
import fs from 'node:fs';
import path from 'node:path';
import PluginsInstall from '@oclif/plugin-plugins/lib/commands/plugins/install.js';
import { PLUGINS_WHAT } from './plugins-what';

/**
 * `vsb plugins install`: @oclif/plugin-plugins' command, which reads `./dir` or `./x.tgz` as a
 * GitHub `org/repo` slug. Here a path that exists on disk is installed as npm's `file:` spec of its
 * absolute path (npm runs in the data dir, not the caller's cwd): a package directory or an
 * `npm pack` tarball installs offline. Everything else is the plugin's own parsing.
 */
export default class VsbPluginsInstall extends PluginsInstall {
  static override summary = 'Install a vsb plugin (directory, tarball, npm name).';
  static override description = `${PLUGINS_WHAT}\n\nnpm installs it into the data dir; a directory or tarball installs offline. From then on its plugins register in every run; one that fails to load or register is left out with one line naming it, and the run goes on without it.`;
  static override examples = [
    { command: '<%= config.bin %> <%= command.id %> ./vsb-plugin-xen', description: 'Install a plugin from a package directory.' },
    { command: '<%= config.bin %> <%= command.id %> ./vsb-plugin-xen-0.1.0.tgz', description: 'Install a plugin from an npm pack tarball.' },
    { command: '<%= config.bin %> <%= command.id %> vsb-plugin-xen', description: 'Install a plugin from the npm registry.' },
  ];

  override parsePlugin(...[plugins, input]: Parameters<PluginsInstall['parsePlugin']>): ReturnType<PluginsInstall['parsePlugin']> {
    const local = path.resolve(input);
    if (/^(\.{0,2}\/)/.test(input) && fs.existsSync(local)) return Promise.resolve({ type: 'repo', url: `file:${local}` });
    return super.parsePlugin(plugins, input);
  }
}
