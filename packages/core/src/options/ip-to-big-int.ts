import { isIP } from 'node:net';

/**
 * The bits of an address `isIP` accepted (IPv4: 32, IPv6: 128, dotted IPv4 tail included), so a
 * route's network can be checked for bits after its prefix without a dependency.
 */
export function ipToBigInt(ip: string): bigint {
  if (isIP(ip) === 4) return ip.split('.').reduce((n, octet) => (n << 8n) | BigInt(octet), 0n);
  let text = ip;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = ipToBigInt(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined) {
    const after = tail === '' ? [] : tail.split(':');
    groups.push(...Array<string>(8 - groups.length - after.length).fill('0'), ...after);
  }
  return groups.reduce((n, group) => (n << 16n) | BigInt(`0x${group}`), 0n);
}

/** Dotted form of 32 IPv4 bits (to suggest the corrected network of a route). */
export function ipv4FromBigInt(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => (n >> shift) & 0xffn).join('.');
}
