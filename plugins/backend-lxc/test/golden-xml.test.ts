import 'reflect-metadata';
import assert from 'node:assert/strict';
import path from 'node:path';
import { container } from 'tsyringe';
import { ConsoleTransport, corePlugin, decodeGuestConfig, planSandbox, SecurityLabeler } from '@vsb/core';
import type { DomainDraft, SandboxBackend, SandboxConfig, BuildContext } from '@vsb/core';
import { EVERY_MOUNT_TYPE, goldenFile, sampleConfig, validateDomainXml } from '@vsb/test-support';
import { lxcPlugin, type LxcAssets } from '../src';

const GOLDEN = path.join(__dirname, '..', '..', 'test', 'golden');

/** A transport that only asks the backend for its console, as every real transport does. */
const consoleOnlyTransport: ConsoleTransport = {
  id: 'test-console', priority: 0,
  supports: () => true,
  prepare: (ctx: BuildContext, backend: SandboxBackend, draft: DomainDraft) => {
    const ep = backend.addConsole(ctx, draft);
    return { path: ep.guestPath, hostName: ep.devname };
  },
  attach: () => Promise.reject(new Error('not in golden tests')),
};

function freshContainer() {
  const c = container.createChildContainer();
  corePlugin.register(c);
  lxcPlugin.register(c);
  c.registerInstance(ConsoleTransport, consoleOnlyTransport);
  return c;
}

const base: SandboxConfig = sampleConfig();

const cases: Record<string, Partial<SandboxConfig>> = {
  minimal: {},
  'every-mount-type': {
    mounts: [
      ...EVERY_MOUNT_TYPE,
      { type: 'ram', target: '/big', sizeBytes: 3 * 1024 ** 3 },
      { type: 'host-bind', target: '/scratch', source: '', readonly: false },
    ],
  },
  'root-memory-vcpus': { root: '/srv/rootfs', memoryBytes: 2 * 1024 ** 3, vcpus: 2 },
  'special-characters': {
    name: 'a.b_c-d+e',
    env: [['A', `<x>&'"`]],
    command: ['/bin/sh', '-c', `echo "<&'>"`],
    mounts: [{ type: 'host-bind', target: `/d<&'">`, source: `/s<&'">`, readonly: false }],
  },
};

describe('backend-lxc golden XML', () => {
  for (const [name, override] of Object.entries(cases)) {
    it(`${name}: matches the golden file and libvirt's schema`, () => {
      const config = { ...base, ...override };
      const plan = planSandbox(freshContainer(), config, { stateDir: `/run/vsb/${config.name}`, hostSecurityModels: ['none'] });
      assert.equal(plan.xml, goldenFile(path.join(GOLDEN, `${name}.xml`), plan.xml));
      validateDomainXml(plan.xml);
    });
  }

  it('a started run: <vcpu> names the host CPUs, the guest config the user namespace and the process bound', () => {
    const config = { ...base, vcpus: 2, pids: 200 };
    const plan = planSandbox(freshContainer(), config, {
      stateDir: `/run/vsb/${config.name}`, hostSecurityModels: ['none'], assets: { cpuset: '0,1' } as LxcAssets, idBase: 0x60010000,
    });
    assert.equal(plan.xml, goldenFile(path.join(GOLDEN, 'user-namespace-cpuset.xml'), plan.xml));
    validateDomainXml(plan.xml);
    const records = decodeGuestConfig(plan.guestConfig);
    assert.deepEqual(records.filter(([k]) => k === 'userns' || k === 'pids'), [['userns', String(0x60010000)], ['pids', '200']]);
    const dry = planSandbox(freshContainer(), base, { stateDir: '/run/vsb/x', hostSecurityModels: [] });
    assert.equal(decodeGuestConfig(dry.guestConfig).some(([k]) => k === 'userns'), false, 'no id range without a claim');
  });

  it('stages host-side mounts and leaves the rest to the guest init, in mount order, after the private dirs', () => {
    const plan = planSandbox(freshContainer(), { ...base, ...cases['every-mount-type'] }, { stateDir: '/run/vsb/golden', hostSecurityModels: [] });
    const mounts = decodeGuestConfig(plan.guestConfig).filter(([k]) => k === 'mount').map(([, v]) => v.split('\x1f').join(' '));
    const stage = '/run/vsb/golden/config/stage';
    assert.deepEqual(mounts, [
      '/var/tmp /dev/shm /run'.split(' ').map((t) => `tmpfs 0 ${t} mode=1777`),
      `move ${stage}/0 /data `, `move ${stage}/1 /ro `, `move ${stage}/2 /home `, `move ${stage}/3 /opt `,
      'bind /tmp/mnt /mnt ', 'tmpfs 67108864 /tmp mode=1777', 'tmpfs 3221225472 /big mode=1777', `move ${stage}/7 /scratch `,
    ].flat());
    assert.match(plan.xml, /<source dir="\/run\/vsb\/golden\/temp\/7"\/>\s*<target dir="\/run\/vsb\/golden\/config\/stage\/7"\/>/);
  });

  it('escapes names, paths and values instead of concatenating them', () => {
    const plan = planSandbox(freshContainer(), { ...base, ...cases['special-characters'] }, { stateDir: '/run/vsb/x', hostSecurityModels: [] });
    assert.match(plan.xml, /<source dir="\/s&lt;&amp;&apos;&quot;&gt;"\/>/);
    assert.doesNotMatch(plan.xml, /<x>/);
  });

  it('uses the SecurityLabeler registered in a child container', () => {
    const c = freshContainer();
    c.registerInstance(SecurityLabeler, {
      label: (_ctx: BuildContext, draft: DomainDraft) => {
        draft.seclabels.push({ '@_type': 'static', '@_model': 'selinux', '@_relabel': 'no', label: 'system_u:system_r:test_t:s0' });
      },
    });
    const plan = planSandbox(c, base, { stateDir: '/run/vsb/golden', hostSecurityModels: [] });
    assert.match(plan.xml, /<seclabel type="static" model="selinux" relabel="no">\s*<label>system_u:system_r:test_t:s0<\/label>\s*<\/seclabel>/);
  });

  it('refuses --network and --disk rather than sharing the host network or dropping the disk', () => {
    const network = { dhcp: true, addresses: [], routes: [], filterParams: [] };
    assert.throws(() => planSandbox(freshContainer(), { ...base, networks: [network] }, { stateDir: '/run/vsb/g', hostSecurityModels: [] }),
      /^SandboxError: --network: the lxc backend does not support networks yet/);
    const disk = { type: 'file' as const, tag: 'd', source: '/x.img', format: 'raw' as const };
    assert.throws(() => planSandbox(freshContainer(), { ...base, disks: [disk] }, { stateDir: '/run/vsb/g', hostSecurityModels: [] }),
      /^SandboxError: --disk: the lxc backend does not support extra disks yet/);
  });

  it('has no network but loopback when no --network is given (<privnet/>)', () => {
    const plan = planSandbox(freshContainer(), base, { stateDir: '/run/vsb/golden', hostSecurityModels: [] });
    assert.match(plan.xml, /<features>\s*<privnet\/>\s*<\/features>/);
  });
});
