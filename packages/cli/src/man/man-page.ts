import type { Command } from '@oclif/core';
import type { ManBlock, ManSections } from './man-sections';
import { roffBold, roffEscape, roffItalic, roffParagraph } from './roff';

/** What every page's header and footer say: the program, its version, the build's date. */
export interface ManMeta {
  /** 'vsb'. */
  readonly bin: string;
  readonly version: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
}

/** The man page name of a command: `vsb-run` for `run`, `vsb-a-b` for a topic command `a:b`. */
export function manPageName(bin: string, commandId: string): string {
  return `${bin}-${commandId.replace(/[: ]/g, '-')}`;
}

/**
 * The roff source of one command's page (`vsb-run(1)`): NAME, SYNOPSIS, DESCRIPTION, OPTIONS and
 * EXAMPLES from oclif's metadata, so a flag added to a command is in its page at the next build,
 * then the hand-written sections. Replaces virt-sandbox's pod2man page.
 */
export function commandManPage(command: Command.Cached, sections: ManSections, meta: ManMeta): string {
  const name = manPageName(meta.bin, command.id);
  const flags = Object.values(command.flags)
    .filter((f) => !f.hidden)
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    [
      header(name, meta),
      '.SH NAME',
      `${roffEscape(name)} \\- ${roffEscape(lowerFirst(command.summary ?? firstLine(command.description)))}`,
      '.SH SYNOPSIS',
      synopsis(command, meta.bin),
      ...section('DESCRIPTION', paragraphs(command.description ?? command.summary ?? '')),
      ...section('ARGUMENTS', Object.values(command.args ?? {}).map(argEntry)),
      ...section('OPTIONS', flags.map(flagEntry)),
      ...section(
        'EXAMPLES',
        (command.examples ?? []).map((e) => example(e, command.id, meta.bin)),
      ),
      ...sectionsOf(sections),
    ].join('\n') + '\n'
  );
}

/** The roff source of the program's own page (`vsb(1)`): what it is, its commands, the shared sections. */
export function programManPage(description: string, commands: readonly Command.Cached[], sections: ManSections, meta: ManMeta, summary: string): string {
  const visible = commands.filter((c) => !c.hidden).sort((a, b) => a.id.localeCompare(b.id));
  return (
    [
      header(meta.bin, meta),
      '.SH NAME',
      `${roffEscape(meta.bin)} \\- ${roffEscape(summary)}`,
      '.SH SYNOPSIS',
      `${roffBold(meta.bin)} ${roffItalic('COMMAND')} [${roffItalic('FLAGS')}]`,
      '.br',
      `${roffBold(meta.bin)} ${roffBold('--help')} | ${roffBold('--version')}`,
      ...section('DESCRIPTION', paragraphs(description)),
      ...section(
        'COMMANDS',
        visible.map(
          (c) =>
            `.TP\n${roffBold(`${meta.bin} ${c.id.replace(/:/g, ' ')}`)}\n${roffParagraph(c.summary ?? firstLine(c.description))}\nSee ${roffBold(manPageName(meta.bin, c.id))}(1).`,
        ),
      ),
      ...sectionsOf({ ...sections, seeAlso: [...visible.map((c) => `${manPageName(meta.bin, c.id)}(1)`), ...(sections.seeAlso ?? [])] }),
    ].join('\n') + '\n'
  );
}

function header(name: string, meta: ManMeta): string {
  return [
    `.\\" Generated from the oclif command definitions of ${meta.bin} (packages/cli/src/man); do not edit.`,
    `.TH ${name.toUpperCase().replace(/-/g, '\\-')} 1 ${meta.date} "${meta.bin} ${meta.version}" "User Commands"`,
  ].join('\n');
}

function synopsis(command: Command.Cached, bin: string): string {
  const id = command.id.replace(/:/g, ' ');
  const usage = [command.usage ?? []].flat()[0];
  // oclif's usage strings start with the command id, e.g. 'run [FLAGS] -- COMMAND [ARGS...]'.
  const rest = usage ? usage.replace(/^<%= config.bin %>\s*/, '').replace(new RegExp(`^${id}\\s*`), '') : defaultUsage(command);
  return `${roffBold(`${bin} ${id}`)} ${rest.split(/\s+/).filter(Boolean).map(usageWord).join(' ')}`;
}

