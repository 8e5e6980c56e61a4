import { parseName } from '../../src/options';
import { itAccepts, itRejects } from './assert-option-error';

const HOST = "the name is also the hostname: use letters, digits and '-'";

describe('parseName', () => {
  itAccepts(parseName, [
    ['a', 'a'],
    ['vsb-3f9a1c', 'vsb-3f9a1c'],
    ['Web01', 'Web01'],
    ['9lives', '9lives'],
    ['a'.repeat(63), 'a'.repeat(63)],
  ]);
  itRejects(parseName, [
    ['', 'VSB_BAD_NAME', `--name '': the name is empty`],
    ['my_app', 'VSB_BAD_NAME', `--name 'my_app': character '_' is not allowed (${HOST}, e.g. 'my-app')`],
    ['a.b', 'VSB_BAD_NAME', `--name 'a.b': character '.' is not allowed (${HOST}, e.g. 'a-b')`],
    ['my app!', 'VSB_BAD_NAME', `--name 'my app!': character ' ' is not allowed (${HOST}, e.g. 'my-app')`],
    ['h\u00e9llo', 'VSB_BAD_NAME', `--name 'h\u00e9llo': character '\u00e9' is not allowed (${HOST}, e.g. 'h-llo')`],
    ['__', 'VSB_BAD_NAME', `--name '__': character '_' is not allowed (${HOST})`],
    ['-x', 'VSB_BAD_NAME', `--name '-x': must start and end with a letter or digit (the name is also the hostname)`],
    ['x-', 'VSB_BAD_NAME', `--name 'x-': must start and end with a letter or digit (the name is also the hostname)`],
    ['a'.repeat(64), 'VSB_BAD_NAME', `--name '${'a'.repeat(64)}': too long (64 characters, at most 63: the name is also the hostname)`],
  ]);
});
