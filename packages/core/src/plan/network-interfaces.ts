import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { BuildContext } from '../extension-points/build-context';
import type { XmlElement } from './domain-draft';
import type { GuestMount } from './guest-config';
import type { NetworkSpec, SandboxConfig } from '../sandbox-config';
import { claimSlot, type Slot } from '../host/id-range';
import { SandboxError } from '../sandbox-error';

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
 * The MAC of interface `index`: the one given with `mac=` (or set by {@link withDefaultMacs}), else
 * one derived from the sandbox name (52:54:00 is QEMU's/libvirt's own prefix). vsb fixes it rather
 * than letting libvirt pick, so the guest init can find the interface by MAC: a VM's virtio-mmio
 * devices probe in no fixed order.
 */
export function interfaceMac(config: SandboxConfig, index: number): string {
  return config.networks[index]?.mac ?? macFrom(`${config.name}\0${index}`);
}

/**
 * The networks with a MAC for each interface that has none. With the run's network slot (claimed
 * by {@link claimNetworkSlot}), from this host, the slot and the index: a slot is held by one
 * sandbox at a time and the next run claims the lowest free one, usually the same, so it asks DHCP
 * with the last run's MAC and gets its lease back at once, where a new MAC costs ~3 s (measured:
 * libvirt's dnsmasq pings each address it hands out for the first time, for 3 s). Without a slot
 * (dry run), from the sandbox's name.
 */
export function withDefaultMacs(config: SandboxConfig, slot: number | undefined): NetworkSpec[] {
  return config.networks.map((net, index) =>
    net.mac
      ? net
      : {
          ...net,
          mac: slot === undefined ? interfaceMac(config, index) : macFrom(`${os.hostname()}\0${process.getuid?.() ?? 0}\0${slot}\0${index}`),
        },
  );
}

/** Claims this run's network slot (see {@link withDefaultMacs}): the lowest one no running sandbox of this host holds. */
export async function claimNetworkSlot(): Promise<Slot> {
  const claim = await claimSlot('vsb-net', 0, NETWORK_SLOTS);
  if (!claim) throw new SandboxError('VSB_NO_ID_RANGE', `no free network slot: ${NETWORK_SLOTS} sandboxes with networks are running on this host`);
  return claim;
}

const NETWORK_SLOTS = 0x10000;

function macFrom(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
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
