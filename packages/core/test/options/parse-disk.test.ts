import assert from 'node:assert/strict';
import type { DiskSpec } from '../../src/sandbox-config';
import { checkDisks, parseDisk } from '../../src/options';
import { assertOptionError, itAccepts, itRejects } from './assert-option-error';

describe('parseDisk', () => {
  itAccepts<DiskSpec>(parseDisk, [
    ['file:data=/var/lib/vsb/data.img', { type: 'file', tag: 'data', source: '/var/lib/vsb/data.img', format: 'raw' }],
    ['file:a_b-C9=/img,format=raw', { type: 'file', tag: 'a_b-C9', source: '/img', format: 'raw' }],
    ['file:d=/x,y=z.qcow2,format=qcow2', { type: 'file', tag: 'd', source: '/x,y=z.qcow2', format: 'qcow2' }],
    ['file:d=/x,formats', { type: 'file', tag: 'd', source: '/x,formats', format: 'raw' }],
  ]);
  itRejects(parseDisk, [
    ['data=/x.img', 'VSB_BAD_DISK', `--disk 'data=/x.img': expected TYPE:TAG=SOURCE (e.g. file:data=/var/lib/vsb/data.img)`],
    ['block:d=/dev/sdb', 'VSB_BAD_DISK', `--disk 'block:d=/dev/sdb': unknown disk type 'block' (use file)`],
    ['f:d=/x', 'VSB_BAD_DISK', `--disk 'f:d=/x': unknown disk type 'f' (use file)`],
    ['file:=/x', 'VSB_BAD_DISK', `--disk 'file:=/x': missing tag after 'file:' (e.g. file:data=/var/lib/vsb/data.img)`],
    [
      'file:my disk=/x',
      'VSB_BAD_DISK',
      `--disk 'file:my disk=/x': tag 'my disk' may hold only letters, digits, '_' and '-' (the guest sees /dev/disk/by-tag/TAG)`,
    ],
    ['file:a/b=/x', 'VSB_BAD_DISK', `--disk 'file:a/b=/x': tag 'a/b' may hold only letters, digits, '_' and '-' (the guest sees /dev/disk/by-tag/TAG)`],
    ['file:data', 'VSB_BAD_DISK', `--disk 'file:data': missing '=SOURCE' after the tag (e.g. file:data=/var/lib/vsb/data.img)`],
    ['file:data=', 'VSB_BAD_DISK', `--disk 'file:data=': missing image file after '=' (e.g. file:data=/var/lib/vsb/data.img)`],
    ['file:data=data.img', 'VSB_BAD_DISK', `--disk 'file:data=data.img': image file 'data.img' must be an absolute path (e.g. $PWD/data.img)`],
    ['file:d=/x,format=vmdk', 'VSB_BAD_DISK', `--disk 'file:d=/x,format=vmdk': unknown image format 'vmdk' (use format=raw or format=qcow2)`],
    ['file:d=/x,format=raw,ro', 'VSB_BAD_DISK', `--disk 'file:d=/x,format=raw,ro': unknown option 'ro' for disks (use format=raw or format=qcow2)`],
    ['file:d=/x,format=raw,format=raw', 'VSB_BAD_DISK', `--disk 'file:d=/x,format=raw,format=raw': option 'format' is given twice`],
  ]);
});

describe('checkDisks', () => {
  it('accepts distinct tags', () => assert.doesNotThrow(() => checkDisks(['file:a=/a', 'file:b=/a'].map(parseDisk))));
  it('rejects a tag used twice', () => {
    assertOptionError(
      () => checkDisks(['file:a=/a', 'file:b=/b', 'file:a=/c'].map(parseDisk)),
      'VSB_BAD_DISK',
      `--disk: tag 'a' is used twice (disks 1 and 3); each tag names one disk`,
    );
  });
});
