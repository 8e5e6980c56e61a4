import { optionError, quoteValue } from './option-error';

/**
 * Parses `--name NAME`: the libvirt domain name, which the guest also uses as its hostname, so it
 * must be a valid DNS label (RFC 1123): 1 to 63 letters, digits and `-`, starting and ending with
 * a letter or digit. (`_`, `.`, `+` are fine for libvirt but not in a hostname.) When a name is
 * refused for its characters the message suggests a fixed one (`my_app` -> `my-app`).
 */
export function parseName(text: string): string {
  const bad = optionError('VSB_BAD_NAME', '--name', text);
  if (text === '') throw bad('the name is empty');
  if (text.length > 63) throw bad(`too long (${text.length} characters, at most 63: the name is also the hostname)`);
  const wrong = /[^A-Za-z0-9-]/u.exec(text);
  if (wrong) {
    const fixed = text.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
    const hint = fixed === '' ? '' : `, e.g. ${quoteValue(fixed)}`;
    throw bad(`character ${quoteValue(wrong[0])} is not allowed (the name is also the hostname: use letters, digits and '-'${hint})`);
  }
  if (text.startsWith('-') || text.endsWith('-')) {
    throw bad(`must start and end with a letter or digit (the name is also the hostname)`);
  }
  return text;
}
