import { isIP } from 'node:net';
import type { NetworkRoute } from '../sandbox-config';
import { ipToBigInt, ipv4FromBigInt } from './ip-to-big-int';
import { quoteValue, type OptionError } from './option-error';
import { parsePrefix, splitPrefix } from './parse-network-address';

/**
 * Parses the value of `route=NET[/PREFIX]%GW`: PREFIX defaults to 24 / 64 and may be 0 (default
 * route); the gateway is required and of the network's family; NET must have no bits set after
 * the prefix (`10.0.0.1/8` is refused with the fix, `10.0.0.0/8`), which `ip route` inside the
 * guest would otherwise reject with a cryptic message.
 */
export function parseNetworkRoute(value: string, bad: OptionError): NetworkRoute {
  const percent = value.indexOf('%');
  if (percent < 0) throw bad(`route= needs a gateway: route=NETWORK/PREFIX%GATEWAY`);
  const [network, prefixText] = splitPrefix(value.slice(0, percent));
  const gateway = value.slice(percent + 1);
  const family = isIP(network);
  if (family === 0) throw bad(`network ${quoteValue(network)} in route= is not an IPv4 or IPv6 address`);
  const prefix = parsePrefix(prefixText, family, 0, 'route=', bad);
  if (isIP(gateway) !== family) throw bad(`gateway ${quoteValue(gateway)} in route= is not an IPv${family} address like the network`);
  const width = BigInt(family === 4 ? 32 : 128);
  const bits = ipToBigInt(network);
  const hostBits = bits & ((1n << (width - BigInt(prefix))) - 1n);
  if (hostBits !== 0n) {
    const fix = family === 4 ? ` (did you mean ${ipv4FromBigInt(bits - hostBits)}/${prefix}?)` : '';
    throw bad(`network ${quoteValue(`${network}/${prefix}`)} in route= has bits set after the prefix${fix}`);
  }
  return { network, prefix, gateway };
}
