import assert from 'node:assert/strict';
import { Args, Command, Flags } from '@oclif/core';
import { SandboxError } from '@vsb/core';
import { describeError, ReportedError } from '../src/base-command';

/** A command with the kinds of flags and args whose parse errors oclif words over two lines. */
class Probe extends Command {
  static override args = { name: Args.string({ required: true, description: 'the name' }) };
  static override flags = {
    time: Flags.integer({ char: 't', min: 0 }),
    detach: Flags.boolean({ exclusive: ['dry'] }),
    dry: Flags.boolean(),
    keep: Flags.boolean({ dependsOn: ['detach'] }),
  };

  async run(): Promise<void> {
    await this.parse(Probe);
  }
}

async function lineOf(argv: string[]): Promise<{ line: string; code: number }> {
  const err = await Probe.run(argv, { root: __dirname }).then(
    () => assert.fail('no error'),
    (e: Error) => e,
  );
  const { line, code } = describeError(err, SandboxError, 'probe');
  return { line, code };
}

describe('describeError', () => {
  it("puts oclif's parse errors on one line with their reason, exit 2", async () => {
    assert.deepEqual(await lineOf([]), { line: 'Missing 1 required arg: name', code: 2 });
    assert.deepEqual(await lineOf(['-t', 'x', 'a']), { line: '--time: Expected an integer but received: x', code: 2 });
    assert.deepEqual(await lineOf(['--detach', '--dry', 'a']), { line: '--dry=true cannot also be provided when using --detach', code: 2 });
    assert.deepEqual(await lineOf(['--keep', 'a']), { line: 'All of the following must be provided when using --keep: --detach', code: 2 });
  });

  it('shows a SandboxError as it is and an error another process described as that one did', () => {
    assert.deepEqual(describeError(new SandboxError('VSB_NO_SANDBOX', "no sandbox named 'x' is running"), SandboxError, 'stop'), {
      line: "no sandbox named 'x' is running",
      suggestions: [],
      code: 1,
    });
    const report = { line: 'guest: cannot bind /x', suggestions: ['try this'], code: 1 };
    assert.deepEqual(describeError(new ReportedError(report), SandboxError, 'run'), report);
  });
});
