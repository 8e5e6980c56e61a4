import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LibvirtStorage } from '../src/extension-points/libvirt-connector';
import { capabilitiesOf } from '../src/plan/guest-capabilities';
import { systemDriverLeftovers } from '../src/host/host-leftovers';
import { removeStaleStages, remoteStageFor, stagedSandboxName, stagePoolXml, uploadStage } from '../src/run/remote-stage';
import { ownerPoolPrefix, stageOwner } from '../src/run/stage-owner';

/** A storage API that records the calls and keeps pools and volumes in memory. */
function fakeStorage(pools: string[] = []): LibvirtStorage & { calls: string[]; volumes: Map<string, string> } {
  const calls: string[] = [];
  const volumes = new Map<string, string>();
  return {
    calls,
    volumes,
    listPools: async () => [...pools],
    definePool: async (xml) => {
      calls.push(`define ${/<name>(.*)<\/name>/.exec(xml)![1]}`);
    },
    removePool: async (name) => {
      calls.push(`remove ${name}`);
      return true;
    },
    createVolume: async (pool, xml, file) => {
      volumes.set(/<name>(.*)<\/name>/.exec(xml)![1]!, xml);
      return `/run/libvirt/${pool}/${file ? path.basename(file) : 'dir'}`;
    },
    cleanDir: async (xml, names) => {
      calls.push(`clean ${/<path>(.*)<\/path>/.exec(xml)![1]} ${names.join(',')}`);
      return [];
    },
    destroyPool: async (name) => {
      calls.push(`destroy ${name}`);
    },
  };
}

/** A pid no process has: a child that already ended. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

describe('remote stage: where a remote run puts its files on the libvirt host', () => {
  it('only for remote URIs; a pool named after owner, pid and sandbox, under /run/libvirt', () => {
    assert.equal(remoteStageFor('lxc:///', 'box'), undefined);
    assert.equal(remoteStageFor('qemu+unix:///system', 'box'), undefined);
    const stage = remoteStageFor('qemu+ssh://root@h/system', 'box', 42)!;
    assert.equal(stage.pool, `vsb-stage-${stageOwner()}-42-box`);
    assert.equal(stage.dir, `/run/libvirt/${stage.pool}`);
    assert.equal(stagedSandboxName(stage.pool), 'box');
    assert.equal(stagedSandboxName(`vsb-stage-${stageOwner()}-42-my-box-2`), 'my-box-2');
  });

  it('refuses a remote session daemon with a usage error naming --connect', () => {
    assert.throws(
      () => remoteStageFor('qemu+ssh://u@h/session', 'box'),
      (err: Error & { code?: string }) => err.code === 'VSB_USAGE' && /^--connect: a remote session URI/.test(err.message),
    );
  });

  it('the pool XML is a dir pool at the stage dir, through the serializer (escaped)', () => {
    assert.equal(
      stagePoolXml({ pool: 'vsb-stage-a&b', dir: '/run/libvirt/vsb-stage-a&b' }),
      '<pool type="dir">\n  <name>vsb-stage-a&amp;b</name>\n  <target>\n    <path>/run/libvirt/vsb-stage-a&amp;b</path>\n    <permissions>\n      <mode>0755</mode>\n    </permissions>\n  </target>\n</pool>\n',
    );
  });

  it('uploads every file of the config dir with its mode and size, its dirs as dir volumes, and the extra files by base name', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-stage-test-'));
    try {
      fs.mkdirSync(path.join(dir, 'config'));
      fs.writeFileSync(path.join(dir, 'config', 'vsb-init'), 'xx', { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'config', 'vsb.conf'), 'abc', { mode: 0o644 });
      fs.mkdirSync(path.join(dir, 'config', 'stage-0'), { mode: 0o755 });
      fs.writeFileSync(path.join(dir, 'kernel-1'), '12345', { mode: 0o644 });
      const storage = fakeStorage();
      await uploadStage(storage, { pool: 'p', dir: '/run/libvirt/p' }, path.join(dir, 'config'), [path.join(dir, 'kernel-1')]);
      assert.deepEqual(storage.calls, ['define p']);
      assert.deepEqual([...storage.volumes.keys()].sort(), ['kernel-1', 'stage-0', 'vsb-init', 'vsb.conf']);
      assert.match(
        storage.volumes.get('vsb-init')!,
        /<volume type="file">[^]*<capacity unit="bytes">2<\/capacity>[^]*<format type="raw"\/>[^]*<mode>0755<\/mode>/,
      );
      assert.match(storage.volumes.get('stage-0')!, /<volume type="dir">[^]*<format type="dir"\/>/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("removes the stale pools of this owner whose process is gone, with libvirt's files of their domain; keeps the rest", async () => {
    const dead = deadPid();
    const stale = `${ownerPoolPrefix('vsb-stage-', dead)}box`;
    const staleClean = `${ownerPoolPrefix('vsb-clean-', dead)}3`;
    const living = `${ownerPoolPrefix('vsb-stage-', process.ppid)}other`;
    const foreign = `vsb-stage-00000000-${dead}-theirs`;
    const storage = fakeStorage([stale, staleClean, living, foreign, 'default']);
    const removed = await removeStaleStages(storage, (name) => systemDriverLeftovers('lxc+ssh://h/', 'lxc', name));
    assert.deepEqual(removed, [stale]);
    assert.deepEqual(storage.calls, [
      `destroy ${staleClean}`,
      'clean /run/libvirt/lxc ',
      'clean /run/libvirt/lxc box.dev,box.devpts,box.fuse,box.sock',
      'clean /var/log/libvirt/lxc box.log',
      `remove ${stale}`,
    ]);
  });

  it("reads whether a host CPU can run KVM and its TSC rate from capabilities (a remote host's)", () => {
    const caps = (features: string) =>
      `<capabilities><host><cpu><arch>x86_64</arch>${features}<counter name='tsc' frequency='2596136000' scaling='no'/></cpu></host></capabilities>`;
    assert.deepEqual(capabilitiesOf(caps("<feature name='avx'/>")).hostCpu, { hardwareVirt: false, tscKhz: 2596136 });
    assert.deepEqual(capabilitiesOf(caps("<feature name='vmx'/><feature name='avx'/>")).hostCpu, { hardwareVirt: true, tscKhz: 2596136 });
    assert.equal(capabilitiesOf('<capabilities><host/></capabilities>').hostCpu, undefined);
  });
});
