import { quoteValue, type OptionError } from './option-error';

/** Options that may follow a source: `ro` (no value), `format=raw|qcow2` and `relabel=yes|no`. */
export type SourceOptionName = 'ro' | 'format' | 'relabel';

/** A source with the options that followed it; defaults `readonly: false`, `format: 'raw'`, relabel absent. */
export interface SourceWithOptions {
  readonly source: string;
  readonly readonly: boolean;
  readonly format: 'raw' | 'qcow2';
  readonly relabel?: boolean;
}

const HINTS: Readonly<Record<SourceOptionName, string>> = { ro: 'ro', format: 'format=raw or format=qcow2', relabel: 'relabel=yes|no' };

/**
 * Splits `SRC[,OPTION...]` (the part after `=` of `--mount` and `--disk`). Host paths may contain
 * commas, so SRC ends only at the first comma followed by a *known* option name (one of `known`)
 * that is itself followed by `=`, `,` or the end: with `ro` known, `/a,b,ro` is SRC `/a,b` plus
 * `ro`, while `/a,rox` is all SRC. Every option after that must be known, valid and given once.
 * The format is never probed from the image (a raw image claiming to be qcow2 could point qemu at
 * host files), so it defaults to raw.
 */
export function parseSourceOptions(text: string, known: readonly SourceOptionName[], owner: string, bad: OptionError): SourceWithOptions {
  const pattern = new RegExp(`,(?=(?:${known.join('|')})(?:[=,]|$))`);
  const start = known.length > 0 ? text.search(pattern) : -1;
  if (start < 0) return { source: text, readonly: false, format: 'raw' };
  let readonly = false;
  let format: 'raw' | 'qcow2' = 'raw';
  let relabel: boolean | undefined;
  const seen = new Set<string>();
  for (const item of text.slice(start + 1).split(',')) {
    if (item === '') throw bad('empty option (two commas in a row, or a trailing comma)');
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? undefined : item.slice(eq + 1);
    if (!(known as readonly string[]).includes(name)) {
      throw bad(`unknown option ${quoteValue(name)} for ${owner} (use ${known.map((k) => HINTS[k]).join(' or ')})`);
    }
    if (seen.has(name)) throw bad(`option '${name}' is given twice`);
    seen.add(name);
    if (name === 'ro') {
      if (value !== undefined) throw bad(`option 'ro' takes no value (write just ',ro')`);
      readonly = true;
    } else if (name === 'relabel') {
      if (value !== 'yes' && value !== 'no') throw bad(`relabel= must be yes or no, not ${quoteValue(value ?? '')}`);
      relabel = value === 'yes';
    } else if (value === undefined) {
      throw bad(`option 'format' needs a value (format=raw or format=qcow2)`);
    } else if (value === 'raw' || value === 'qcow2') {
      format = value;
    } else {
      throw bad(`unknown image format ${quoteValue(value)} (use format=raw or format=qcow2)`);
    }
  }
  return { source: text.slice(0, start), readonly, format, ...(relabel !== undefined && { relabel }) };
}
