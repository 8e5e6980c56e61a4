import assert from 'node:assert/strict';
import type { LibvirtConnection, LibvirtConnector } from '@vsb/core';
import { libvirtdCheck, lxcDriverCheck, qemuDriverCheck, securityCheck } from '../src/doctor/libvirt-checks';
import type { LibvirtProbe } from '../src/doctor/libvirt-probe';
import { probeLibvirt } from '../src/doctor/libvirt-probe';

const down: LibvirtProbe = { uri: 'lxc:///', error: 'Failed to connect socket', guests: [], security: [], domains: [] };
const lxcUp: LibvirtProbe = {
  uri: 'lxc:///',
  version: '9.0.0',
  domains: [],
  guests: [{ osType: 'exe', arch: 'x86_64', machines: [], domainTypes: ['lxc'] }],
  security: [{ model: 'none', baseLabels: {} }],
};

describe('vsb doctor checks (fake libvirt answers)', () => {
  it('a libvirtd that does not answer fails on the judged URI and only warns on the other', () => {
    assert.equal(libvirtdCheck(down, true).status, 'fail');
    assert.equal(libvirtdCheck(down, false).status, 'warn');
    assert.match(libvirtdCheck(down, true).fix!, /^(start it with|the LXC driver needs root)/);
    assert.deepEqual(libvirtdCheck(lxcUp, true), { id: 'libvirt lxc:///', status: 'ok', message: 'libvirtd 9.0.0 answers' });
  });

  it('names a missing driver and the package that brings it', () => {
    const noLxc = { ...lxcUp, guests: [] };
    assert.equal(lxcDriverCheck(noLxc, true).status, 'fail');
    assert.match(lxcDriverCheck(noLxc, true).fix!, /libvirt-daemon-driver-lxc/);
    assert.equal(lxcDriverCheck(lxcUp, true).status, 'ok');
    assert.equal(qemuDriverCheck({ ...lxcUp, uri: 'qemu:///system' }, false).status, 'warn');
  });

  it('lists the --security models per driver among those vsb implements, and says SELinux is missing', () => {
    const qemu: LibvirtProbe = {
      ...lxcUp,
      uri: 'qemu:///system',
      security: [
        { model: 'none', baseLabels: {} },
        { model: 'dac', baseLabels: { qemu: '+64055:+64055' } },
        { model: 'foo', baseLabels: {} },
      ],
    };
    const r = securityCheck([lxcUp, qemu, down], ['dac', 'none', 'selinux']);
    assert.equal(r.message, '--security models: lxc:/// none; qemu:///system none, dac; dynamic, static and inherit need SELinux, which no driver offers');
  });

  it('probeLibvirt reads version, capabilities and domains, closes the connection, and reports a refused one', async () => {
    let closed = false;
    const connection = {
      uri: 'lxc:///',
      version: async () => 9_001_002,
      capabilities: async () =>
        '<capabilities><host><secmodel><model>none</model></secmodel></host><guest><os_type>exe</os_type><arch name="x86_64"><domain type="lxc"/></arch></guest></capabilities>',
      listDomains: async () => ['vsb-x'],
      close: async () => {
        closed = true;
      },
    } as unknown as LibvirtConnection;
    const ok = await probeLibvirt({ open: async () => connection }, 'lxc:///');
    assert.equal(ok.version, '9.1.2');
    assert.deepEqual(ok.domains, ['vsb-x']);
    assert.equal(ok.guests[0]?.domainTypes[0], 'lxc');
    assert.equal(ok.security[0]?.model, 'none');
    assert.ok(closed);
    const refused: LibvirtConnector = {
      open: async () => {
        throw new Error('no socket\nmore');
      },
    };
    assert.equal((await probeLibvirt(refused, 'lxc:///')).error, 'no socket');
  });
});
