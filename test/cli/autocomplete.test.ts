import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { vsb } from './vsb';

describe('vsb autocomplete (bash and zsh)', () => {
  let cache: string;
  let functions: string;
  before(async () => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-complete-'));
    functions = path.join(cache, 'vsb', 'autocomplete', 'functions');
    const r = await vsb(['autocomplete', '--refresh-cache'], { env: { XDG_CACHE_HOME: cache } });
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => fs.rmSync(cache, { recursive: true, force: true }));

  /** What bash offers for `words` (the last one being completed), from the generated function. */
  function bashComplete(...words: string[]): string[] {
    const script = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}; _vsb_autocomplete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', script, 'bash', path.join(functions, 'bash', 'vsb.bash'), ...words], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  }

  it('bash completes commands and the flags of a command, new ones included', () => {
    assert.deepEqual(bashComplete('vsb', 'd'), ['doctor']);
    assert.deepEqual(bashComplete('vsb', 'run', '--rec').sort(), ['--record', '--record-fd']);
    assert.ok(bashComplete('vsb', 'doctor', '--').includes('--json'));
    // The commands of detached sandboxes, from their metadata like every other; not the hidden keeper.
    assert.deepEqual(bashComplete('vsb', 's'), ['stop']);
    assert.deepEqual(bashComplete('vsb', 'l'), ['logs']);
    assert.deepEqual(bashComplete('vsb', 'k'), []);
    assert.ok(bashComplete('vsb', 'p').includes('ps'));
    assert.deepEqual(bashComplete('vsb', 'stop', '--t'), ['--time']);
    assert.ok(bashComplete('vsb', 'run', '--de').includes('--detach'));
  });

  it('zsh gets a #compdef function (syntax-checked by zsh -n) naming every command and the flags of run', () => {
    const file = path.join(functions, 'zsh', '_vsb');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^#compdef vsb/);
    execFileSync('zsh', ['-n', file]);
    for (const command of ['autocomplete', 'doctor', 'logs', 'ps', 'run', 'stop']) assert.match(text, new RegExp(`^"${command}\\[`, 'm'));
    for (const flag of ['--connect', '--mount', '--record', '--record-fd', '--no-seccomp', '--detach', '--keep', '--follow', '--time'])
      assert.ok(text.includes(flag), flag);
  });

  it('prints how to enable it, for bash and for zsh', async () => {
    for (const shell of ['bash', 'zsh']) {
      const r = await vsb(['autocomplete', shell], { env: { XDG_CACHE_HOME: cache } });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.toString().includes(`vsb autocomplete script ${shell}`), shell);
      const setup = await vsb(['autocomplete', 'script', shell], { env: { XDG_CACHE_HOME: cache } });
      assert.ok(setup.stdout.toString().includes(path.join(cache, 'vsb', 'autocomplete', `${shell}_setup`)), shell);
    }
  });
});
