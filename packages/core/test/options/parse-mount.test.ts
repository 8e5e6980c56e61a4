import type { MountSpec } from '../../src/sandbox-config';
import { parseMount } from '../../src/options';
import { itAccepts, itRejects } from './assert-option-error';

const TYPES = '(use host-bind, host-image, guest-bind or ram)';
const SUFFIXES = '(use K, KiB, M, MiB, G, GiB, T or TiB)';

describe('parseMount', () => {
  describe('host-bind', () => {
    itAccepts<MountSpec>(parseMount, [
      ['host-bind:/data=/srv/data', { type: 'host-bind', target: '/data', source: '/srv/data', readonly: false }],
      ['host-bind:/data=/srv/data,ro', { type: 'host-bind', target: '/data', source: '/srv/data', readonly: true }],
      ['host-bind:/tmp=', { type: 'host-bind', target: '/tmp', source: '', readonly: false }],
      ['host-bind:/tmp=,ro', { type: 'host-bind', target: '/tmp', source: '', readonly: true }],
      ['host-bind://a/./b/=/x', { type: 'host-bind', target: '/a/b', source: '/x', readonly: false }],
      ['host-bind:/a=/b=c,d,ro', { type: 'host-bind', target: '/a', source: '/b=c,d', readonly: true }],
      ['host-bind:/a=/b,rox', { type: 'host-bind', target: '/a', source: '/b,rox', readonly: false }],
      ['host-bind:/a=/b/../c', { type: 'host-bind', target: '/a', source: '/b/../c', readonly: false }],
      ["host-bind:/it's=/x", { type: 'host-bind', target: "/it's", source: '/x', readonly: false }],
      ['host-bind:/d=/s,relabel=no', { type: 'host-bind', target: '/d', source: '/s', readonly: false, relabel: false }],
      ['host-bind:/d=/s,relabel=yes,ro', { type: 'host-bind', target: '/d', source: '/s', readonly: true, relabel: true }],
      ['host-bind:/d=/s,relabelx', { type: 'host-bind', target: '/d', source: '/s,relabelx', readonly: false }],
    ]);
    itRejects(parseMount, [
      ['host-bind:/a', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a': missing '=SOURCE' after the target ('host-bind:/a=' gives a temporary directory)`],
      ['host-bind:/a=data', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=data': source 'data' must be an absolute path (e.g. $PWD/data)`],
      ['host-bind:/a=./data', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=./data': source './data' must be an absolute path (e.g. $PWD/data)`],
      ['host-bind:/a=/b,ro,ro', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=/b,ro,ro': option 'ro' is given twice`],
      ['host-bind:/a=/b,ro=yes', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=/b,ro=yes': option 'ro' takes no value (write just ',ro')`],
      ['host-bind:/a=/b,ro,rw', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=/b,ro,rw': unknown option 'rw' for host-bind (use ro or relabel=yes|no)`],
      ['host-bind:/a=/b,relabel=maybe', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=/b,relabel=maybe': relabel= must be yes or no, not 'maybe'`],
      ['host-bind:/a=/b,relabel', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=/b,relabel': relabel= must be yes or no, not ''`],
      ['host-bind:/a=/b,relabel=no,relabel=no', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=/b,relabel=no,relabel=no': option 'relabel' is given twice`],
      ['host-bind:/a=/b,ro,', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=/b,ro,': empty option (two commas in a row, or a trailing comma)`],
    ]);
  });

  describe('host-image', () => {
    itAccepts<MountSpec>(parseMount, [
      ['host-image:/home=/img/home.img', { type: 'host-image', target: '/home', source: '/img/home.img', format: 'raw' }],
      ['host-image:/home=/img/home.img,format=raw', { type: 'host-image', target: '/home', source: '/img/home.img', format: 'raw' }],
      ['host-image:/home=/img/a,b.qcow2,format=qcow2', { type: 'host-image', target: '/home', source: '/img/a,b.qcow2', format: 'qcow2' }],
      ['host-image:/home=/img/h.img,relabel=no,format=qcow2', { type: 'host-image', target: '/home', source: '/img/h.img', format: 'qcow2', relabel: false }],
    ]);
    itRejects(parseMount, [
      ['host-image:/a', 'VSB_BAD_MOUNT', `--mount 'host-image:/a': missing '=IMAGE' after the target (e.g. host-image:/a=/var/lib/vsb/data.img)`],
      ['host-image:/a=', 'VSB_BAD_MOUNT', `--mount 'host-image:/a=': missing image file after '=' (e.g. host-image:/a=/var/lib/vsb/data.img)`],
      ['host-image:/a=a.img', 'VSB_BAD_MOUNT', `--mount 'host-image:/a=a.img': image file 'a.img' must be an absolute path (e.g. $PWD/a.img)`],
      ['host-image:/a=/i,format=vmdk', 'VSB_BAD_MOUNT', `--mount 'host-image:/a=/i,format=vmdk': unknown image format 'vmdk' (use format=raw or format=qcow2)`],
      ['host-image:/a=/i,format', 'VSB_BAD_MOUNT', `--mount 'host-image:/a=/i,format': option 'format' needs a value (format=raw or format=qcow2)`],
      [
        'host-image:/a=/i,format=raw,ro',
        'VSB_BAD_MOUNT',
        `--mount 'host-image:/a=/i,format=raw,ro': unknown option 'ro' for host-image (use format=raw or format=qcow2 or relabel=yes|no)`,
      ],
      ['host-image:/a=/i,format=raw,format=qcow2', 'VSB_BAD_MOUNT', `--mount 'host-image:/a=/i,format=raw,format=qcow2': option 'format' is given twice`],
    ]);
  });

  describe('guest-bind', () => {
    itAccepts<MountSpec>(parseMount, [
      ['guest-bind:/home=/tmp/home', { type: 'guest-bind', target: '/home', source: '/tmp/home' }],
      ['guest-bind:/a=/b,ro', { type: 'guest-bind', target: '/a', source: '/b,ro' }],
      ['guest-bind:/a/=//b/./c/', { type: 'guest-bind', target: '/a', source: '/b/c' }],
    ]);
    itRejects(parseMount, [
      ['guest-bind:/a', 'VSB_BAD_MOUNT', `--mount 'guest-bind:/a': missing '=SOURCE' after the target (e.g. guest-bind:/a=/var/tmp)`],
      ['guest-bind:/a=', 'VSB_BAD_MOUNT', `--mount 'guest-bind:/a=': missing source`],
      ['guest-bind:/a=b', 'VSB_BAD_MOUNT', `--mount 'guest-bind:/a=b': source 'b' must be an absolute path (start it with '/')`],
      ['guest-bind:/a=/b/../c', 'VSB_BAD_MOUNT', `--mount 'guest-bind:/a=/b/../c': source '/b/../c' must not contain '..'`],
    ]);
  });

  describe('ram', () => {
    itAccepts<MountSpec>(parseMount, [
      ['ram:/tmp=65536', { type: 'ram', target: '/tmp', sizeBytes: 65536 }],
      ['ram:/tmp=64K', { type: 'ram', target: '/tmp', sizeBytes: 65536 }],
      ['ram:/tmp=64M', { type: 'ram', target: '/tmp', sizeBytes: 67108864 }],
      ['ram:/x=3GiB', { type: 'ram', target: '/x', sizeBytes: 3221225472 }],
      ['ram:/x=2G', { type: 'ram', target: '/x', sizeBytes: 2147483648 }],
      ['ram:/x=16TiB', { type: 'ram', target: '/x', sizeBytes: 17592186044416 }],
    ]);
    itRejects(parseMount, [
      ['ram:/tmp=12Q', 'VSB_BAD_SIZE', `--mount 'ram:/tmp=12Q': unknown size suffix 'Q' ${SUFFIXES}`],
      ['ram:/tmp=0', 'VSB_BAD_SIZE', `--mount 'ram:/tmp=0': a ram mount needs a size above 0 (e.g. 64M)`],
      ['ram:/tmp=0G', 'VSB_BAD_SIZE', `--mount 'ram:/tmp=0G': a ram mount needs a size above 0 (e.g. 64M)`],
      ['ram:/tmp=', 'VSB_BAD_SIZE', `--mount 'ram:/tmp=': missing size (e.g. 64M or 2GiB)`],
      ['ram:/tmp', 'VSB_BAD_MOUNT', `--mount 'ram:/tmp': missing '=SIZE' after the target (e.g. ram:/tmp=64M)`],
      ['ram:/tmp=64M,ro', 'VSB_BAD_MOUNT', `--mount 'ram:/tmp=64M,ro': ram mounts take no options (found 'ro')`],
      ['ram:/tmp=1.5G', 'VSB_BAD_SIZE', `--mount 'ram:/tmp=1.5G': size '1.5G' must be a whole number (use 1536M)`],
      ['ram:/tmp=9000TiB', 'VSB_BAD_SIZE', `--mount 'ram:/tmp=9000TiB': size '9000TiB' is too large (at most 9007199254740991 bytes, about 8 PiB)`],
    ]);
  });

  describe('type and target', () => {
    itRejects(parseMount, [
      ['host-bin:/a=/b', 'VSB_BAD_MOUNT', `--mount 'host-bin:/a=/b': unknown mount type 'host-bin' ${TYPES}`],
      ['h:/a=/b', 'VSB_BAD_MOUNT', `--mount 'h:/a=/b': unknown mount type 'h' ${TYPES}`],
      ['Ram:/a=1M', 'VSB_BAD_MOUNT', `--mount 'Ram:/a=1M': unknown mount type 'Ram' ${TYPES}`],
      [':/a=/b', 'VSB_BAD_MOUNT', `--mount ':/a=/b': missing mount type before ':' ${TYPES}`],
      ['/a=/b', 'VSB_BAD_MOUNT', `--mount '/a=/b': expected TYPE:TARGET=SOURCE with TYPE host-bind, host-image, guest-bind or ram`],
      ['', 'VSB_BAD_MOUNT', `--mount '': expected TYPE:TARGET=SOURCE with TYPE host-bind, host-image, guest-bind or ram`],
      ['host-bind:=/b', 'VSB_BAD_MOUNT', `--mount 'host-bind:=/b': missing target`],
      ['host-bind:a=/b', 'VSB_BAD_MOUNT', `--mount 'host-bind:a=/b': target 'a' must be an absolute path (start it with '/')`],
      ['host-bind:/a/../b=/c', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a/../b=/c': target '/a/../b' must not contain '..'`],
      ['host-bind:/..=/c', 'VSB_BAD_MOUNT', `--mount 'host-bind:/..=/c': target '/..' must not contain '..'`],
      ['host-bind:/=/c', 'VSB_BAD_MOUNT', `--mount 'host-bind:/=/c': target '/' is the root filesystem (use --root to choose it)`],
      ['ram://.=1M', 'VSB_BAD_MOUNT', `--mount 'ram://.=1M': target '/' is the root filesystem (use --root to choose it)`],
      ['host-bind:/a\nb=/c', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a\\nb=/c': target '/a\\nb' contains a control character`],
      ['host-bind:/a=/b\tc', 'VSB_BAD_MOUNT', `--mount 'host-bind:/a=/b\\tc': source '/b\\tc' contains a control character`],
    ]);
  });
});
