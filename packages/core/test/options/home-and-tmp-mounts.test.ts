import assert from 'node:assert/strict';
import { homeAndTmpMounts, parseMount } from '../../src/options';
import { assertOptionError } from './assert-option-error';

describe('homeAndTmpMounts (-M, -H, -T)', () => {
  const bind = (target: string, source: string, origin: string) => ({ type: 'host-bind', target, source, readonly: false, origin });

  it('-M: temporary $HOME and /tmp', () => {
    assert.deepEqual(homeAndTmpMounts({ tempHome: true }, '/home/ann', []), [
      bind('/home/ann', '', '--mount-temp-home'),
      bind('/tmp', '', '--mount-temp-home'),
    ]);
  });
  it('-H and -T alone: only those, from the host dirs', () => {
    assert.deepEqual(homeAndTmpMounts({ homedir: '/srv/h' }, '/home/ann', []), [bind('/home/ann', '/srv/h', `--homedir '/srv/h'`)]);
    assert.deepEqual(homeAndTmpMounts({ tmpdir: '/srv/t' }, '/home/ann', []), [bind('/tmp', '/srv/t', `--tmpdir '/srv/t'`)]);
  });
  it('-M with -T: a temporary $HOME, /tmp from the dir', () => {
    assert.deepEqual(homeAndTmpMounts({ tempHome: true, tmpdir: '/srv/t' }, '/root', []), [
      bind('/root', '', '--mount-temp-home'),
      bind('/tmp', '/srv/t', `--tmpdir '/srv/t'`),
    ]);
  });
  it('nothing without the flags', () => assert.deepEqual(homeAndTmpMounts({}, '/root', []), []));
  it('refuses a relative dir, a target also given to --mount, and / as home', () => {
    assertOptionError(
      () => homeAndTmpMounts({ homedir: 'h' }, '/root', []),
      'VSB_USAGE',
      `--homedir 'h': directory 'h' must be an absolute path (e.g. $PWD/h)`,
    );
    assertOptionError(
      () => homeAndTmpMounts({ tempHome: true }, '/root', [parseMount('ram:/tmp=1M')]),
      'VSB_BAD_MOUNT',
      `--mount-temp-home: '/tmp' is also a --mount target; give only one of them`,
    );
    assertOptionError(
      () => homeAndTmpMounts({ tempHome: true }, '/', []),
      'VSB_USAGE',
      `--mount-temp-home: the home directory is '/', which cannot be replaced`,
    );
  });
});
