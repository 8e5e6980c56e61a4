import type { NetworkAddress, NetworkRoute, NetworkSpec } from '../sandbox-config';
import { optionError, quoteValue, type OptionError } from './option-error';
import { parseNetworkAddress } from './parse-network-address';
import { parseNetworkRoute } from './parse-network-route';

const OPTIONS = 'dhcp, source=, mac=, address=, route=, filter= or filter.KEY=';
const EXAMPLES: Readonly<Record<string, string>> = {
  source: 'source=default',
  mac: 'mac=52:54:00:12:34:56',
  address: 'address=192.168.122.10/24',
  route: 'route=10.0.0.0/8%192.168.122.1',
  filter: 'filter=clean-traffic',
};

/**
 * Parses one `--network` (one interface): `user` alone (user-mode networking, for VMs), or comma-separated `dhcp`, `source=NET`, `mac=MAC`,
 * `address=IP[/PREFIX][%BCAST]` and `route=NET[/PREFIX]%GW` (repeatable, see
 * {@link parseNetworkAddress} and {@link parseNetworkRoute}), `filter=NAME` and `filter.KEY=VAL`
 * (repeatable, needs `filter=`). `dhcp` excludes `address=` and `route=`; other options may be
 * given once. The MAC is lower-cased and must be unicast (libvirt refuses multicast ones late).
 * The original checked none of this; typos only failed inside the guest, if at all.
 */
export function parseNetwork(text: string): NetworkSpec {
  const bad = optionError('VSB_BAD_NETWORK', '--network', text);
  if (text === '') throw bad(`no options (use e.g. dhcp, or address=IP/PREFIX; options: ${OPTIONS})`);
  if (/[\x00-\x1f\x7f]/.test(text)) throw bad('contains a control character');
  if (text === 'user') return { user: true, dhcp: true, addresses: [], routes: [], filterParams: [] };
  let dhcp = false;
  const single = new Map<string, string>();
  const addresses: NetworkAddress[] = [];
  const routes: NetworkRoute[] = [];
  const filterParams: Array<readonly [string, string]> = [];
  for (const item of text.split(',')) {
    if (item === '') throw bad('empty option (two commas in a row, or a comma at an end)');
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    if (key === 'dhcp') {
      if (value !== undefined) throw bad(`option 'dhcp' takes no value (write just 'dhcp')`);
      if (dhcp) throw bad(`option 'dhcp' is given twice`);
      dhcp = true;
      continue;
    }
    if (key.startsWith('filter.')) {
      const name = key.slice('filter.'.length);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw bad(`filter parameter name ${quoteValue(name)} may hold only letters, digits and '_'`);
      if (!value) throw bad(`${key}= needs a value (e.g. filter.IP=192.168.122.10)`);
      filterParams.push([name, value]);
      continue;
    }
    if (key === 'user') throw bad(`'user' (user-mode networking) takes no other options: give it alone, as -N user`);
    const example = EXAMPLES[key];
    if (example === undefined) throw bad(`unknown option ${quoteValue(key)} (use ${OPTIONS})`);
    if (!value) throw bad(`option '${key}' needs a value (e.g. ${example})`);
    if (key === 'address') addresses.push(parseNetworkAddress(value, bad));
    else if (key === 'route') routes.push(parseNetworkRoute(value, bad));
    else if (single.has(key)) throw bad(`option '${key}' is given twice (use another --network for another interface)`);
    else single.set(key, key === 'mac' ? parseMac(value, bad) : value);
  }
  if (dhcp && (addresses.length > 0 || routes.length > 0)) throw bad(`dhcp cannot be combined with address= or route=`);
  if (filterParams.length > 0 && !single.has('filter')) throw bad(`filter.${filterParams[0][0]}= needs filter=NAME`);
  return {
    dhcp,
    ...optional('source', single.get('source')),
    ...optional('mac', single.get('mac')),
    addresses,
    routes,
    ...optional('filter', single.get('filter')),
    filterParams,
  };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function parseMac(mac: string, bad: OptionError): string {
  if (!/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/.test(mac)) throw bad(`mac ${quoteValue(mac)} is not of the form XX:XX:XX:XX:XX:XX (hex digits)`);
  if (parseInt(mac.slice(0, 2), 16) & 1) throw bad(`mac ${quoteValue(mac)} is a multicast address (the first byte must be even, e.g. 52:54:00:...)`);
  return mac.toLowerCase();
}
