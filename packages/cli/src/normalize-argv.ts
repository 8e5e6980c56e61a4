import { SandboxError } from '@vsb/core';

/** What {@link normalizeArgv} needs to know of a command's flags: which take a value. */
export interface FlagShape {
  readonly type: 'option' | 'boolean';
  readonly char?: string;
}

/**
 * The conventions a user types without thinking, turned into what oclif understands, before it
 * parses: `-h` (first, or among a command's options) and `vsb help [run]` for `--help`, `-V` for `--version`, and for `run` the rule of
 * `podman run`: options end at the first word that is not one (or its value), so
 * `vsb run ls -la` runs `ls -la` as `vsb run -- ls -la` does. `-it` (podman's interactive
 * terminal) is not a vsb flag: a one-line error says what vsb does instead.
 */
export function normalizeArgv(args: readonly string[], runFlags: Readonly<Record<string, FlagShape>>): string[] {
  if (args.length === 0) return [];
  const [first, ...rest] = args as [string, ...string[]];
  if (first === '-h') return ['--help', ...rest];
  if (first === '-V') return ['--version', ...rest];
  if (first === 'help') return rest.length > 0 ? [rest[0]!, '--help'] : ['--help'];
  if (first !== 'run') return [first, ...helpArgs(rest)];
  return ['run', ...runArgs(rest, runFlags)];
}

/** `-h` among the leading options of a command (not in its COMMAND after NAME or `--`) is `--help`. */
function helpArgs(args: readonly string[]): string[] {
  const end = args.findIndex((a) => a === '--' || !a.startsWith('-'));
  const options = end < 0 ? args : args.slice(0, end);
  return options.includes('-h') ? ['--help'] : [...args];
}

function runArgs(args: readonly string[], flags: Readonly<Record<string, FlagShape>>): string[] {
  const takesValue = new Set<string>();
  for (const [name, flag] of Object.entries(flags)) {
    if (flag.type !== 'option') continue;
    takesValue.add(`--${name}`);
    if (flag.char) takesValue.add(`-${flag.char}`);
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return [...args];
    if (arg === '-h') return ['--help'];
    if (arg === '-it' || arg === '-ti' || arg === '-t') {
      throw new SandboxError(
        'VSB_USAGE',
        `${arg}: vsb has no -i/-t pair; the command gets a terminal when stdin and stdout are one (--tty forces it, --no-tty refuses it)`,
      );
    }
    if (!arg.startsWith('-') || arg === '-') return [...args.slice(0, i), '--', ...args.slice(i)];
    // `--flag value` and `-f value` skip their value; `--flag=value`, `-fvalue` and booleans do not.
    if (takesValue.has(arg)) i++;
  }
  return [...args];
}
