import type { SandboxConfig } from '@vsb/core';

/** A complete, ordinary sandbox config for tests to start from; golden files are built on it. */
export function sampleConfig(overrides: Partial<SandboxConfig> = {}): SandboxConfig {
  return {
    name: 'golden', uri: 'lxc:///', root: '/',
    identity: { uid: 1000, gid: 1000, groups: [], user: 'user', home: '/home/user', privileged: false },
    memoryBytes: 512 * 1024 * 1024, vcpus: 1, mounts: [], includes: [], networks: [], disks: [], env: [],
    command: ['/bin/true'], tty: false, shell: false, debug: false, seccomp: true, landlock: true,
    ...overrides,
  };
}
