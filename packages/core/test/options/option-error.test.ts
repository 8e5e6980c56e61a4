import assert from 'node:assert/strict';
import { optionError, quoteValue } from '../../src/options';
import { SandboxError } from '../../src/sandbox-error';

describe('quoteValue', () => {
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['plain /path', `'plain /path'`],
    ['', `''`],
    [`it's`, `'it\\'s'`],
    ['a\\b', `'a\\\\b'`],
    ['a\nb\r\tc', `'a\\nb\\r\\tc'`],
    ['\0\x1b\x7f', `'\\x00\\x1b\\x7f'`],
    ['\u0085\u2028\u2029', `'\\x85\\u2028\\u2029'`],
    ['<&"é✓>', `'<&"é✓>'`],
    ['A=\udcff\ud83d\udc80', `'A=\\xff\ud83d\udc80'`],
  ];
  for (const [value, quoted] of rows) {
    it(`quotes ${JSON.stringify(value)} on one line`, () => assert.equal(quoteValue(value), quoted));
  }
});

describe('quoteValue of a long value', () => {
  it('shortens it, saying how long it was', () => assert.equal(quoteValue('x'.repeat(100_000)), `'${'x'.repeat(180)}'... (100000 characters)`));
});

describe('optionError', () => {
  it('builds a one-line SandboxError naming the flag and quoting the value', () => {
    const error = optionError('VSB_USAGE', '--connect', 'xen:///\n')('no backend claims this URI');
    assert.ok(error instanceof SandboxError);
    assert.equal(error.code, 'VSB_USAGE');
    assert.equal(error.message, `--connect 'xen:///\\n': no backend claims this URI`);
  });
});
