import assert from 'node:assert/strict';
import { SandboxError } from '@vsb/core';
import { EXEC_FLAGS } from '../src/exec/exec-flags';
import { parseLeanArgs } from '../src/exec/lean-args';

const exec = (...args: string[]) => parseLeanArgs(args, EXEC_FLAGS, 'exec', true);

function usage(fn: () => unknown, message: string): void {
  assert.throws(fn, (err: unknown) => err instanceof SandboxError && err.isUsage && err.message === message && err.suggestions[0] === 'see: vsb exec --help');
}

describe("vsb exec's arguments (parsed without oclif)", () => {
  it('takes options before NAME in every spelling, and the command after it, with or without --', () => {
    assert.deepEqual(exec('-t', '-e', 'A=1', '-eB=2', '--env', 'C', '--env=D=4', '-w', '/tmp', 'box', 'ls', '-la'), {
      flags: { tty: true, env: ['A=1', 'B=2', 'C', 'D=4'], workdir: ['/tmp'] },
      name: 'box',
      command: ['ls', '-la'],
    });
    assert.deepEqual(exec('-te', 'X=1', 'box', '--', 'sh', '-c', 'echo -t'), {
      flags: { tty: true, env: ['X=1'] },
      name: 'box',
      command: ['sh', '-c', 'echo -t'],
    });
    assert.deepEqual(exec('--', 'box', '-t'), { flags: {}, name: 'box', command: ['-t'] });
    assert.deepEqual(exec('--workdir=/a', '-w/b', 'box', 'true').flags, { workdir: ['/b'] });
  });

  it('one-line usage errors', () => {
    usage(() => exec(), 'missing NAME: the name of the sandbox, as vsb ps lists it');
    usage(() => exec('box'), 'missing COMMAND: what to run in the sandbox');
    usage(() => exec('box', '--'), 'missing COMMAND: what to run in the sandbox');
    usage(() => exec('-x', 'box', 'true'), 'unknown option -x');
    usage(() => exec('--nope', 'box', 'true'), 'unknown option --nope');
    usage(() => exec('--tty=1', 'box', 'true'), '--tty takes no value');
    usage(() => exec('-e'), '-e expects a value (KEY=VALUE|KEY)');
    usage(() => exec('--workdir'), '--workdir expects a value (DIR)');
    assert.throws(() => parseLeanArgs(['box', 'extra'], [], 'attach', false), /unexpected argument "extra"/);
  });
});
