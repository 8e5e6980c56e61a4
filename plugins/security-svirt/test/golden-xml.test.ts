import 'reflect-metadata';
import assert from 'node:assert/strict';
import path from 'node:path';
import { container } from 'tsyringe';
import type { DependencyContainer } from 'tsyringe';
import {
  ConsoleTransport, corePlugin, FilesystemMapper, planSandbox, SandboxBackend, SecurityLabeler, SecurityModel,
  SecurityModelRegistry, uriDriver,
} from '@vsb/core';
import type { BuildContext, DomainDraft, MountSpec, SandboxConfig, SecuritySpec } from '@vsb/core';
import { lxcPlugin } from '@vsb/backend-lxc';
import { goldenFile, sampleConfig, validateDomainXml } from '@vsb/test-support';
import { DacModel, dynamicDacId, NoneModel, SelinuxModel, svirtPlugin } from '../src';

const GOLDEN = path.join(__dirname, '..', '..', 'test', 'golden');
const INHERITED = 'unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023';

/** Golden files need no console: the guest channel is never opened. */
const silentTransport: ConsoleTransport = {
  id: 'test-silent', priority: 0, supports: () => true,
  prepare: () => ({ path: '/dev/null' }),
  attach: () => Promise.reject(new Error('not in golden tests')),
};

/**
 * A QEMU-shaped backend, until the real one lands: enough `<domain type='qemu|kvm'>` for libvirt's
 * schema, with host-image mounts as disks (where per-device seclabels live) and host-binds as 9p.
 */
function fakeQemu(type: 'qemu' | 'kvm'): { backend: SandboxBackend; mapper: FilesystemMapper } {
  const backend: SandboxBackend = {
    id: 'qemu', kind: 'vm', claims: (uri) => uriDriver(uri) === 'qemu',
    build: (ctx: BuildContext, draft: DomainDraft) => {
      draft.type = type;
      draft.name = ctx.config.name;
      draft.memoryKiB = ctx.config.memoryBytes / 1024;
      draft.os = { type: { '@_arch': 'x86_64', '#text': 'hvm' }, kernel: '/boot/vmlinuz', initrd: `${ctx.stateDir}/initrd` };
    },
    addConsole: () => ({ devname: 'console0', guestPath: '/dev/hvc0' }),
  };
  const mapper: FilesystemMapper = {
    id: 'test-qemu-mounts', supports: (_m, b) => b.kind === 'vm',
    map: (m: MountSpec, _ctx, draft) => {
      if (m.type === 'host-image') {
        draft.addDevice('disk', { '@_type': 'file', '@_device': 'disk', driver: { '@_name': 'qemu', '@_type': m.format }, source: { '@_file': m.source }, target: { '@_dev': 'vda', '@_bus': 'virtio' } });
      } else if (m.type === 'host-bind') {
        draft.addDevice('filesystem', { '@_type': 'mount', '@_accessmode': 'passthrough', source: { '@_dir': m.source }, target: { '@_dir': 'sandbox:mount0' } });
      }
    },
  };
  return { backend, mapper };
}

