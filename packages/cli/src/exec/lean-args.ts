import { SandboxError } from '@vsb/core';

/**
 * One option of a command whose arguments are parsed without oclif (`vsb exec`, `vsb attach`,
 * which must start fast): the command's oclif class declares the same for help and man pages.
 */
export interface LeanFlag {
  readonly name: string;
  readonly char?: string;
  /** The value's name in help (`KEY=VALUE`); none for a switch. */
  readonly helpValue?: string;
  readonly multiple?: boolean;
  readonly summary: string;
}

/** What {@link parseLeanArgs} made of the arguments. */
export interface LeanArgs {
  /** Each option given: the values of one that takes them (in order), `true` for a switch. */
  readonly flags: Readonly<Record<string, readonly string[] | true>>;
  readonly name: string;
  /** Everything after NAME (after a `--` behind it, when there is one). */
  readonly command: readonly string[];
}

/**
 * `[OPTIONS] NAME [--] [COMMAND [ARGS...]]`, as podman exec takes them: options only before
 * NAME (`-e X=1`, `-eX=1`, `--env X=1`, `--env=X=1`, `-te X=1`), a `--` before NAME ends them.
 * A bad option or a missing NAME (or COMMAND, when `needsCommand`) is a one-line usage error.
 */
export function parseLeanArgs(args: readonly string[], defs: readonly LeanFlag[], command: string, needsCommand: boolean): LeanArgs {
  const usage = (message: string) => new SandboxError('VSB_USAGE', message, [`see: vsb ${command} --help`]);
  const flags: Record<string, string[] | true> = {};
  const set = (def: LeanFlag, value: string | undefined): void => {
    if (value === undefined) {
      flags[def.name] = true;
      return;
    }
    const values = flags[def.name];
    if (Array.isArray(values) && def.multiple) values.push(value);
    else flags[def.name] = [value];
  };
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const def = defs.find((d) => d.name === name);
      if (!def) throw usage(`unknown option --${name}`);
      if (!def.helpValue) {
        if (eq >= 0) throw usage(`--${name} takes no value`);
        set(def, undefined);
      } else if (eq >= 0) {
        set(def, arg.slice(eq + 1));
      } else {
        if (i + 1 >= args.length) throw usage(`--${name} expects a value (${def.helpValue})`);
        set(def, args[++i]);
      }
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const def = defs.find((d) => d.char === arg[j]);
      if (!def) throw usage(`unknown option -${arg[j]}`);
      if (!def.helpValue) {
        set(def, undefined);
        continue;
      }
      const rest = arg.slice(j + 1);
      if (rest === '' && i + 1 >= args.length) throw usage(`-${def.char} expects a value (${def.helpValue})`);
      set(def, rest === '' ? args[++i] : rest);
      break;
    }
  }
  const name = args[i];
  if (name === undefined) throw usage('missing NAME: the name of the sandbox, as vsb ps lists it');
  const after = args.slice(i + 1);
  const rest = after[0] === '--' ? after.slice(1) : after;
  if (needsCommand && rest.length === 0) throw usage('missing COMMAND: what to run in the sandbox');
  if (!needsCommand && rest.length > 0) throw usage(`unexpected argument ${JSON.stringify(rest[0])}`);
  return { flags, name, command: rest };
}
