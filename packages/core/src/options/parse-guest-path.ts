import { quoteValue, type OptionError } from './option-error';

/**
 * Validates a path inside the sandbox and returns it normalised (`//`, `/./` and a trailing `/`
 * removed). It must be absolute and free of `..` (which would depend on what the guest has mounted
 * where) and of control characters (the guest config separates fields with control bytes).
 * `what` names the path in messages ("target", "source", ...). The root `/` is returned as is:
 * callers that forbid it say so with their own reason.
 */
export function parseGuestPath(path: string, what: string, bad: OptionError): string {
  if (path === '') throw bad(`missing ${what}`);
  if (/[\x00-\x1f\x7f]/.test(path)) throw bad(`${what} ${quoteValue(path)} contains a control character`);
  if (!path.startsWith('/')) throw bad(`${what} ${quoteValue(path)} must be an absolute path (start it with '/')`);
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw bad(`${what} ${quoteValue(path)} must not contain '..'`);
  return `/${parts.join('/')}`;
}
