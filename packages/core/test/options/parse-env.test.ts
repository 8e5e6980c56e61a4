import { parseEnv } from '../../src/options';
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
