import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

/** An isolated libvirt network the tests made: no `<forward>`, so nothing leaves this host. */
export interface TestNetwork {
  readonly name: string;
  readonly bridge: string;
  /** The bridge's address: the only address test traffic goes to (DNS, DHCP, the HTTP server). */
  readonly gateway: string;
  /** First three octets, e.g. '10.213.7'. */
  readonly prefix: string;
  /** A name libvirt's dnsmasq answers for this network only, pointing at the gateway. */
  readonly dnsName: string;
  /** The DHCP range's first and last host number (prefix.N). */
  readonly dhcpFirst: number;
  readonly dhcpLast: number;
  destroy(): void;
}

const virsh = (...args: string[]) => execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], { encoding: 'utf8' });

/** Subnets of every network interface of the host, as 'a.b.c' (so the test's own never overlaps one). */
function usedPrefixes(): Set<string> {
  return new Set(
    Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a?.family === 'IPv4')
      .map((a) => a!.address.split('.').slice(0, 3).join('.')),
  );
}

/**
 * Creates a transient isolated network (gone with `net-destroy`, its bridge and dnsmasq too) with
 * DHCP on .100-.199 and a DNS host entry, on a 10.213.N.0/24 no host interface uses.
 */
export function createTestNetwork(): TestNetwork {
  const hex = crypto.randomBytes(3).toString('hex');
  const name = `vsb-tnet${hex}`;
  const bridge = `vsbt${hex}`;
  const used = usedPrefixes();
  let prefix = '';
  for (let tries = 0; tries < 50 && (!prefix || used.has(prefix)); tries++) prefix = `10.213.${crypto.randomInt(1, 255)}`;
  const gateway = `${prefix}.1`;
  const dnsName = `web-${hex}.vsbtest`;
  const xml = `<network>
  <name>${name}</name>
  <bridge name='${bridge}' stp='off'/>
  <dns><host ip='${gateway}'><hostname>${dnsName}</hostname></host></dns>
  <ip address='${gateway}' netmask='255.255.255.0'>
    <dhcp><range start='${prefix}.100' end='${prefix}.199'/></dhcp>
  </ip>
</network>`;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-tnet-')), 'net.xml');
  fs.writeFileSync(file, xml);
  try {
    virsh('net-create', file);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
  return {
    name,
    bridge,
    gateway,
    prefix,
    dnsName,
    dhcpFirst: 100,
    dhcpLast: 199,
    destroy: () => {
      virsh('net-destroy', name);
    },
  };
}

/** Interfaces attached to a bridge (veth / vnet ends of sandboxes). */
export function bridgePorts(bridge: string): string[] {
  try {
    return fs.readdirSync(`/sys/class/net/${bridge}/brif`);
  } catch {
    return [];
  }
}

/** Host interfaces named like sandbox ends: libvirt's vnetN (QEMU taps) and veth*, vsb's vsbv* (LXC veths). */
export function sandboxInterfaces(): string[] {
  return fs.readdirSync('/sys/class/net').filter((n) => /^(vnet|veth|vsbv)/.test(n));
}

/** A network filter rejecting TCP from the guest to one port; removed with `undefine()`. */
export function createRejectFilter(port: number): { name: string; undefine(): void } {
  const name = `vsb-tfilter${crypto.randomBytes(3).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-tfilter-'));
  const file = path.join(dir, 'filter.xml');
  fs.writeFileSync(
    file,
    `<filter name='${name}' chain='root'>
  <rule action='reject' direction='out' priority='500'><tcp dstportstart='${port}'/></rule>
</filter>`,
  );
  try {
    virsh('nwfilter-define', file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { name, undefine: () => void virsh('nwfilter-undefine', name) };
}

/** An HTTP server on `host` serving `body` for every path; `close()` stops it. */
export async function serve(host: string, body: Buffer): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
