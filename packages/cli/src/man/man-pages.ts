import { Config } from '@oclif/core';
import { VSB_MAN_DESCRIPTION, vsbMan } from '../vsb-man';
import { COMMAND_MAN_SECTIONS } from './command-man-sections';
import { commandManPage, manPageName, programManPage } from './man-page';

/** One generated page: its file name (`vsb-run.1`) and roff source. */
export interface ManPageFile {
  readonly file: string;
  readonly roff: string;
}

/**
 * Every man page of the CLI whose package root is `root`: `vsb.1` and one per visible command,
 * plugin commands included, from the commands oclif itself loads (the same metadata `--help` shows).
 * `date` is the pages' date (`YYYY-MM-DD`).
 */
export async function manPages(root: string, date: string): Promise<ManPageFile[]> {
  const config = await Config.load({ root });
  const meta = { bin: config.bin, version: config.version, date };
  const commands = config.commands.filter((c) => !c.hidden);
  return [
    {
      file: `${config.bin}.1`,
      roff: programManPage(VSB_MAN_DESCRIPTION, commands, vsbMan, meta, config.pjson.description?.replace(/^[^:]*:\s*/, '') ?? config.bin),
    },
    ...commands.map((c) => ({ file: `${manPageName(config.bin, c.id)}.1`, roff: commandManPage(c, COMMAND_MAN_SECTIONS[c.id] ?? {}, meta) })),
  ];
}
