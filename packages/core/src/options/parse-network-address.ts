import { isIP } from 'node:net';
import type { NetworkAddress } from '../sandbox-config';
import { quoteValue, type OptionError } from './option-error';

/**
 * Parses the value of `address=IP[/PREFIX][%BCAST]`, IPv4 or IPv6 (validated by `node:net`
 * `isIP`). PREFIX defaults to 24 (IPv4) or 64 (IPv6) and must be 1..32 or 1..128; BCAST is IPv4
 * only (IPv6 has no broadcast; a `%` zone id is not supported). The original accepted any text here
 * and left the failure to `ip` inside the guest.
 */
export function parseNetworkAddress(value: string, bad: OptionError): NetworkAddress {
  const percent = value.indexOf('%');
  const [address, prefixText] = splitPrefix(percent < 0 ? value : value.slice(0, percent));
  const family = isIP(address);
  if (family === 0) throw bad(`${quoteValue(address)} in address= is not an IPv4 or IPv6 address`);
  const prefix = parsePrefix(prefixText, family, 1, 'address=', bad);
  if (percent < 0) return { address, prefix };
  const broadcast = value.slice(percent + 1);
  if (family === 6) throw bad(`IPv6 has no broadcast address (drop ${quoteValue(value.slice(percent))} from address=)`);
  if (isIP(broadcast) !== 4) throw bad(`broadcast ${quoteValue(broadcast)} in address= is not an IPv4 address`);
  return { address, prefix, broadcast };
}

/** `IP/PREFIX` into its two parts; the prefix is undefined when there is no `/`. */
export function splitPrefix(text: string): [string, string | undefined] {
  const slash = text.indexOf('/');
  return slash < 0 ? [text, undefined] : [text.slice(0, slash), text.slice(slash + 1)];
}

/** A decimal prefix length from `min` to the family's width; absent means 24 (IPv4) or 64 (IPv6). */
export function parsePrefix(text: string | undefined, family: number, min: number, option: string, bad: OptionError): number {
  const max = family === 4 ? 32 : 128;
  if (text === undefined) return family === 4 ? 24 : 64;
  const prefix = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(prefix >= min && prefix <= max)) {
    throw bad(`prefix ${quoteValue(text)} in ${option} must be a number from ${min} to ${max} for IPv${family}`);
  }
  return prefix;
}
