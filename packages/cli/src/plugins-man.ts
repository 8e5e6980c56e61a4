import type { ManSections } from './man/man-sections';

/** The sections of vsb-plugins(1) and its subcommands, commands vsb takes from @oclif/plugin-plugins. */
export const pluginsMan: ManSections = {
  environment: [
    { term: 'VSB_DATA_DIR', text: 'Where installed plugins live (default $XDG_DATA_HOME/vsb, else ~/.local/share/vsb).' },
    { term: 'VSB_PLUGINS', text: 'For plugin development: a colon-separated list of module names or paths loaded as plugins besides the installed ones.' },
  ],
  files: [{ term: '$VSB_DATA_DIR/package.json', text: 'The installed and linked plugins; their packages are in $VSB_DATA_DIR/node_modules.' }],
  seeAlso: ['vsb(1)', 'vsb-run(1)', 'npm-install(1)'],
};
