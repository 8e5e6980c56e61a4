import assert from 'node:assert/strict';
import { checkNetworks, networkNameserver } from '../src/host/check-networks';
import { claimNetworkSlot, interfaceMac, withDefaultMacs } from '../src/plan/network-interfaces';
import type { LibvirtConnection, LibvirtNetwork } from '../src/extension-points/libvirt-connector';
import type { NetworkSpec, SandboxConfig } from '../src/sandbox-config';
import { SandboxError } from '../src/sandbox-error';

const XML = `<network><name>lan</name><bridge name='virbr9'/><ip address='10.9.0.1' netmask='255.255.255.0'><dhcp><range start='10.9.0.2' end='10.9.0.9'/></dhcp></ip><ip family='ipv6' address='fd09::1' prefix='64'/></network>`;

/** A connection that knows only networks and filters (the seam checkNetworks uses). */
function fakeConnection(networks: Record<string, LibvirtNetwork>, filters: string[] = []): LibvirtConnection {
  return {
    lookupNetwork: (name: string) => Promise.resolve(networks[name] ?? null),
    nwfilterExists: (name: string) => Promise.resolve(filters.includes(name)),
  } as unknown as LibvirtConnection;
}

const net = (over: Partial<NetworkSpec>): NetworkSpec => ({ dhcp: true, addresses: [], routes: [], filterParams: [], ...over });
const config = (networks: NetworkSpec[]) => ({ name: 'sb', networks }) as unknown as SandboxConfig;

describe('checkNetworks', () => {
  it('returns the DNS server of each active network, once', async () => {
    const conn = fakeConnection({ lan: { active: true, xml: XML } });
    assert.deepEqual(await checkNetworks(conn, config([net({ source: 'lan' }), net({ source: 'lan' }), net({ user: true })])), { nameservers: ['10.9.0.1'] });
  });
  it('refuses a missing or inactive network and an unknown filter, naming the option', async () => {
    const conn = fakeConnection({ idle: { active: false, xml: XML }, lan: { active: true, xml: XML } }, ['clean-traffic']);
    const fails = (n: NetworkSpec, code: string, message: string) =>
      assert.rejects(checkNetworks(conn, config([n])), (e: unknown) => e instanceof SandboxError && e.code === code && e.message === message);
    await fails(
      net({}),
      'VSB_NO_NETWORK',
      `--network source=default: no active libvirt network 'default' (none has that name; list them: virsh net-list --all)`,
    );
    await fails(net({ source: 'idle' }), 'VSB_NO_NETWORK', `--network source=idle: no active libvirt network 'idle' (start it: virsh net-start idle)`);
    await fails(
      net({ source: 'lan', filter: 'nope' }),
      'VSB_BAD_NETWORK',
      `--network filter=nope: no libvirt nwfilter 'nope' (list them: virsh nwfilter-list)`,
    );
    await checkNetworks(conn, config([net({ source: 'lan', filter: 'clean-traffic' })]));
  });
  it('finds no DNS server on a network with <dns enable="no">', () => {
    assert.equal(networkNameserver(XML.replace('<ip ', `<dns enable='no'/><ip `)), undefined);
  });
});

describe('claimNetworkSlot', () => {
  it('gives the lowest free slot, never one another holder has, and the same again once released', async () => {
    const a = await claimNetworkSlot();
    const b = await claimNetworkSlot();
    assert.notEqual(a.slot, b.slot);
    const freed = a.slot;
    a.release();
    await new Promise((r) => setImmediate(r));
    const c = await claimNetworkSlot();
    assert.equal(c.slot, freed);
    b.release();
    c.release();
  });
});

describe('interfaceMac', () => {
  it('keeps mac=, else derives a stable unicast 52:54:00 MAC per sandbox and interface', () => {
    const c = config([net({ mac: '52:54:00:aa:bb:cc' }), net({})]);
    assert.equal(interfaceMac(c, 0), '52:54:00:aa:bb:cc');
    assert.match(interfaceMac(c, 1), /^52:54:00(:[0-9a-f]{2}){3}$/);
    assert.equal(interfaceMac(c, 1), interfaceMac(config([net({}), net({})]), 1));
    assert.notEqual(interfaceMac(c, 1), interfaceMac({ ...c, name: 'other' }, 1));
  });
  it('with a network slot, derives the MAC from the slot, so the next run in it keeps its DHCP lease', () => {
    const c = config([net({ mac: '52:54:00:aa:bb:cc' }), net({})]);
    const [kept, derived] = withDefaultMacs(c, 0);
    assert.equal(kept.mac, '52:54:00:aa:bb:cc');
    assert.equal(derived.mac, withDefaultMacs({ ...c, name: 'next-run' }, 0)[1].mac);
    assert.notEqual(derived.mac, withDefaultMacs(c, 1)[1].mac);
    assert.equal(withDefaultMacs(c, undefined)[1].mac, interfaceMac(c, 1));
  });
});