function defaultUsage(command: Command.Cached): string {
  const args = Object.values(command.args ?? {}).map((a) => (a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`));
  return ['[FLAGS]', ...args].join(' ');
}

/** Upper-case words of a usage line are placeholders (italics); the rest is typed as is. */
function usageWord(word: string): string {
  return word.replace(/[A-Z][A-Z_.]*[A-Z_]|[^A-Z]+|[A-Z]/g, (part) => (/^[A-Z][A-Z_.]*$/.test(part) ? roffItalic(part) : roffEscape(part)));
}

/** One flag as a tagged paragraph: its grammar (`-c, --connect URI`, `--[no-]tty`), then what it does. */
export function flagEntry(flag: Command.Flag.Cached): string {
  const long = flag.type === 'boolean' && flag.allowNo ? `\\fB\\-\\-\\fR[\\fBno\\-\\fR]\\fB${roffEscape(flag.name)}\\fR` : roffBold(`--${flag.name}`);
  const names = [flag.char ? roffBold(`-${flag.char}`) : undefined, long].filter(Boolean).join(', ');
  const value = flag.type === 'option' ? ` ${roffItalic(helpValueOf(flag))}` : '';
  const notes: string[] = [];
  if (flag.type === 'option' && flag.options?.length) notes.push(`One of: ${flag.options.join(', ')}.`);
  if (flag.type === 'option' && flag.multiple) notes.push('May be given more than once.');
  if (flag.default !== undefined && typeof flag.default !== 'function' && flag.default !== false) notes.push(`Default: ${String(flag.default)}.`);
  if (flag.exclusive?.length) notes.push(`Not together with ${flag.exclusive.map((f) => `--${f}`).join(', ')}.`);
  if (flag.dependsOn?.length) notes.push(`Needs ${flag.dependsOn.map((f) => `--${f}`).join(', ')}.`);
  if (flag.required) notes.push('Required.');
  const text = [flag.summary ?? flag.description ?? '', flag.summary ? (flag.description ?? '') : '', ...notes]
    .filter(Boolean)
    .map((t) => endSentence(upperFirst(t)))
    .join(' ');
  return `.TP\n${names}${value}\n${roffParagraph(text)}`;
}

function argEntry(arg: Command.Arg.Cached): string {
  const notes = [arg.description ?? '', arg.options?.length ? `One of: ${arg.options.join(', ')}.` : '', arg.required ? 'Required.' : ''];
  return `.TP\n${roffItalic(arg.name.toUpperCase())}\n${roffParagraph(
    notes
      .filter(Boolean)
      .map((t) => endSentence(upperFirst(t)))
      .join(' '),
  )}`;
}

function helpValueOf(flag: Command.Flag.Cached & { type: 'option' }): string {
  const value = [flag.helpValue ?? []].flat().join(' ');
  return value || flag.name.toUpperCase();
}

function example(e: string | Command.Example, id: string, bin: string): string {
  const { description, command } = typeof e === 'string' ? { description: undefined, command: e } : e;
  const line = command.replace(/<%= config\.bin %>/g, bin).replace(/<%= command\.id %>/g, id.replace(/:/g, ' '));
  return [...(description ? [roffParagraph(endSentence(upperFirst(description)))] : []), '.RS 4', '.EX', roffEscape(line), '.EE', '.RE'].join('\n');
}

/** Paragraphs of a description (blank lines apart) as roff, `.PP` between them. */
function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map(roffParagraph);
}

function sectionsOf(s: ManSections): string[] {
  return [
    ...section('EXIT STATUS', (s.exitStatus ?? []).map(block)),
    ...section('ENVIRONMENT', (s.environment ?? []).map(block)),
    ...section('FILES', (s.files ?? []).map(block)),
    ...section('SECURITY', (s.security ?? []).map(block)),
    ...section('SEE ALSO', s.seeAlso?.length ? [s.seeAlso.map(seeAlsoEntry).join(',\n')] : []),
  ];
}

function seeAlsoEntry(ref: string): string {
  const m = /^(.+)\((\w+)\)$/.exec(ref);
  return m ? `${roffBold(m[1]!)}(${m[2]})` : roffBold(ref);
}

function block(b: ManBlock): string {
  return typeof b === 'string' ? roffParagraph(b) : `.TP\n${roffBold(b.term)}\n${roffParagraph(b.text)}`;
}

/**
 * A section with its entries; `.PP` before a prose entry that follows another entry (right after
 * `.SH` or before a `.TP` it is redundant, and mandoc warns).
 */
function section(title: string, entries: readonly string[]): string[] {
  if (entries.length === 0) return [];
  return [`.SH ${title}`, ...entries.flatMap((entry, i) => (i > 0 && !entry.startsWith('.') ? ['.PP', entry] : [entry]))];
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.replace(/\.$/, '');
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function upperFirst(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

function endSentence(text: string): string {
  return /[.!?:]$/.test(text) ? text : `${text}.`;
}
