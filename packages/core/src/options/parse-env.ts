import { optionError, quoteValue } from './option-error';

/**
 * Parses `--env KEY=VALUE` into `[KEY, VALUE]`, splitting at the first `=`. KEY must be a portable
 * variable name (`[A-Za-z_][A-Za-z0-9_]*`: anything else cannot be used from a shell and the
 * original passed it on blindly); VALUE may be empty and hold anything (`=`, quotes, `<&`,
 * newlines) except a NUL byte, which no environment can carry. Order and "last wins" are the
 * caller's. Given `callerEnv`, a bare `KEY` passes the caller's value, as `podman run -e KEY`
 * does, and undefined when the caller has none (the variable stays unset); `flag` names the
 * option in messages (`--env-file 'F' line 3`).
 */
export function parseEnv(text: string, callerEnv?: Readonly<Record<string, string | undefined>>, flag = '--env'): [string, string] | undefined {
  const bad = optionError('VSB_BAD_ENV', flag, text);
  const eq = text.indexOf('=');
  if (eq < 0 && !callerEnv) throw bad(`missing '=' (use KEY=VALUE; KEY= sets an empty value)`);
  const key = eq < 0 ? text : text.slice(0, eq);
  if (key === '') throw bad(`missing variable name before '='`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw bad(`invalid variable name ${quoteValue(key)} (use letters, digits and '_', not starting with a digit)`);
  }
  const value = eq < 0 ? callerEnv![key] : text.slice(eq + 1);
  if (value === undefined) return undefined;
  if (value.includes('\0')) throw bad('the value contains a NUL byte');
  return [key, value];
}

/**
 * Parses an `--env-file`: one `KEY=VALUE` or bare `KEY` (the caller's value) a line, as
 * `podman run --env-file`: blank lines and lines starting with `#` skipped, no quoting (the value
 * is the rest of the line), CRLF accepted. `file` names the file in messages.
 */
export function parseEnvFile(content: string, file: string, callerEnv: Readonly<Record<string, string | undefined>>): Array<[string, string]> {
  return content.split('\n').flatMap((raw, i): Array<[string, string]> => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return [];
    const entry = parseEnv(line, callerEnv, `--env-file ${quoteValue(file)} line ${i + 1}`);
    return entry ? [entry] : [];
  });
}
