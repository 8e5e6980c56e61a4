import fs from 'node:fs/promises';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type { LibvirtConnection } from '../extension-points/libvirt-connector';
import { DEFAULT_NETWORK, HOSTS_FILE, RESOLV_FILE } from '../plan/network-interfaces';
import type { SandboxConfig } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { quoteValue } from '../options/option-error';

/** What the host found out about the run's networks: the DNS servers the guest's resolv.conf names, in `-N` order. */
export interface NetworkFacts {
  readonly nameservers: readonly string[];
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => name === 'ip' });

/**
 * Checks every `-N` against libvirt before any domain exists: the network must be defined and
 * active, a `filter=` must name a defined nwfilter (libvirt would only fail at start, with a
 * message naming neither). Returns the DNS server of each network: libvirt's dnsmasq listens on
 * the network's own (first IPv4) address unless `<dns enable='no'>`.
 */
export async function checkNetworks(connection: LibvirtConnection, config: SandboxConfig): Promise<NetworkFacts> {
  const nameservers: string[] = [];
  for (const net of config.networks) {
    if (net.user) continue;
    const name = net.source ?? DEFAULT_NETWORK;
    const option = `--network source=${name}`;
    const found = await connection.lookupNetwork(name);
    if (!found || !found.active) {
      const fix = found ? `start it: virsh net-start ${name}` : 'none has that name; list them: virsh net-list --all';
      throw new SandboxError('VSB_NO_NETWORK', `${option}: no active libvirt network ${quoteValue(name)} (${fix})`);
    }
    if (net.filter && !(await connection.nwfilterExists(net.filter))) {
      throw new SandboxError(
        'VSB_BAD_NETWORK',
        `--network filter=${net.filter}: no libvirt nwfilter ${quoteValue(net.filter)} (list them: virsh nwfilter-list)`,
      );
    }
    const dns = networkNameserver(found.xml);
    if (dns && !nameservers.includes(dns)) nameservers.push(dns);
  }
  return { nameservers };
}

/** The address libvirt's dnsmasq answers DNS on for a network definition, if it serves DNS. */
export function networkNameserver(xml: string): string | undefined {
  const network = (parser.parse(xml) as { network?: { dns?: { '@_enable'?: string }; ip?: Array<{ '@_address'?: string; '@_family'?: string }> } }).network;
  if (!network || network.dns?.['@_enable'] === 'no') return undefined;
  return network.ip?.find((ip) => ip['@_address'] && (ip['@_family'] ?? 'ipv4') === 'ipv4')?.['@_address'];
}

/**
 * Writes the guest's private `/etc/resolv.conf` (the networks' DNS servers; with `-N user` only,
 * the host's own servers, which QEMU's user-mode network reaches for it) and `/etc/hosts` (the sandbox's name on
 * loopback) into the config dir; nothing without `-N`.
 */
export async function writeNetworkFiles(configDir: string, config: SandboxConfig, facts: NetworkFacts): Promise<void> {
  if (config.networks.length === 0) return;
  let resolv = facts.nameservers.map((ip) => `nameserver ${ip}\n`).join('');
  if (resolv === '')
    resolv = (await fs.readFile('/etc/resolv.conf', 'utf8').catch(() => ''))
      .split('\n')
      .filter((l) => /^nameserver\s/.test(l))
      .map((l) => `${l}\n`)
      .join('');
  const hosts = `127.0.0.1\tlocalhost\n127.0.1.1\t${config.name}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;
  await fs.writeFile(path.join(configDir, RESOLV_FILE), resolv, { mode: 0o644 });
  await fs.writeFile(path.join(configDir, HOSTS_FILE), hosts, { mode: 0o644 });
}
