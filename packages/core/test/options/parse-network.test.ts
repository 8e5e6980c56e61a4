import type { NetworkSpec } from '../../src/sandbox-config';
import { parseNetwork } from '../../src/options';
import { itAccepts, itRejects } from './assert-option-error';

const none = { dhcp: false, addresses: [], routes: [], filterParams: [] };
const OPTIONS = 'dhcp, source=, mac=, address=, route=, filter= or filter.KEY=';

describe('parseNetwork', () => {
  itAccepts<NetworkSpec>(parseNetwork, [
    ['dhcp', { ...none, dhcp: true }],
    ['user', { ...none, user: true, dhcp: true }],
    ['source=default', { ...none, source: 'default' }],
    ['dhcp,source=default,mac=52:54:00:AB:cd:01', { ...none, dhcp: true, source: 'default', mac: '52:54:00:ab:cd:01' }],
    ['address=192.168.122.10', { ...none, addresses: [{ address: '192.168.122.10', prefix: 24 }] }],
    ['address=10.1.2.3/8%10.255.255.255', { ...none, addresses: [{ address: '10.1.2.3', prefix: 8, broadcast: '10.255.255.255' }] }],
    ['address=fd00::5', { ...none, addresses: [{ address: 'fd00::5', prefix: 64 }] }],
    ['address=2001:db8::1/128', { ...none, addresses: [{ address: '2001:db8::1', prefix: 128 }] }],
    [
      'address=192.168.1.5/16,address=fd00::5/48,route=10.0.0.0/8%192.168.1.1,route=::/0%fd00::1',
      {
        ...none,
        addresses: [
          { address: '192.168.1.5', prefix: 16 },
          { address: 'fd00::5', prefix: 48 },
        ],
        routes: [
          { network: '10.0.0.0', prefix: 8, gateway: '192.168.1.1' },
          { network: '::', prefix: 0, gateway: 'fd00::1' },
        ],
      },
    ],
    ['route=192.168.7.0%192.168.1.1', { ...none, routes: [{ network: '192.168.7.0', prefix: 24, gateway: '192.168.1.1' }] }],
    ['route=0.0.0.0/0%192.168.1.1', { ...none, routes: [{ network: '0.0.0.0', prefix: 0, gateway: '192.168.1.1' }] }],
    ['route=fd01::%fd00::1', { ...none, routes: [{ network: 'fd01::', prefix: 64, gateway: 'fd00::1' }] }],
    ['route=::ffff:10.0.0.0/104%::1', { ...none, routes: [{ network: '::ffff:10.0.0.0', prefix: 104, gateway: '::1' }] }],
    [
      'source=lan,filter=clean-traffic,filter.IP=10.0.0.2,filter.IP=10.0.0.3,filter.CTRL_IP_LEARNING=none',
      {
        ...none,
        source: 'lan',
        filter: 'clean-traffic',
        filterParams: [
          ['IP', '10.0.0.2'],
          ['IP', '10.0.0.3'],
          ['CTRL_IP_LEARNING', 'none'],
        ],
      },
    ],
  ]);
  itRejects(parseNetwork, [
    ['', 'VSB_BAD_NETWORK', `--network '': no options (use e.g. dhcp, or address=IP/PREFIX; options: ${OPTIONS})`],
    ['dhcp,,source=a', 'VSB_BAD_NETWORK', `--network 'dhcp,,source=a': empty option (two commas in a row, or a comma at an end)`],
    ['dhcp,', 'VSB_BAD_NETWORK', `--network 'dhcp,': empty option (two commas in a row, or a comma at an end)`],
    [
      'user,mac=52:54:00:00:00:01',
      'VSB_BAD_NETWORK',
      `--network 'user,mac=52:54:00:00:00:01': 'user' (user-mode networking) takes no other options: give it alone, as -N user`,
    ],
    ['dhpc', 'VSB_BAD_NETWORK', `--network 'dhpc': unknown option 'dhpc' (use ${OPTIONS})`],
    ['ip=1.2.3.4', 'VSB_BAD_NETWORK', `--network 'ip=1.2.3.4': unknown option 'ip' (use ${OPTIONS})`],
    ['dhcp=yes', 'VSB_BAD_NETWORK', `--network 'dhcp=yes': option 'dhcp' takes no value (write just 'dhcp')`],
    ['dhcp,dhcp', 'VSB_BAD_NETWORK', `--network 'dhcp,dhcp': option 'dhcp' is given twice`],
    ['dhcp,address=10.0.0.2', 'VSB_BAD_NETWORK', `--network 'dhcp,address=10.0.0.2': dhcp cannot be combined with address= or route=`],
    ['route=10.0.0.0/8%10.0.0.1,dhcp', 'VSB_BAD_NETWORK', `--network 'route=10.0.0.0/8%10.0.0.1,dhcp': dhcp cannot be combined with address= or route=`],
    ['source=', 'VSB_BAD_NETWORK', `--network 'source=': option 'source' needs a value (e.g. source=default)`],
    ['address', 'VSB_BAD_NETWORK', `--network 'address': option 'address' needs a value (e.g. address=192.168.122.10/24)`],
    ['source=a,source=b', 'VSB_BAD_NETWORK', `--network 'source=a,source=b': option 'source' is given twice (use another --network for another interface)`],
    ['mac=52:54:00:12:34', 'VSB_BAD_NETWORK', `--network 'mac=52:54:00:12:34': mac '52:54:00:12:34' is not of the form XX:XX:XX:XX:XX:XX (hex digits)`],
    [
      'mac=52-54-00-12-34-56',
      'VSB_BAD_NETWORK',
      `--network 'mac=52-54-00-12-34-56': mac '52-54-00-12-34-56' is not of the form XX:XX:XX:XX:XX:XX (hex digits)`,
    ],
    [
      'mac=01:00:5e:00:00:01',
      'VSB_BAD_NETWORK',
      `--network 'mac=01:00:5e:00:00:01': mac '01:00:5e:00:00:01' is a multicast address (the first byte must be even, e.g. 52:54:00:...)`,
    ],
    ['address=1.2.3', 'VSB_BAD_NETWORK', `--network 'address=1.2.3': '1.2.3' in address= is not an IPv4 or IPv6 address`],
    ['address=1.2.3.4/33', 'VSB_BAD_NETWORK', `--network 'address=1.2.3.4/33': prefix '33' in address= must be a number from 1 to 32 for IPv4`],
    ['address=1.2.3.4/0', 'VSB_BAD_NETWORK', `--network 'address=1.2.3.4/0': prefix '0' in address= must be a number from 1 to 32 for IPv4`],
    ['address=1.2.3.4/', 'VSB_BAD_NETWORK', `--network 'address=1.2.3.4/': prefix '' in address= must be a number from 1 to 32 for IPv4`],
    ['address=fd00::1/129', 'VSB_BAD_NETWORK', `--network 'address=fd00::1/129': prefix '129' in address= must be a number from 1 to 128 for IPv6`],
    ['address=fd00::1%eth0', 'VSB_BAD_NETWORK', `--network 'address=fd00::1%eth0': IPv6 has no broadcast address (drop '%eth0' from address=)`],
    ['address=1.2.3.4/24%1.2.3', 'VSB_BAD_NETWORK', `--network 'address=1.2.3.4/24%1.2.3': broadcast '1.2.3' in address= is not an IPv4 address`],
    ['route=10.0.0.0/8', 'VSB_BAD_NETWORK', `--network 'route=10.0.0.0/8': route= needs a gateway: route=NETWORK/PREFIX%GATEWAY`],
    ['route=default%10.0.0.1', 'VSB_BAD_NETWORK', `--network 'route=default%10.0.0.1': network 'default' in route= is not an IPv4 or IPv6 address`],
    ['route=10.0.0.0/40%10.0.0.1', 'VSB_BAD_NETWORK', `--network 'route=10.0.0.0/40%10.0.0.1': prefix '40' in route= must be a number from 0 to 32 for IPv4`],
    [
      'route=10.0.0.0/8%fd00::1',
      'VSB_BAD_NETWORK',
      `--network 'route=10.0.0.0/8%fd00::1': gateway 'fd00::1' in route= is not an IPv4 address like the network`,
    ],
    [
      'route=10.0.0.1/8%10.0.0.1',
      'VSB_BAD_NETWORK',
      `--network 'route=10.0.0.1/8%10.0.0.1': network '10.0.0.1/8' in route= has bits set after the prefix (did you mean 10.0.0.0/8?)`,
    ],
    [
      'route=192.168.7.9%192.168.1.1',
      'VSB_BAD_NETWORK',
      `--network 'route=192.168.7.9%192.168.1.1': network '192.168.7.9/24' in route= has bits set after the prefix (did you mean 192.168.7.0/24?)`,
    ],
    ['route=fd00::1/64%fd00::ff', 'VSB_BAD_NETWORK', `--network 'route=fd00::1/64%fd00::ff': network 'fd00::1/64' in route= has bits set after the prefix`],
    [
      'route=::ffff:10.0.0.1/104%::1',
      'VSB_BAD_NETWORK',
      `--network 'route=::ffff:10.0.0.1/104%::1': network '::ffff:10.0.0.1/104' in route= has bits set after the prefix`,
    ],
    ['filter.IP=10.0.0.2', 'VSB_BAD_NETWORK', `--network 'filter.IP=10.0.0.2': filter.IP= needs filter=NAME`],
    ['filter=f,filter.=1', 'VSB_BAD_NETWORK', `--network 'filter=f,filter.=1': filter parameter name '' may hold only letters, digits and '_'`],
    ['filter=f,filter.A-B=1', 'VSB_BAD_NETWORK', `--network 'filter=f,filter.A-B=1': filter parameter name 'A-B' may hold only letters, digits and '_'`],
    ['filter=f,filter.IP', 'VSB_BAD_NETWORK', `--network 'filter=f,filter.IP': filter.IP= needs a value (e.g. filter.IP=192.168.122.10)`],
    ['filter=a,filter=b', 'VSB_BAD_NETWORK', `--network 'filter=a,filter=b': option 'filter' is given twice (use another --network for another interface)`],
    ['source=a\nb', 'VSB_BAD_NETWORK', `--network 'source=a\\nb': contains a control character`],
  ]);
});
