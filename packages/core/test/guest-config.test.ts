import assert from 'node:assert/strict';
import { sampleConfig } from '@vsb/test-support';
import { decodeGuestConfig, encodeGuestConfig } from '../src';
import type { SandboxConfig } from '../src';

const config: SandboxConfig = sampleConfig({
  name: 'vsb-1',
  identity: { uid: 1000, gid: 100, groups: [27, 44], user: 'ann', home: '/home/ann', privileged: false },
  memoryBytes: 1,
  env: [
    ['A', `<&'"\nx=y`],
    ['A', 'later'],
  ],
  command: ['/bin/sh', '-c', 'echo "a b"\nexit 3'],
  tty: true,
});

describe('guest config', () => {
  it('round-trips every record, values with newlines, = and quotes intact, in order', () => {
    const records = decodeGuestConfig(
      encodeGuestConfig(config, {
        channel: { path: '/dev/tty2' },
        mounts: [{ kind: 'bind', source: '/a', target: '/b', options: '' }],
        term: 'xterm',
        shell: '/dev/tty3',
      }),
    );
    assert.deepEqual(records, [
      ['version', '1'],
      ['name', 'vsb-1'],
      ['uid', '1000'],
      ['gid', '100'],
      ['groups', '27,44'],
      ['user', 'ann'],
      ['home', '/home/ann'],
      ['privileged', '0'],
      ['tty', '1'],
      ['channel', '/dev/tty2'],
      ['term', 'xterm'],
      ['debug', '0'],
      ['seccomp', '1'],
      ['landlock', '1'],
      ['shell', '/dev/tty3'],
      ['mount', 'bind\x1f/a\x1f/b\x1f'],
      ['writable', '/b'],
      ['env', `A=<&'"\nx=y`],
      ['env', 'A=later'],
      ['argv', '/bin/sh'],
      ['argv', '-c'],
      ['argv', 'echo "a b"\nexit 3'],
    ]);
  });

  it('omits groups when there are none and refuses NUL bytes', () => {
    const records = decodeGuestConfig(encodeGuestConfig({ ...config, identity: { ...config.identity, groups: [] } }, { channel: { path: '/dev/tty2' } }));
    assert.equal(
      records.some(([k]) => k === 'groups'),
      false,
    );
    assert.throws(() => encodeGuestConfig({ ...config, command: ['a\0b'] }, { channel: { path: '/x' } }), /argv.*NUL/);
  });

  it('lists the writable mounts for Landlock: not read-only ones, not what the init remounts read-only', () => {
    const mounts: SandboxConfig['mounts'] = [
      { type: 'host-bind', target: '/rw', source: '/s', readonly: false },
      { type: 'host-bind', target: '/ro', source: '/s', readonly: true },
      { type: 'host-image', target: '/img', source: '/i.img', format: 'raw' },
      { type: 'guest-bind', target: '/gb', source: '/var/tmp' },
      { type: 'ram', target: '/tmp', sizeBytes: 1 },
    ];
    const guest = [
      { kind: 'tmpfs' as const, source: '0', target: '/t', options: '' },
      { kind: 'bind' as const, source: '/a', target: '/b', options: '' },
      { kind: 'ro' as const, source: '', target: '/b', options: '' },
    ];
    const writable = (c: SandboxConfig) =>
      decodeGuestConfig(encodeGuestConfig(c, { channel: { path: '/x' }, mounts: guest }))
        .filter(([k]) => k === 'writable')
        .map(([, v]) => v);
    assert.deepEqual(writable({ ...config, mounts }), ['/rw', '/img', '/gb', '/tmp', '/t']);
    assert.deepEqual(writable({ ...config, mounts, landlock: false }), []);
  });

  it('says channeltype=unix only for a socket channel', () => {
    const kinds = (channel: { path: string; kind?: 'device' | 'unix' }) =>
      decodeGuestConfig(encodeGuestConfig(config, { channel })).filter(([k]) => k === 'channeltype');
    assert.deepEqual(kinds({ path: '/dev/tty2' }), []);
    assert.deepEqual(kinds({ path: '/run/vsb/x/config/rpc.sock', kind: 'unix' }), [['channeltype', 'unix']]);
  });
});
