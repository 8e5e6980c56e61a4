import 'reflect-metadata';
import assert from 'node:assert/strict';
import path from 'node:path';
import { container } from 'tsyringe';
import type { DependencyContainer } from 'tsyringe';
import { ConsoleTransport, corePlugin, planSandbox, SecurityLabeler, SecurityModel, SecurityModelRegistry } from '@vsb/core';
import type { BuildContext, DomainDraft, GuestCapability, MountSpec, SandboxConfig, SecuritySpec } from '@vsb/core';
import { lxcPlugin } from '@vsb/backend-lxc';
import { qemuPlugin } from '@vsb/backend-qemu';
import type { QemuAssets } from '@vsb/backend-qemu';
import { vmMountsPlugin } from '@vsb/vm-boot';
import { goldenFile, sampleConfig, validateDomainXml } from '@vsb/test-support';
import { DacModel, dynamicDacId, NoneModel, SelinuxModel, svirtPlugin } from '@vsb/security-svirt';

const GOLDEN = path.join(__dirname, '..', '..', 'security-labels', 'golden');
const INHERITED = 'unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023';

/** Golden files need no console: the guest channel is never opened. */
const silentTransport: ConsoleTransport = {
  id: 'test-silent',
  priority: 0,
  supports: () => true,
  prepare: () => ({ path: '/dev/null' }),
  attach: () => Promise.reject(new Error('not in golden tests')),
};

/**
 * What a QEMU plan learns from the host (libvirt's guests, the backend's `prepare`): libvirt offers
 * both domain types; the guest is a TCG one ('qemu') unless the CPU can run KVM.
 */
function qemuHost(type: 'qemu' | 'kvm' = 'qemu'): { hostGuests: GuestCapability[]; assets: QemuAssets } {
  return {
    hostGuests: [{ osType: 'hvm', arch: 'x86_64', machines: ['pc-q35-7.2', 'q35', 'microvm'], domainTypes: ['qemu', 'kvm'] }],
    assets: {
      kernel: '/var/cache/vsb/vmlinux-6.1.0-57-amd64-0123456789abcdef',
      initrd: '/var/cache/vsb/initrd-fedcba9876543210',
      tscKhz: 2596146,
      kvmUsable: type === 'kvm',
      callerUid: 1000,
      startMessage: 'booting kernel 6.1.0-57-amd64',
    },
  };
}

/** The real backends: LXC, or QEMU with @vsb/vm-boot's mount mappers (host images as disks, where per-device seclabels live). */
function containerFor(uri: string): DependencyContainer {
  const c = container.createChildContainer();
  corePlugin.register(c);
  c.registerInstance(ConsoleTransport, silentTransport);
  if (uri.startsWith('lxc')) {
    lxcPlugin.register(c);
  } else {
    vmMountsPlugin.register(c);
    qemuPlugin.register(c);
  }
  c.register(SecurityModel, { useFactory: () => new SelinuxModel(() => INHERITED) });
  c.register(SecurityModel, { useFactory: () => new DacModel() });
  c.register(SecurityModel, { useFactory: () => new NoneModel() });
  return c;
}

const base: SandboxConfig = sampleConfig();

const sharedMounts: MountSpec[] = [
  { type: 'host-image', target: '/keep', source: '/var/lib/images/shared.img', format: 'raw', relabel: false },
  { type: 'host-image', target: '/own', source: '/var/lib/images/own.img', format: 'raw' },
  { type: 'host-bind', target: '/data', source: '/srv/data', readonly: false, relabel: false },
];

interface Case {
  readonly uri?: string;
  readonly qemuType?: 'qemu' | 'kvm';
  readonly host: readonly string[];
  readonly security: SecuritySpec;
  readonly mounts?: readonly MountSpec[];
}

const SELINUX = ['selinux', 'dac'];
const cases: Record<string, Case> = {
  'selinux-dynamic-lxc': { host: SELINUX, security: { mode: 'dynamic' }, mounts: [sharedMounts[2]!] },
  'selinux-dynamic-tcg': { uri: 'qemu:///system', host: SELINUX, security: { mode: 'dynamic' }, mounts: sharedMounts },
  'selinux-dynamic-kvm': { uri: 'qemu:///system', qemuType: 'kvm', host: SELINUX, security: { mode: 'dynamic' } },
  'selinux-dynamic-base-label': { host: SELINUX, security: { mode: 'dynamic', label: 'system_u:system_r:svirt_sandbox_t:s0' } },
  'selinux-static': { host: SELINUX, security: { mode: 'static', label: 'system_u:system_r:svirt_lxc_net_t:s0:c10,c20' } },
  'selinux-static-relabel': {
    uri: 'qemu:///system',
    host: SELINUX,
    security: { mode: 'static', label: 'system_u:system_r:svirt_tcg_t:s0:c1,c2', relabel: true },
    mounts: sharedMounts,
  },
  'selinux-inherit': { host: SELINUX, security: { mode: 'inherit' } },
  'dac-dynamic': { uri: 'qemu:///system', host: ['dac'], security: { mode: 'dynamic', model: 'dac' }, mounts: sharedMounts },
  'dac-static': { uri: 'qemu:///system', host: ['dac'], security: { mode: 'static', model: 'dac', label: '+107:+107' } },
  'dac-static-relabel': { uri: 'qemu:///system', host: ['dac'], security: { mode: 'static', model: 'dac', label: 'libvirt-qemu:kvm', relabel: true } },
  none: { host: ['none'], security: { mode: 'none' } },
};

