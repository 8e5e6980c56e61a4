import type { MountSpec, SandboxConfig } from '@vsb/core';

/** A complete, ordinary sandbox config for tests to start from; golden files are built on it. */
export function sampleConfig(overrides: Partial<SandboxConfig> = {}): SandboxConfig {
  return {
    name: 'golden',
    uri: 'lxc:///',
    root: '/',
    identity: { uid: 1000, gid: 1000, groups: [], user: 'user', home: '/home/user', privileged: false },
    memoryBytes: 512 * 1024 * 1024,
    vcpus: 1,
    mounts: [],
    includes: [],
    networks: [],
    disks: [],
    env: [],
    command: ['/bin/true'],
    tty: false,
    shell: false,
    debug: false,
    seccomp: true,
    landlock: true,
    ...overrides,
  };
}

/** One mount of each type (two each of host-bind and host-image: read-write and read-only, raw and qcow2), for golden files of every backend. */
export const EVERY_MOUNT_TYPE: readonly MountSpec[] = [
  { type: 'host-bind', target: '/data', source: '/srv', readonly: false },
  { type: 'host-bind', target: '/ro', source: '/usr/share', readonly: true },
  { type: 'host-image', target: '/home', source: '/var/lib/images/home.img', format: 'raw' },
  { type: 'host-image', target: '/opt', source: '/var/lib/images/opt.qcow2', format: 'qcow2' },
  { type: 'guest-bind', target: '/mnt', source: '/tmp/mnt' },
  { type: 'ram', target: '/tmp', sizeBytes: 64 * 1024 * 1024 },
];
