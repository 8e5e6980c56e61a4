import fs from 'node:fs';
import path from 'node:path';
import PluginsInstall from '@oclif/plugin-plugins/lib/commands/plugins/install.js';

/**
 * `vsb plugins install`: @oclif/plugin-plugins' command, which reads `./dir` or `./x.tgz` as a
 * GitHub `org/repo` slug. Here a path that exists on disk is installed as npm's `file:` spec of its
 * absolute path (npm runs in the data dir, not the caller's cwd): a package directory or an
 * `npm pack` tarball installs offline. Everything else is the plugin's own parsing.
 */
export default class VsbPluginsInstall extends PluginsInstall {
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
