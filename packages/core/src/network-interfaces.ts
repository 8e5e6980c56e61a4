import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BuildContext } from './build-context';
import type { XmlElement } from './domain-draft';
import type { GuestMount } from './guest-config';
import type { NetworkSpec, SandboxConfig } from './sandbox-config';

/** The libvirt network `-N` uses when it names no `source=` (the original's default too). */
export const DEFAULT_NETWORK = 'default';
/** Files of the config dir the guest sees as its `/etc/resolv.conf` and `/etc/hosts` when it has a network. */
export const RESOLV_FILE = 'resolv.conf';
export const HOSTS_FILE = 'hosts';

/** Guest-side network work (docs/GUEST-CONFIG.md, key `net`): one link to find and name, then its addresses. */
export interface GuestNet {
  readonly kind: 'link' | 'dhcp' | 'addr' | 'route';
  /** The interface as the app sees it: eth0, eth1 ... in `-N` order. */
  readonly ifname: string;
  readonly a: string;
  readonly b: string;
}

/**
 * The MAC of interface `index`: the one given with `mac=`, else one derived from the sandbox name
 * (52:54:00 is QEMU's/libvirt's own prefix). vsb fixes it rather than letting libvirt pick, so the
 * guest init can find the interface by MAC: a VM's virtio-mmio devices probe in no fixed order.
 */
export function interfaceMac(config: SandboxConfig, index: number): string {
  const given = config.networks[index]?.mac;
  if (given) return given;
  const h = createHash('sha256').update(`${config.name}\0${index}`).digest();
  return ['52', '54', '00', ...[h[0], h[1], h[2]].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/**
 * The `<interface>` of one `-N` (the original's builder: `type='network'` with `<source network>`,
 * `<filterref>` with `<parameter>` for nwfilter; `-N user`: `type='user'`, QEMU's own user-mode
 * network: libvirt 9.0 here refuses `<backend type='passt'/>` as an invalid value). Backends
 * add what their driver needs (LXC the guest's device name, QEMU the model and address).
 */
export function interfaceElement(config: SandboxConfig, index: number): XmlElement {
  const net = config.networks[index];
  const mac = { '@_address': interfaceMac(config, index) };
  if (net.user) return { '@_type': 'user', mac };
  const element: XmlElement = { '@_type': 'network', mac, source: { '@_network': net.source ?? DEFAULT_NETWORK } };
  if (net.filter) {
    const filterref: XmlElement = { '@_filter': net.filter };
    if (net.filterParams.length > 0) filterref.parameter = net.filterParams.map(([name, value]) => ({ '@_name': name, '@_value': value }));
    element.filterref = filterref;
  }
  return element;
}

/** The guest name of interface `index`. */
export function interfaceName(index: number): string {
  return `eth${index}`;
}

/** What the init does for the networks: each link by MAC, then DHCP or its static addresses and routes. */
export function guestNetRecords(config: SandboxConfig): GuestNet[] {
  return config.networks.flatMap((net: NetworkSpec, index) => {
    const ifname = interfaceName(index);
    const records: GuestNet[] = [{ kind: 'link', ifname, a: interfaceMac(config, index), b: '' }];
    if (net.dhcp) records.push({ kind: 'dhcp', ifname, a: '', b: '' });
    for (const a of net.addresses) records.push({ kind: 'addr', ifname, a: `${a.address}/${a.prefix}`, b: a.broadcast ?? '' });
    for (const r of net.routes) records.push({ kind: 'route', ifname, a: `${r.network}/${r.prefix}`, b: r.gateway });
    return records;
  });
}

/**
 * With a network, the guest's `/etc/resolv.conf` and `/etc/hosts` are private files from the
 * config dir bound read-only over the root's (the host's own files stay untouched); none without one, so a
 * loopback-only sandbox is as before.
 */
export function networkGuestMounts(ctx: BuildContext): GuestMount[] {
  if (ctx.config.networks.length === 0) return [];
  return [RESOLV_FILE, HOSTS_FILE].flatMap((file): GuestMount[] => [
    { kind: 'bind', source: path.join(ctx.guestConfigDir, file), target: `/etc/${file}`, options: '' },
    { kind: 'ro', source: '', target: `/etc/${file}`, options: '' },
  ]);
}
