import 'reflect-metadata';
import assert from 'node:assert/strict';
import path from 'node:path';
import { container } from 'tsyringe';
import { ConsoleTransport, corePlugin, decodeGuestConfig, planSandbox } from '@vsb/core';
import type { GuestCapability, PlanOptions, SandboxConfig } from '@vsb/core';
import { EVERY_MOUNT_TYPE, goldenFile, sampleConfig, validateDomainXml } from '@vsb/test-support';
import { svirtPlugin } from '@vsb/security-svirt';
import { vmMountsPlugin } from '@vsb/vm-boot';
import { QemuBackend, qemuPlugin } from '../src';
import type { QemuAssets } from '../src';

const GOLDEN = path.join(__dirname, '..', '..', 'test', 'golden');

/** What console-rpc does in prepare: the backend's channel when it has one. */
const channelTransport: ConsoleTransport = {
  id: 'test-channel',
  priority: 0,
  supports: () => true,
  prepare: (ctx, backend, draft) => {
    const ep = backend.addChannel?.(ctx, draft) ?? backend.addConsole(ctx, draft);
    return { path: ep.guestPath, hostName: ep.devname };
  },
  attach: () => Promise.reject(new Error('not in golden tests')),
};

function plan(config: SandboxConfig, options: Partial<PlanOptions> & { assets?: QemuAssets } = {}) {
  const c = container.createChildContainer();
  corePlugin.register(c);
  vmMountsPlugin.register(c);
  qemuPlugin.register(c);
  svirtPlugin.register(c);
  c.registerInstance(ConsoleTransport, channelTransport);
  return planSandbox(c, config, { stateDir: `/run/vsb/${config.name}`, hostSecurityModels: ['none'], hostGuests: TCG_HOST, assets, ...options });
}

const assets: QemuAssets = {
  kernel: '/var/cache/vsb/vmlinux-6.1.0-57-amd64-0123456789abcdef',
  initrd: '/var/cache/vsb/initrd-fedcba9876543210',
  tscKhz: 2596146,
  kvmUsable: false,
  callerUid: 1000,
  startMessage: 'booting kernel 6.1.0-57-amd64',
};

const hvm = (machines: string[], domainTypes: string[]): GuestCapability[] => [{ osType: 'hvm', arch: 'x86_64', machines, domainTypes }];
/** This machine: libvirt offers KVM, but the CPU has no VT-x/AMD-V (kvmUsable false). */
const TCG_HOST = hvm(['pc-q35-7.2', 'q35', 'microvm'], ['qemu', 'kvm']);

const base: SandboxConfig = sampleConfig({ uri: 'qemu:///system' });

const cases: Record<string, { config?: Partial<SandboxConfig>; options?: Partial<PlanOptions> & { assets?: QemuAssets } }> = {
  'microvm-tcg': {},
  'q35-kvm': { options: { hostGuests: hvm(['pc-q35-7.2', 'q35'], ['qemu', 'kvm']), assets: { ...assets, kvmUsable: true } } },
  'networks-disks': {
    config: {
      networks: [
        { dhcp: true, source: 'testnet', mac: '52:54:00:00:00:01', addresses: [], routes: [], filterParams: [] },
        { user: true, dhcp: true, mac: '52:54:00:00:00:02', addresses: [], routes: [], filterParams: [] },
      ],
      disks: [{ type: 'file', tag: 'data', source: '/var/lib/x.qcow2', format: 'qcow2' }],
    },
  },
  'every-mount-type-as-root': {
    config: {
      debug: true,
      shell: true,
      mounts: EVERY_MOUNT_TYPE,
    },
    // A root caller's VM runs as a per-sandbox uid in libvirt's QEMU group, never as root.
    options: { assets: { ...assets, callerUid: 0 }, hostSecurityModels: ['dac'], hostSecurityBaseLabels: { dac: { qemu: '+64055:+64055' } } },
  },
};

describe('backend-qemu golden XML', () => {
  for (const [name, { config, options }] of Object.entries(cases)) {
    it(`${name}: matches the golden file and libvirt's schema`, () => {
      const xml = plan({ ...base, ...config }, options).xml;
      assert.equal(xml, goldenFile(path.join(GOLDEN, `${name}.xml`), xml));
      validateDomainXml(xml);
    });
  }

  it('hands the guest init its mounts in order: 9p shares, disks by serial, binds and tmpfs', () => {
    const p = plan({ ...base, ...cases['every-mount-type-as-root']!.config });
    const mounts = decodeGuestConfig(p.guestConfig)
      .filter(([k]) => k === 'mount')
      .map(([, v]) => v.split('\x1f'));
    // After core's private /var/tmp, /dev/shm and /run (every sandbox gets those).
    assert.deepEqual(mounts.slice(3), [
      ['9p', 'sandbox:mount0', '/data', ''],
      ['9p', 'sandbox:mount1', '/ro', ''],
      ['ro', '', '/ro', ''],
      ['disk', 'vsb-disk0', '/home', ''],
      ['disk', 'vsb-disk1', '/opt', ''],
      ['bind', '/tmp/mnt', '/mnt', ''],
      ['tmpfs', String(64 * 1024 * 1024), '/tmp', ''],
    ]);
    assert.deepEqual(
      decodeGuestConfig(p.guestConfig).find(([k]) => k === 'channel'),
      ['channel', '/dev/virtio-ports/org.vsb.stdio'],
    );
    assert.equal(p.shellConsole?.guestPath, '/dev/hvc0');
    assert.equal(p.shellConsole?.devname, 'console1');
  });

  it('assumes microvm under TCG when libvirt was not asked (dry run)', () => {
    const xml = plan(base, { hostGuests: undefined }).xml;
    assert.match(xml, /<domain type="qemu">/);
    assert.match(xml, /machine="microvm"/);
  });

  it('claims qemu URIs only, remote ones included', () => {
    const backend = new QemuBackend();
    for (const uri of ['qemu:///system', 'qemu:///session', 'qemu+ssh://host/system']) assert.ok(backend.claims(uri), uri);
    for (const uri of ['lxc:///', 'xen:///']) assert.ok(!backend.claims(uri), uri);
  });

  it('hands the guest init its disks by serial TAG and its links by MAC', () => {
    const p = plan({ ...base, ...cases['networks-disks']!.config });
    const records = decodeGuestConfig(p.guestConfig)
      .filter(([k]) => k === 'disk' || k === 'net')
      .map(([k, val]) => `${k} ${val.split('\x1f').join(' ')}`);
    assert.deepEqual(records, ['net link eth0 52:54:00:00:00:01 ', 'net dhcp eth0  ', 'net link eth1 52:54:00:00:00:02 ', 'net dhcp eth1  ', 'disk data data']);
  });
});
