import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sampleConfig } from '@vsb/test-support';
import { encodeGuestConfig, type GuestSide } from '../src/plan/guest-config';
import type { SandboxConfig } from '../src/index';

/**
 * The guest config files the init's own tests read (packages/guest-init/test/test-config.c): the
 * writer must still produce exactly these bytes, so writer and reader cannot drift apart unseen.
 * `VSB_UPDATE_VECTORS=1` rewrites them; then read the diff and the C test's expectations.
 */
function vectorsDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'packages', 'guest-init', 'test', 'config-vectors');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no packages/guest-init/test/config-vectors above ${__dirname}`);
  }
}

const nobody: SandboxConfig = sampleConfig({
  name: 'vsb-vec-min',
  identity: { uid: 65534, gid: 65534, groups: [], user: 'nobody', home: '/nonexistent', privileged: false },
  memoryBytes: 1,
  seccomp: false,
  landlock: false,
});

/** Every key a container run can give, values with newlines, quotes, `=` and a byte that is not UTF-8. */
const container: [SandboxConfig, GuestSide] = [
  {
    ...nobody,
    name: 'vsb-vec-ct',
    pids: 256,
    identity: { uid: 1000, gid: 100, groups: [27, 44], user: 'ann', home: '/home/ann', privileged: false },
    mounts: [{ type: 'host-bind', target: '/data', source: '/srv/data', readonly: false }],
    env: [
      ['A', `<&'"\nx=y`],
      ['A', 'later'],
      ['LANG', 'C.UTF-8'],
    ],
    workdir: { dir: '/home/ann/src', strict: true },
    command: ['/bin/sh', '-c', 'echo "a b"\nexit 3', 'x\udcffy'],
    tty: true,
    splitStderr: true,
    shell: true,
    debug: true,
    seccomp: true,
    landlock: true,
  },
  {
    channel: { path: '/run/vsb/config/rpc.sock', kind: 'unix' },
    term: 'xterm-256color',
    shell: '/dev/tty3',
    userns: 100000,
    mounts: [
      { kind: 'move', source: '/run/vsb/stage/0', target: '/data', options: '' },
      { kind: 'tmpfs', source: '1048576', target: '/tmp', options: 'mode=1777' },
      { kind: 'bind', source: '/run/vsb/config/hosts', target: '/etc/hosts', options: '' },
      { kind: 'ro', source: '', target: '/etc/hosts', options: '' },
    ],
    disks: [{ tag: 'scratch', device: '/dev/loop7' }],
    copies: [{ source: '/run/vsb/config/include/0/app.conf', target: '/etc/app.conf' }],
  },
];

/** A VM run: root, networks of every record kind, a 9p share, disks by serial, a soft workdir. */
const vm: [SandboxConfig, GuestSide] = [
  {
    ...nobody,
    name: 'vsb-vec-vm',
    uri: 'qemu:///system',
    identity: { uid: 0, gid: 0, groups: [], user: 'root', home: '/root', privileged: true },
    networks: [
      { dhcp: true, mac: '52:54:00:12:34:56', addresses: [], routes: [], filterParams: [] },
      {
        dhcp: false,
        mac: '52:54:00:ab:cd:ef',
        filterParams: [],
        addresses: [
          { address: '10.0.0.2', prefix: 24, broadcast: '10.0.0.255' },
          { address: 'fd00::2', prefix: 64 },
        ],
        routes: [{ network: '10.1.0.0', prefix: 16, gateway: '10.0.0.1' }],
      },
    ],
    workdir: { dir: '/work', strict: false },
    command: ['uname', '-a'],
  },
  {
    channel: { path: '/dev/hvc1' },
    mounts: [
      { kind: '9p', source: 'vsb-share-0', target: '/mnt/share', options: '' },
      { kind: 'disk', source: 'vsb-disk-0', target: '/mnt/img', options: '' },
    ],
    disks: [{ tag: 'data', device: 'vsb-disk-1' }],
  },
];

const cases: Record<string, [SandboxConfig, GuestSide]> = {
  minimal: [nobody, { channel: { path: '/dev/tty2' } }],
  container,
  vm,
};

describe('guest config vectors', () => {
  for (const [name, [config, guest]] of Object.entries(cases)) {
    it(`${name}.cfg is what the writer produces`, () => {
      const file = path.join(vectorsDir(), `${name}.cfg`);
      const bytes = encodeGuestConfig(config, guest);
      if (process.env.VSB_UPDATE_VECTORS === '1') fs.writeFileSync(file, bytes);
      assert.deepEqual(fs.readFileSync(file), bytes);
    });
  }
});
