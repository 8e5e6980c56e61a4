import { autocompleteMan } from '../autocomplete-man';
import { attachMan } from '../commands/attach-man';
import { doctorMan } from '../commands/doctor-man';
import { execMan } from '../commands/exec-man';
import { logsMan } from '../commands/logs-man';
import { psMan } from '../commands/ps-man';
import { runMan } from '../commands/run-man';
import { stopMan } from '../commands/stop-man';
import { pluginsMan } from '../plugins-man';
import type { ManSections } from './man-sections';

/** The hand-written sections of each command's page, by command id; a command without any gets none. */
export const COMMAND_MAN_SECTIONS: Readonly<Record<string, ManSections>> = {
  attach: attachMan,
  autocomplete: autocompleteMan,
  doctor: doctorMan,
  exec: execMan,
  logs: logsMan,
  ps: psMan,
  run: runMan,
  stop: stopMan,
  plugins: pluginsMan,
  'plugins:install': pluginsMan,
  'plugins:link': pluginsMan,
  'plugins:uninstall': pluginsMan,
};
