import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Config } from '@oclif/core';
import type { Command } from '@oclif/core';
import { commandManPage, manPageName } from '../src/man/man-page';

const ROOT = path.join(__dirname, '..', '..');
const MAN_DIR = path.join(ROOT, 'dist', 'man', 'man1');

/** A page as `man` shows it, without the overstrike bold and underline of a terminal. */
function rendered(file: string): string {
  return execFileSync('mandoc', ['-T', 'ascii', file], { encoding: 'utf8' }).replace(/.\x08/g, '');
}

/** The flags of a command as a reader of its page must find them: `-c, --connect` or `--[no-]tty`. */
function flagGrammar(flag: Command.Flag.Cached): string {
  const long = flag.type === 'boolean' && flag.allowNo ? `--[no-]${flag.name}` : `--${flag.name}`;
  return flag.char ? `-${flag.char}, ${long}` : long;
}

describe('man pages', () => {
  let config: Config;
  before(async () => {
    config = await Config.load({ root: ROOT });
  });

  it('are built for vsb and for every command oclif loads', () => {
    const want = [`${config.bin}.1`, ...config.commands.filter((c) => !c.hidden).map((c) => `${manPageName(config.bin, c.id)}.1`)].sort();
    assert.deepEqual(fs.readdirSync(MAN_DIR).sort(), want);
    assert.ok(want.includes('vsb-run.1'));
  });

  it('pass mandoc -T lint without a single message', () => {
    for (const file of fs.readdirSync(MAN_DIR)) {
      const r = spawnSync('mandoc', ['-T', 'lint', path.join(MAN_DIR, file)], { encoding: 'utf8' });
      assert.equal(r.stdout + r.stderr, '', file);
      assert.equal(r.status, 0, file);
    }
  });

  it('name every flag of their command with its grammar, and its examples (no drift from the code)', () => {
    for (const command of config.commands.filter((c) => !c.hidden)) {
      const text = rendered(path.join(MAN_DIR, `${manPageName(config.bin, command.id)}.1`));
      for (const flag of Object.values(command.flags).filter((f) => !f.hidden)) {
        const value = flag.type === 'option' ? ` ${[flag.helpValue ?? flag.name.toUpperCase()].flat().join(' ')}` : '';
        assert.ok(text.includes(flagGrammar(flag) + value), `${command.id}: page lacks ${flagGrammar(flag)}${value}`);
      }
      for (const e of command.examples ?? []) {
        const line = (typeof e === 'string' ? e : e.command)
          .replace('<%= config.bin %>', config.bin)
          .replace('<%= command.id %>', command.id.replace(/:/g, ' '));
        assert.ok(text.includes(line), `${command.id}: page lacks the example ${line}`);
      }
    }
  });

  it('of vsb run have the hand-written sections and vsb(1) lists the commands', () => {
    const run = rendered(path.join(MAN_DIR, 'vsb-run.1'));
    for (const heading of ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXAMPLES', 'EXIT STATUS', 'ENVIRONMENT', 'FILES', 'SECURITY', 'SEE ALSO']) {
      assert.match(run, new RegExp(`^${heading}$`, 'm'));
    }
    assert.match(run, /VSB_PLUGINS/);
    assert.match(run, /\/run\/vsb\/NAME/);
    const vsb = rendered(path.join(MAN_DIR, 'vsb.1'));
    for (const c of config.commands.filter((x) => !x.hidden)) assert.ok(vsb.includes(`${manPageName(config.bin, c.id)}(1)`), c.id);
  });

  it('are where man finds them after set-up (scripts/setup.sh installs them)', () => {
    for (const page of ['vsb', 'vsb-run']) {
      const found = execFileSync('man', ['-w', page], { encoding: 'utf8' }).trim();
      assert.match(rendered(found), new RegExp(`^${page.toUpperCase()}\\(1\\)`), found);
    }
  });

  it('render a flag without a summary, with options, a default and a long help value', () => {
    const command = {
      id: 'fake',
      aliases: [],
      args: {},
      hidden: false,
      pluginName: 'x',
      pluginType: 'core',
      summary: 'Do a thing',
      flags: {
        mode: { name: 'mode', type: 'option', char: 'o', options: ['a', 'b'], default: 'a', helpValue: 'MODE' },
        quiet: { name: 'quiet', type: 'boolean', allowNo: false, description: '.dot at the start\nand a \\ backslash' },
      },
    } as unknown as Command.Cached;
    const roff = commandManPage(command, {}, { bin: 'vsb', version: '1', date: '2026-01-01' });
    assert.match(roff, /^\\fB\\-o\\fR, \\fB\\-\\-mode\\fR \\fIMODE\\fR\nOne of: a, b\.\nDefault: a\.$/m);
    assert.match(roff, /^\\fB\\-\\-quiet\\fR\n\\&\.dot at the start and a \\e backslash\.$/m);
  });
});
