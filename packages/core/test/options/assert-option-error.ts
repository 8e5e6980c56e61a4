import assert from 'node:assert/strict';
import { SandboxError, type SandboxErrorCode } from '../../src/sandbox-error';

/** Asserts that `fn` throws a usage SandboxError with exactly `code` and the one-line `message`. */
export function assertOptionError(fn: () => unknown, code: SandboxErrorCode, message: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SandboxError, `expected a SandboxError, got ${String(error)}`);
    assert.equal(error.message, message);
    assert.equal(error.code, code);
    assert.ok(error.isUsage, `${code} should be a usage error`);
    assert.doesNotMatch(error.message, /[\n\r]/);
    return true;
  });
}

/** Test table rows: an option value and the exact message (and code) it must be refused with. */
export type Rejection = readonly [input: string, code: SandboxErrorCode, message: string];

/** One `it` per row: `parse(input)` must throw exactly that error. */
export function itRejects(parse: (text: string) => unknown, rows: readonly Rejection[]): void {
  for (const [input, code, message] of rows) {
    it(`rejects ${JSON.stringify(input)}`, () => assertOptionError(() => parse(input), code, message));
  }
}

/** One `it` per row: `parse(input)` must deep-equal `expected`. */
export function itAccepts<T>(parse: (text: string) => T, rows: ReadonlyArray<readonly [string, T]>): void {
  for (const [input, expected] of rows) {
    it(`accepts ${JSON.stringify(input)}`, () => assert.deepEqual(parse(input), expected));
  }
}
