// Subpaths of @oclif/plugin-autocomplete: its package exports only an empty index, and its commands
// are found by oclif scanning lib/commands. scripts/bundle.js resolves these imports to the files.
import Autocomplete from '@oclif/plugin-autocomplete/lib/commands/autocomplete/index.js';
import AutocompleteCreate from '@oclif/plugin-autocomplete/lib/commands/autocomplete/create.js';
import AutocompleteScript from '@oclif/plugin-autocomplete/lib/commands/autocomplete/script.js';

/**
 * `vsb autocomplete [bash|zsh]` (@oclif/plugin-autocomplete 3.x) as commands of vsb's own bundle
 * rather than an oclif plugin: the plugin is ESM, which oclif loads with import(), and import()
 * does not work in the V8-code-cached script bin/run.js runs (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING);
 * bundled, it shares vsb's single @oclif/core. `create` and `script` are the hidden commands
 * the completion set-up calls.
 */
export const AUTOCOMPLETE_COMMANDS = {
  autocomplete: Autocomplete,
  'autocomplete:create': AutocompleteCreate,
  'autocomplete:script': AutocompleteScript,
};
