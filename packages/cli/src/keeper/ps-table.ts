import { quoteValue } from '@vsb/core';
import { formatMiB } from '../format-mib';
import type { AppEnd } from './keeper-metadata';
import type { PsEntry } from './ps-entry';

const HEADERS = ['NAME', 'BACKEND', 'URI', 'AGE', 'STATE', 'MEMORY', 'COMMAND'] as const;

/** `vsb ps` without --json: a header and one line per sandbox, columns padded, the command last and whole. */
export function psTable(entries: readonly PsEntry[]): string {
  const rows = entries.map((e) => [
    e.name,
    e.backend,
    e.uri,
    formatAge(e.ageSeconds),
    stateText(e),
    e.memoryBytes === null ? '-' : formatMiB(e.memoryBytes),
    commandText(e.command),
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [[...HEADERS], ...rows].map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

/** `42s`, `5m`, `3h`, `2d`: the largest unit that fits, as `ps` shows elapsed time briefly. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 48 * 3600) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** `running`, `stopping`, or how the app ended: `exited 3`, `killed SIGTERM`, `killed SIGKILL (out of memory)`, `failed`. */
export function stateText(entry: Pick<PsEntry, 'state' | 'ended'>): string {
  if (entry.state !== 'exited' || !entry.ended) return entry.state;
  return endText(entry.ended);
}

function endText(end: AppEnd): string {
  if (end.code !== undefined) return `exited ${end.code}`;
  if (end.signal !== undefined) return `killed ${end.signalName ?? end.signal}${end.oom ? ' (out of memory)' : ''}`;
  return 'failed';
}

/** The app's argv as a shell would take it back: plain words as they are, others quoted (bytes that are not UTF-8 as \xNN). */
export function commandText(command: readonly string[]): string {
  return command.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : quoteValue(word))).join(' ');
}
