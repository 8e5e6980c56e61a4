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
  id: 'test-console',
  priority: 0,
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
      stateDir: `/run/vsb/${config.name}`,
      hostSecurityModels: ['none'],
      assets: { cpuset: '0,1' } as LxcAssets,
      idBase: 0x60010000,
    });
    assert.equal(plan.xml, goldenFile(path.join(GOLDEN, 'user-namespace-cpuset.xml'), plan.xml));
    validateDomainXml(plan.xml);
    const records = decodeGuestConfig(plan.guestConfig);
    assert.deepEqual(
      records.filter(([k]) => k === 'userns' || k === 'pids'),
      [
        ['userns', String(0x60010000)],
        ['pids', '200'],
      ],
    );
    const dry = planSandbox(freshContainer(), base, { stateDir: '/run/vsb/x', hostSecurityModels: [] });
    assert.equal(
      decodeGuestConfig(dry.guestConfig).some(([k]) => k === 'userns'),
      false,
      'no id range without a claim',
    );
  });

  it('stages host-side mounts and leaves the rest to the guest init, in mount order, after the private dirs', () => {
    const plan = planSandbox(freshContainer(), { ...base, ...cases['every-mount-type'] }, { stateDir: '/run/vsb/golden', hostSecurityModels: [] });
    const mounts = decodeGuestConfig(plan.guestConfig)
      .filter(([k]) => k === 'mount')
      .map(([, v]) => v.split('\x1f').join(' '));
    const stage = '/run/vsb/golden/config/stage';
    assert.deepEqual(
      mounts,
      [
        '/var/tmp /dev/shm /run'.split(' ').map((t) => `tmpfs 0 ${t} mode=1777`),
        `move ${stage}-0 /data `,
        `move ${stage}-1 /ro `,
        `move ${stage}-2 /home `,
        `move ${stage}-3 /opt `,
        'bind /tmp/mnt /mnt ',
        'tmpfs 67108864 /tmp mode=1777',
        'tmpfs 3221225472 /big mode=1777',
        `move ${stage}-7 /scratch `,
      ].flat(),
    );
    assert.match(plan.xml, /<source dir="\/run\/vsb\/golden\/temp\/7"\/>\s*<target dir="\/run\/vsb\/golden\/config\/stage-7"\/>/);
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

  it('networks and disks: a veth per -N (MAC, source, filterref, host and guest names), a loop device per --disk', () => {
    const config: SandboxConfig = {
      ...base,
      networks: [
        { dhcp: true, source: 'testnet', addresses: [], routes: [], filter: 'clean-traffic', filterParams: [['IP', '10.0.0.5']] },
        {
          dhcp: false,
          mac: '52:54:00:12:34:56',
          addresses: [{ address: '10.0.0.5', prefix: 24, broadcast: '10.0.0.255' }],
          routes: [{ network: '10.1.0.0', prefix: 16, gateway: '10.0.0.1' }],
          filterParams: [],
        },
      ],
      disks: [{ type: 'file', tag: 'data', source: '/var/lib/x.img', format: 'raw' }],
    };
    const plan = planSandbox(freshContainer(), config, { stateDir: '/run/vsb/golden', hostSecurityModels: [], diskDevices: ['/dev/loop7'] });
    assert.equal(plan.xml, goldenFile(path.join(GOLDEN, 'networks-disks.xml'), plan.xml));
    validateDomainXml(plan.xml);
    const records = decodeGuestConfig(plan.guestConfig)
      .filter(([k]) => k === 'net' || k === 'disk')
      .map(([k, v]) => `${k} ${v.split('\x1f').join(' ')}`);
    assert.deepEqual(records, [
      `net link eth0 ${/<mac address="([^"]+)"/.exec(plan.xml)![1]} `,
      'net dhcp eth0  ',
      'net link eth1 52:54:00:12:34:56 ',
      'net addr eth1 10.0.0.5/24 10.0.0.255',
      'net route eth1 10.1.0.0/16 10.0.0.1',
      'disk data /dev/loop7',
    ]);
    const mounts = decodeGuestConfig(plan.guestConfig)
      .filter(([k]) => k === 'mount')
      .map(([, v]) => v.split('\x1f').join(' '));
    assert.deepEqual(mounts.slice(0, 4), [
      'bind /run/vsb/golden/config/resolv.conf /etc/resolv.conf ',
      'ro  /etc/resolv.conf ',
      'bind /run/vsb/golden/config/hosts /etc/hosts ',
      'ro  /etc/hosts ',
    ]);
    assert.throws(
      () =>
        planSandbox(
          freshContainer(),
          { ...base, networks: [{ user: true, dhcp: true, addresses: [], routes: [], filterParams: [] }] },
          { stateDir: '/run/vsb/g', hostSecurityModels: [] },
        ),
      /^SandboxError: --network user: user-mode networking is for VMs/,
    );
  });

  it('has no network but loopback when no --network is given (<privnet/>)', () => {
    const plan = planSandbox(freshContainer(), base, { stateDir: '/run/vsb/golden', hostSecurityModels: [] });
    assert.match(plan.xml, /<features>\s*<privnet\/>\s*<\/features>/);
  });
});
