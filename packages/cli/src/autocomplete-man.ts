import type { ManSections } from './man/man-sections';

/** The sections of vsb-autocomplete(1), a command vsb takes from @oclif/plugin-autocomplete. */
export const autocompleteMan: ManSections = {
  exitStatus: [{ term: '0', text: 'The completion cache was built and the instructions printed.' }],
  environment: [{ term: 'XDG_CACHE_HOME', text: 'Parent of the completion cache (default ~/.cache).' }],
  files: [
    {
      term: '$XDG_CACHE_HOME/vsb/autocomplete',
      text: "The completion functions (functions/bash/vsb.bash, functions/zsh/_vsb) and the bash_setup and zsh_setup lines your shell's start-up file sources. Rebuild them with vsb autocomplete --refresh-cache after an upgrade adds commands or flags.",
    },
  ],
  seeAlso: ['vsb(1)', 'bash(1)', 'zsh(1)'],
};
