import assert from 'node:assert/strict';
import { parseEnv, parseEnvFile } from '../../src/options';
import { itAccepts, itRejects } from './assert-option-error';

const NAME_RULE = "(use letters, digits and '_', not starting with a digit)";

describe('parseEnv', () => {
  itAccepts(parseEnv, [
    ['LANG=C', ['LANG', 'C']],
    ['EMPTY=', ['EMPTY', '']],
    ['_x1=1', ['_x1', '1']],
    ['OPTS=a=b=c', ['OPTS', 'a=b=c']],
    [`XML=<a href="x">&amp;'quoted'</a>`, ['XML', `<a href="x">&amp;'quoted'</a>`]],
    ['MULTI=line one\nline two\r\n', ['MULTI', 'line one\nline two\r\n']],
    ['SPACES=  a  b  ', ['SPACES', '  a  b  ']],
    ['UNICODE=héllo ✓', ['UNICODE', 'héllo ✓']],
  ]);
  itRejects(parseEnv, [
    ['LANG', 'VSB_BAD_ENV', `--env 'LANG': missing '=' (use KEY=VALUE; KEY= sets an empty value)`],
    ['', 'VSB_BAD_ENV', `--env '': missing '=' (use KEY=VALUE; KEY= sets an empty value)`],
    ['=value', 'VSB_BAD_ENV', `--env '=value': missing variable name before '='`],
    ['1A=x', 'VSB_BAD_ENV', `--env '1A=x': invalid variable name '1A' ${NAME_RULE}`],
    ['A-B=x', 'VSB_BAD_ENV', `--env 'A-B=x': invalid variable name 'A-B' ${NAME_RULE}`],
    [' A=x', 'VSB_BAD_ENV', `--env ' A=x': invalid variable name ' A' ${NAME_RULE}`],
    ["IT'S=x\ny", 'VSB_BAD_ENV', `--env 'IT\\'S=x\\ny': invalid variable name 'IT\\'S' ${NAME_RULE}`],
    ['A=x\0y', 'VSB_BAD_ENV', `--env 'A=x\\x00y': the value contains a NUL byte`],
  ]);
});

describe("parseEnv with the caller's environment", () => {
  const caller = { LANG: 'C.UTF-8', EMPTY: '' };
  it("passes the caller's value for a bare KEY", () => assert.deepEqual(parseEnv('LANG', caller), ['LANG', 'C.UTF-8']));
  it('passes an empty value as empty', () => assert.deepEqual(parseEnv('EMPTY', caller), ['EMPTY', '']));
  it('leaves a KEY the caller does not have unset', () => assert.equal(parseEnv('NOPE', caller), undefined));
  it('still checks the name', () => assert.throws(() => parseEnv('1A', caller), /^SandboxError: --env '1A': invalid variable name '1A'/));
});

describe('parseEnvFile', () => {
  it('reads KEY=VALUE and KEY lines, skips blanks and comments, takes CRLF, no quoting', () => {
    assert.deepEqual(parseEnvFile('# comment\nA=1\r\n\n  # indented comment\nLANG\nNOPE\nB= x "y" \n', 'f', { LANG: 'C' }), [
      ['A', '1'],
      ['LANG', 'C'],
      ['B', ' x "y" '],
    ]);
  });
  it('names the file and line of a bad entry', () => {
    assert.throws(() => parseEnvFile('A=1\n1B=2\n', '/e', {}), /^SandboxError: --env-file '\/e' line 2 '1B=2': invalid variable name '1B'/);
  });
});
