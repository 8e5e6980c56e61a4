/**
 * What every `vsb plugins` page says first: vsb's own words, since @oclif/plugin-plugins' texts are
 * templates for any CLI (which vsb's man pages do not render).
 */
export const PLUGINS_WHAT =
  'Plugins add backends (hypervisors), filesystem mappers, console transports and security models to vsb: npm packages exporting definePlugin objects of @vsb/core (docs/PLUGINS.md). They live in the data dir: $VSB_DATA_DIR, else $XDG_DATA_HOME/vsb.';
