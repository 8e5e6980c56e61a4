import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { assertNothingLeft, started, vsb } from './vsb';
import type { VsbResult } from './vsb';

/* Helpers of the tests of detached sandboxes (vsb run --detach, ps, stop, exec, attach). */

/** What `vsb ps --json` prints for each sandbox (the fields these tests read). */
export interface PsEntry {
  name: string;
  backend: string;
  uri: string;
  pid: number;
  ageSeconds: number;
  command: string[];
  state: string;
  keep: boolean;
  ended: { code?: number; signal?: number; signalName?: string } | null;
  memoryBytes: number | null;
}

export function testName(tag: string): string {
  const name = `vsb-t${tag}${crypto.randomBytes(3).toString('hex')}`;
  started.add(name);
  return name;
}

/** `vsb run --detach -n NAME ARGS -- COMMAND`; asserts it printed the name and exited 0. */
export async function detach(name: string, args: readonly string[], command: readonly string[]): Promise<VsbResult> {
  const r = await vsb(['run', '--detach', '-n', name, ...args, '--', ...command]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), `${name}\n`);
  return r;
}

export async function ps(): Promise<PsEntry[]> {
  const r = await vsb(['ps', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.toString()) as PsEntry[];
}

export async function stop(name: string, args: readonly string[] = []): Promise<void> {
  const r = await vsb(['stop', ...args, name]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.toString(), `${name}\n`);
}

/** Stops what a failed test left running (a passing one stopped it or saw it end), then checks that nothing is left. */
export async function cleanUp(): Promise<void> {
  for (const e of await ps()) if (started.has(e.name)) await vsb(['stop', '-t', '0', e.name]);
  await assertNothingLeft();
}
