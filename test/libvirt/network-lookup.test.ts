import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { LibvirtError } from '@vsb/libvirt';
import { openLxc, useLxcConnection } from './lxc-fixture';

const virsh = (...args: string[]) => execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], { encoding: 'utf8' });

describe('libvirt binding: network and nwfilter lookups (real libvirtd)', function () {
  this.timeout(20_000);
  const suite = useLxcConnection();

  it('lookupNetwork: the active state and XML virsh reports; null for a name no network has', async () => {
    const found = await suite.conn.lookupNetwork('default');
    assert.ok(found, "libvirt's default network is defined (npm run setup)");
    const active = /^Active:\s+yes$/m.test(virsh('net-info', 'default'));
    assert.equal(found.active, active);
    assert.match(found.xml, /^<network[\s>]/);
    assert.match(found.xml, /<name>default<\/name>/);
    assert.equal(await suite.conn.lookupNetwork('vsb-no-such-network'), null);
  });

  it('nwfilterExists: true for a filter libvirt ships, false for an unknown name', async () => {
    assert.equal(await suite.conn.nwfilterExists('clean-traffic'), true);
    assert.equal(await suite.conn.nwfilterExists('vsb-no-such-filter'), false);
  });

  it('rejects on a closed connection like every other call', async () => {
    const other = await openLxc();
    await other.close();
    await assert.rejects(other.lookupNetwork('default'), (e: unknown) => e instanceof LibvirtError);
    await assert.rejects(other.nwfilterExists('clean-traffic'), (e: unknown) => e instanceof LibvirtError);
  });
});