function plan(c: Case, c2: DependencyContainer = containerFor(c.uri ?? 'lxc:///')) {
  const config = { ...base, uri: c.uri ?? 'lxc:///', security: c.security, mounts: c.mounts ?? [] };
  return planSandbox(c2, config, { stateDir: '/run/vsb/golden', hostSecurityModels: c.host, ...(c.uri?.startsWith('qemu') && qemuHost(c.qemuType)) });
}

describe('security-svirt golden XML', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: matches the golden file and libvirt's schema`, () => {
      const { xml } = plan(c);
      assert.equal(xml, goldenFile(path.join(GOLDEN, `${name}.xml`), xml));
      validateDomainXml(xml);
    });
  }

  it('libvirt allows no per-device seclabel on <filesystem>, so relabel=no on a passthrough mount writes none', () => {
    const xml = plan(cases['selinux-dynamic-lxc']!).xml;
    assert.doesNotMatch(xml.split('<seclabel')[0]!.split('<filesystem').slice(1).join(''), /seclabel/);
    const withFsLabel = xml.replace('<source dir="/srv/data"/>', '<source dir="/srv/data"><seclabel model="selinux" relabel="no"/></source>');
    assert.notEqual(withFsLabel, xml);
    assert.throws(() => validateDomainXml(withFsLabel), /Command failed/);
  });

  it('gives each sandbox name its own unprivileged uid in the dynamic DAC range', () => {
    const a = dynamicDacId('vsb-a');
    assert.equal(a, dynamicDacId('vsb-a'));
    assert.notEqual(a, dynamicDacId('vsb-b'));
    assert.ok(a >= 0x70000000 && a < 0x71000000);
  });

  it("puts the dynamic DAC uid in the group of libvirt's own QEMU label, which its per-domain files need", () => {
    const c = cases['dac-dynamic']!;
    const config = { ...base, name: 'vsb-a', uri: 'qemu:///system', security: c.security };
    const { xml } = planSandbox(containerFor('qemu:///system'), config, {
      stateDir: '/run/vsb/vsb-a',
      hostSecurityModels: ['dac'],
      hostSecurityBaseLabels: { dac: { qemu: '+64055:+64055' } },
      ...qemuHost(),
    });
    assert.match(xml, new RegExp(`<label>\\+${dynamicDacId('vsb-a')}:\\+64055</label>`));
  });
});

describe('security-svirt model choice', () => {
  const refuse = (c: Case, message: RegExp) =>
    assert.throws(
      () => plan(c),
      (err: Error & { code?: string }) => {
        assert.match(`${err.name}: ${err.message}`, message);
        return true;
      },
    );

  it('refuses --security dynamic on a host without SELinux, saying what libvirt offers', () => {
    refuse(
      { host: ['none'], security: { mode: 'dynamic' } },
      /^SandboxError: --security dynamic needs SELinux, which is not enabled on this host \(libvirt offers: none\)$/,
    );
    assert.throws(
      () => plan({ uri: 'qemu:///system', host: ['none', 'dac'], security: { mode: 'dynamic' } }),
      (err: Error & { code: string; suggestions: string[] }) =>
        err.message === '--security dynamic needs SELinux, which is not enabled on this host (libvirt offers: dac)' &&
        err.code === 'VSB_NO_SECURITY_MODEL' &&
        err.suggestions[0] === 'for a per-sandbox uid instead, use --security dac',
    );
    refuse(
      { host: ['none'], security: { mode: 'dynamic', model: 'dac' } },
      /^SandboxError: --security dac needs DAC, which is not enabled on this host \(libvirt offers: none\)$/,
    );
  });

  it('refuses DAC labels libvirt cannot read and an inherited DAC label', () => {
    refuse(
      { uri: 'qemu:///system', host: ['dac'], security: { mode: 'static', model: 'dac', label: '107' } },
      /^SandboxError: --security: a DAC label is \+UID:\+GID or USER:GROUP, not '107'$/,
    );
    refuse(
      { uri: 'qemu:///system', host: ['dac'], security: { mode: 'inherit', model: 'dac' } },
      /^SandboxError: --security inherit: the DAC model has nothing to inherit/,
    );
  });

  it('adds nothing without --security, so libvirt applies its own default', () => {
    assert.doesNotMatch(planSandbox(containerFor('lxc:///'), base, { stateDir: '/run/vsb/g', hostSecurityModels: SELINUX }).xml, /seclabel/);
  });

  it('the plugin registers selinux, dac and none', () => {
    const c = container.createChildContainer();
    svirtPlugin.register(c);
    assert.deepEqual(
      new SecurityModelRegistry(c).all().map((m) => m.id),
      ['dac', 'none', 'selinux'],
    );
  });

  it('a labeler registered in a child container replaces the default there only', () => {
    const parent = containerFor('lxc:///');
    const child = parent.createChildContainer();
    child.registerInstance(SecurityLabeler, {
      label: (_ctx: BuildContext, draft: DomainDraft) => {
        draft.seclabels.push({ '@_type': 'static', '@_model': 'selinux', label: 'system_u:system_r:swapped_t:s0' });
      },
    });
    const c: Case = { host: SELINUX, security: { mode: 'dynamic' } };
    assert.match(plan(c, child).xml, /<seclabel type="static" model="selinux">\s*<label>system_u:system_r:swapped_t:s0<\/label>/);
    assert.match(plan(c, parent).xml, /<seclabel type="dynamic" model="selinux" relabel="yes">/);
  });
});