function containerFor(uri: string, qemuType: 'qemu' | 'kvm' = 'qemu'): DependencyContainer {
  const c = container.createChildContainer();
  corePlugin.register(c);
  c.registerInstance(ConsoleTransport, silentTransport);
  if (uri.startsWith('lxc')) {
    lxcPlugin.register(c);
  } else {
    const { backend, mapper } = fakeQemu(qemuType);
    c.registerInstance(SandboxBackend, backend);
    c.registerInstance(FilesystemMapper, mapper);
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
  'selinux-static-relabel': { uri: 'qemu:///system', host: SELINUX, security: { mode: 'static', label: 'system_u:system_r:svirt_tcg_t:s0:c1,c2', relabel: true }, mounts: sharedMounts },
  'selinux-inherit': { host: SELINUX, security: { mode: 'inherit' } },
  'dac-dynamic': { uri: 'qemu:///system', host: ['dac'], security: { mode: 'dynamic', model: 'dac' }, mounts: sharedMounts },
  'dac-static': { uri: 'qemu:///system', host: ['dac'], security: { mode: 'static', model: 'dac', label: '+107:+107' } },
  'dac-static-relabel': { uri: 'qemu:///system', host: ['dac'], security: { mode: 'static', model: 'dac', label: 'libvirt-qemu:kvm', relabel: true } },
  none: { host: ['none'], security: { mode: 'none' } },
};

function plan(c: Case, c2: DependencyContainer = containerFor(c.uri ?? 'lxc:///', c.qemuType)) {
  const config = { ...base, uri: c.uri ?? 'lxc:///', security: c.security, mounts: c.mounts ?? [] };
  return planSandbox(c2, config, { stateDir: '/run/vsb/golden', hostSecurityModels: c.host });
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

  it('puts the dynamic DAC uid in the group of libvirt\'s own QEMU label, which its per-domain files need', () => {
    const c = cases['dac-dynamic']!;
    const config = { ...base, name: 'vsb-a', uri: 'qemu:///system', security: c.security };
    const { xml } = planSandbox(containerFor('qemu:///system'), config, {
      stateDir: '/run/vsb/vsb-a', hostSecurityModels: ['dac'], hostSecurityBaseLabels: { dac: { qemu: '+64055:+64055' } },
    });
    assert.match(xml, new RegExp(`<label>\\+${dynamicDacId('vsb-a')}:\\+64055</label>`));
  });
});

describe('security-svirt model choice', () => {
  const refuse = (c: Case, message: RegExp) => assert.throws(() => plan(c), (err: Error & { code?: string }) => {
    assert.match(`${err.name}: ${err.message}`, message);
    return true;
  });

  it('refuses --security dynamic on a host without SELinux, saying what libvirt offers', () => {
    refuse({ host: ['none'], security: { mode: 'dynamic' } },
      /^SandboxError: --security dynamic needs SELinux, which is not enabled on this host \(libvirt offers: none\)$/);
    assert.throws(() => plan({ uri: 'qemu:///system', host: ['none', 'dac'], security: { mode: 'dynamic' } }), (err: Error & { code: string; suggestions: string[] }) =>
      err.message === '--security dynamic needs SELinux, which is not enabled on this host (libvirt offers: dac)'
      && err.code === 'VSB_NO_SECURITY_MODEL' && err.suggestions[0] === 'for a per-sandbox uid instead, use --security dac');
    refuse({ host: ['none'], security: { mode: 'dynamic', model: 'dac' } },
      /^SandboxError: --security dac needs DAC, which is not enabled on this host \(libvirt offers: none\)$/);
  });

  it('refuses DAC labels libvirt cannot read and an inherited DAC label', () => {
    refuse({ uri: 'qemu:///system', host: ['dac'], security: { mode: 'static', model: 'dac', label: '107' } },
      /^SandboxError: --security: a DAC label is \+UID:\+GID or USER:GROUP, not '107'$/);
    refuse({ uri: 'qemu:///system', host: ['dac'], security: { mode: 'inherit', model: 'dac' } },
      /^SandboxError: --security inherit: the DAC model has nothing to inherit/);
  });

  it('adds nothing without --security, so libvirt applies its own default', () => {
    assert.doesNotMatch(planSandbox(containerFor('lxc:///'), base, { stateDir: '/run/vsb/g', hostSecurityModels: SELINUX }).xml, /seclabel/);
  });

  it('the plugin registers selinux, dac and none', () => {
    const c = container.createChildContainer();
    svirtPlugin.register(c);
    assert.deepEqual(new SecurityModelRegistry(c).all().map((m) => m.id), ['dac', 'none', 'selinux']);
  });

  it('a labeler registered in a child container replaces the default there only', () => {
    const parent = containerFor('lxc:///');
    const child = parent.createChildContainer();
    child.registerInstance(SecurityLabeler, {
      label: (_ctx: BuildContext, draft: DomainDraft) => { draft.seclabels.push({ '@_type': 'static', '@_model': 'selinux', label: 'system_u:system_r:swapped_t:s0' }); },
    });
    const c: Case = { host: SELINUX, security: { mode: 'dynamic' } };
    assert.match(plan(c, child).xml, /<seclabel type="static" model="selinux">\s*<label>system_u:system_r:swapped_t:s0<\/label>/);
    assert.match(plan(c, parent).xml, /<seclabel type="dynamic" model="selinux" relabel="yes">/);
  });
});
