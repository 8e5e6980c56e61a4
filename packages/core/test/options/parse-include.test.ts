import assert from 'node:assert/strict';
import type { IncludeSpec } from '../../src/sandbox-config';
import { checkIncludes, mountHolding, parseInclude, parseIncludeFile, parseMount } from '../../src/options';
import { assertOptionError, itAccepts, itRejects } from './assert-option-error';

describe('parseInclude', () => {
  itAccepts<IncludeSpec>(parseInclude, [
    ['/tmp/notes.txt', { guest: '/tmp/notes.txt', host: '/tmp/notes.txt' }],
    ['/tmp/hosts=/etc/hosts', { guest: '/tmp/hosts', host: '/etc/hosts' }],
    ['//tmp/./dir/=/srv/a=b,c', { guest: '/tmp/dir', host: '/srv/a=b,c' }],
    ['/tmp/x=/srv/../y', { guest: '/tmp/x', host: '/srv/../y' }],
  ]);
  itRejects(parseInclude, [
    ['', 'VSB_BAD_INCLUDE', `--include '': missing guest path`],
    ['tmp/a', 'VSB_BAD_INCLUDE', `--include 'tmp/a': guest path 'tmp/a' must be an absolute path (start it with '/')`],
    ['/tmp/../etc/x', 'VSB_BAD_INCLUDE', `--include '/tmp/../etc/x': guest path '/tmp/../etc/x' must not contain '..'`],
    ['/tmp/a=', 'VSB_BAD_INCLUDE', `--include '/tmp/a=': missing host path after '=' (leave out '=' to copy the same path from the host)`],
    ['/tmp/a=notes.txt', 'VSB_BAD_INCLUDE', `--include '/tmp/a=notes.txt': host path 'notes.txt' must be an absolute path (e.g. $PWD/notes.txt)`],
  ]);
});

describe('parseIncludeFile', () => {
  it('reads one include per line, skipping blanks and comments, trimming, accepting CRLF', () => {
    const content = '# files for the sandbox\n\n  /tmp/a  \r\n/tmp/b=/etc/x#y\r\n\t# indented comment\n/tmp/c';
    assert.deepEqual(parseIncludeFile(content, 'list.txt'), [
      { guest: '/tmp/a', host: '/tmp/a' },
      { guest: '/tmp/b', host: '/etc/x#y' },
      { guest: '/tmp/c', host: '/tmp/c' },
    ]);
  });
  it('gives nothing for an empty file', () => assert.deepEqual(parseIncludeFile('\n# only a comment\n'), []));
  it('names the file and line of a bad entry', () => {
    assertOptionError(
      () => parseIncludeFile('/tmp/a\n\nrel\n', 'list.txt'),
      'VSB_BAD_INCLUDE',
      `--includefile 'list.txt' line 3 'rel': guest path 'rel' must be an absolute path (start it with '/')`,
    );
  });
  it('names the line without a file name', () => {
    assertOptionError(
      () => parseIncludeFile('/tmp/a\n/tmp/b=\n'),
      'VSB_BAD_INCLUDE',
      `--includefile line 2 '/tmp/b=': missing host path after '=' (leave out '=' to copy the same path from the host)`,
    );
  });
  it('quotes an odd file name', () => {
    assertOptionError(
      () => parseIncludeFile('/a/../b', "it's\n.txt"),
      'VSB_BAD_INCLUDE',
      `--includefile 'it\\'s\\n.txt' line 1 '/a/../b': guest path '/a/../b' must not contain '..'`,
    );
  });
});

describe('checkIncludes', () => {
  const mounts = ['host-bind:/tmp=', 'host-bind:/home/me/cache=/c', 'ram:/scratch=1M'].map(parseMount);
  const check = (text: string) => checkIncludes([parseInclude(text)], mounts);

  it('accepts includes inside mount targets of every type, nested ones too', () => {
    assert.doesNotThrow(() => checkIncludes(['/tmp/a', '/tmp/a/b=/x', '/home/me/cache/x=/y', '/scratch/a=/h'].map(parseInclude), mounts));
  });
  it('accepts no includes without mounts', () => assert.doesNotThrow(() => checkIncludes([], [])));
  itRejects(check, [
    ['/tmpx/a', 'VSB_BAD_INCLUDE', `--include '/tmpx/a': '/tmpx/a' is not inside any mount target (targets: '/tmp', '/home/me/cache', '/scratch')`],
    [
      '/home/me/x=/h',
      'VSB_BAD_INCLUDE',
      `--include '/home/me/x=/h': '/home/me/x' is not inside any mount target (targets: '/tmp', '/home/me/cache', '/scratch')`,
    ],
    ['/tmp=/h', 'VSB_BAD_INCLUDE', `--include '/tmp=/h': '/tmp' is a mount target itself; name a path inside it (e.g. /tmp/NAME)`],
  ]);
  it('rejects includes when there is no mount', () => {
    assertOptionError(
      () => checkIncludes([parseInclude('/tmp/a')], []),
      'VSB_BAD_INCLUDE',
      `--include '/tmp/a': '/tmp/a' is not inside a mount (no --mount given; includes are copied into one, e.g. --mount host-bind:/tmp=)`,
    );
  });
  it('copies into the deepest mount holding the path', () => {
    const nested = ['host-bind:/a=/x', 'host-bind:/a/b=/y', 'ram:/a/bc=1M'].map(parseMount);
    assert.equal(mountHolding('/a/b/c', nested), nested[1]);
    assert.equal(mountHolding('/a/bcd', nested), nested[0]);
    assert.equal(mountHolding('/b', nested), undefined);
  });
});
