import type { LeanFlag } from './lean-args';

/** The options of `vsb exec` (its oclif class shows them in help and the man page). */
export const EXEC_FLAGS: readonly LeanFlag[] = [
  { name: 'tty', char: 't', summary: 'run the command on a pty of its own; your terminal is raw meanwhile (default: pipes, whatever stdin is)' },
  {
    name: 'env',
    char: 'e',
    helpValue: 'KEY=VALUE|KEY',
    multiple: true,
    summary: "set an environment variable over the sandbox's, or pass your KEY (repeatable, later wins; LANG, LC_* and TZ are passed by default)",
  },
  { name: 'workdir', char: 'w', helpValue: 'DIR', summary: "start the command in DIR (default: where the sandbox's command started)" },
];
