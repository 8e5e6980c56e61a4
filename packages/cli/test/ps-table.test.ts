import assert from 'node:assert/strict';
import type { DetachedSandbox } from '../src/keeper/detached-sandbox';
import type { KeeperMetadata } from '../src/keeper/keeper-metadata';
import { psEntries } from '../src/keeper/ps-entry';
import { commandText, formatAge, psTable, stateText } from '../src/keeper/ps-table';

const NOW = Date.parse('2026-01-02T04:00:00.000Z');

function sandbox(name: string, meta: Partial<KeeperMetadata>): DetachedSandbox {
  return {
    stateDir: `/run/vsb/${name}`,
    metadata: {
      version: 1,
      name,
      backend: 'lxc',
      uri: 'lxc:///',
      pid: 7,
      startedAt: '2026-01-02T03:59:18.000Z',
      command: ['sleep', '600'],
      keep: false,
      state: 'running',
      ...meta,
    },
  };
}

describe('vsb ps', () => {
  it('formats ages, states and commands', () => {
    assert.deepEqual([0, 59, 60, 3599, 3600, 47 * 3600, 48 * 3600].map(formatAge), ['0s', '59s', '1m', '59m', '1h', '47h', '2d']);
    const at = '2026-01-02T04:00:00.000Z';
    assert.equal(stateText({ state: 'running', ended: null }), 'running');
    assert.equal(stateText({ state: 'stopping', ended: null }), 'stopping');
    assert.equal(stateText({ state: 'exited', ended: { at, code: 3 } }), 'exited 3');
    assert.equal(stateText({ state: 'exited', ended: { at, signal: 15, signalName: 'SIGTERM' } }), 'killed SIGTERM');
    assert.equal(stateText({ state: 'exited', ended: { at, signal: 9, signalName: 'SIGKILL', oom: true } }), 'killed SIGKILL (out of memory)');
    assert.equal(stateText({ state: 'exited', ended: { at, error: 'guest: gone' } }), 'failed');
    assert.equal(commandText(['sh', '-c', 'echo $HOME; exit 3']), "sh -c 'echo $HOME; exit 3'");
    assert.equal(commandText(['printf', 'a\udcffb', '--x=1,2']), "printf 'a\\xffb' --x=1,2");
  });

  it('lists entries with their age and memory (none for an ended app), in columns', () => {
    const entries = psEntries(
      [
        sandbox('vsb-a', {}),
        sandbox('vsb-long-name', {
          backend: 'qemu',
          uri: 'qemu:///system',
          state: 'exited',
          keep: true,
          ended: { at: '2026-01-02T03:59:30.000Z', code: 0 },
          command: ['true'],
        }),
      ],
      NOW,
      (name) => (name === 'vsb-a' ? 3 * 1024 * 1024 : 1),
    );
    assert.deepEqual(
      entries.map((e) => [e.ageSeconds, e.memoryBytes]),
      [
        [42, 3 * 1024 * 1024],
        [42, null],
      ],
    );
    assert.equal(
      psTable(entries),
      [
        'NAME           BACKEND  URI             AGE  STATE     MEMORY  COMMAND',
        'vsb-a          lxc      lxc:///         42s  running   3 MiB   sleep 600',
        'vsb-long-name  qemu     qemu:///system  42s  exited 0  -       true',
        '',
      ].join('\n'),
    );
    assert.equal(psTable([]), 'NAME  BACKEND  URI  AGE  STATE  MEMORY  COMMAND\n');
  });
});
