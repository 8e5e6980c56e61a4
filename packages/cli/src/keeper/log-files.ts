/*
 * Where a detached sandbox's app log lives and how big it may grow: what `vsb run`'s help and
 * `vsb logs` name, apart from the writer (bounded-log.ts), so that commands every `vsb` loads do not
 * load it.
 */

/** The app's log in a detached sandbox's state dir; its older half is `app.log.1`. */
export const LOG_FILE = 'app.log';

/** Most bytes the log of one sandbox takes on disk, both parts together (the state dir is on /run, a tmpfs: memory). */
export const LOG_BOUND_BYTES = 4 * 1024 * 1024;

/** The file holding the part before the current one. */
export function olderLogPart(file: string): string {
  return `${file}.1`;
}
