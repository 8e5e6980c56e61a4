import assert from 'node:assert/strict';
import { checkMounts, parseMount } from '../../src/options';
import { assertOptionError } from './assert-option-error';

const mounts = (...texts: string[]) => texts.map(parseMount);

describe('checkMounts', () => {
  it('accepts distinct and nested targets, in order', () => {
    assert.doesNotThrow(() => checkMounts(mounts('host-bind:/home=/srv/home', 'ram:/home/me/tmp=1M', 'ram:/tmp=1M', 'ram:/tmpx=1M')));
  });
  it('accepts no mounts', () => assert.doesNotThrow(() => checkMounts([])));
  it('rejects two mounts on one target', () => {
    assertOptionError(
      () => checkMounts(mounts('host-bind:/tmp=', 'ram:/tmp=64M')),
      'VSB_BAD_MOUNT',
      `--mount: target '/tmp' is used twice (mounts 1 and 2); each target can be mounted only once`,
    );
  });
  it('compares normalised targets', () => {
    assertOptionError(
      () => checkMounts(mounts('ram:/a=1M', 'ram:/b=1M', 'guest-bind:/b/=/c')),
      'VSB_BAD_MOUNT',
      `--mount: target '/b' is used twice (mounts 2 and 3); each target can be mounted only once`,
    );
  });
  it('reports the first duplicate', () => {
    assertOptionError(
      () => checkMounts(mounts('ram:/a=1M', 'ram:/b=1M', 'ram:/b=1M', 'ram:/a=1M')),
      'VSB_BAD_MOUNT',
      `--mount: target '/b' is used twice (mounts 2 and 3); each target can be mounted only once`,
    );
  });
});
