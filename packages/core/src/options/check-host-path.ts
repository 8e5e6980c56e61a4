import { quoteValue, type OptionError } from './option-error';

/**
 * Validates a path on the host and returns it unchanged: it must be absolute (libvirt resolves
 * nothing against vsb's working directory; the hint shows `$PWD/...` for the shell to expand) and
 * free of control characters. It is not normalised: `..` after a symlink means something else to
 * the kernel than to a string function. An empty path is the caller's business.
 */
export function checkHostPath(path: string, what: string, bad: OptionError): string {
  if (/[\x00-\x1f\x7f]/.test(path)) throw bad(`${what} ${quoteValue(path)} contains a control character`);
  if (!path.startsWith('/')) {
    throw bad(`${what} ${quoteValue(path)} must be an absolute path (e.g. $PWD/${path.replace(/^(\.\/)+/, '')})`);
  }
  return path;
}
