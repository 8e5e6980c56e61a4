import { optionError, quoteValue } from './option-error';

/**
 * Parses `--env KEY=VALUE` into `[KEY, VALUE]`, splitting at the first `=`. KEY must be a portable
 * variable name (`[A-Za-z_][A-Za-z0-9_]*`: anything else cannot be used from a shell and the
 * original passed it on blindly); VALUE may be empty and hold anything (`=`, quotes, `<&`,
 * newlines) except a NUL byte, which no environment can carry. Order and "last wins" are the
 * caller's.
 */
export function parseEnv(text: string): [string, string] {
  const bad = optionError('VSB_BAD_ENV', '--env', text);
  const eq = text.indexOf('=');
  if (eq < 0) throw bad(`missing '=' (use KEY=VALUE; KEY= sets an empty value)`);
  const key = text.slice(0, eq);
  const value = text.slice(eq + 1);
  if (key === '') throw bad(`missing variable name before '='`);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw bad(`invalid variable name ${quoteValue(key)} (use letters, digits and '_', not starting with a digit)`);
  }
  if (value.includes('\0')) throw bad('the value contains a NUL byte');
  return [key, value];
}
