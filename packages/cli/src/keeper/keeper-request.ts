import type { SandboxConfig } from '@vsb/core';
import type { ErrorReport } from '../base-command';

/**
 * The descriptor `vsb run --detach` gives its keeper for their link (a socket pair's end). Here,
 * with the link's types, so the caller's side loads nothing of the keeper's.
 */
export const KEEPER_LINK_FD = 3;

/** What `vsb run --detach` hands its keeper: the first line on the link (fd 3). */
export interface KeeperRequest {
  /** The sandbox, as `vsb run` built and checked it from its flags. */
  readonly config: SandboxConfig;
  /** `--keep`: stay after the app ended, until `vsb stop`. */
  readonly keep: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  /** `--debug` or VSB_TIMING: the start-up steps' times, sent back while the caller waits. */
  readonly timing: boolean;
  /** The caller's stderr is a terminal: a VM's boot shows a status line there. */
  readonly progress: boolean;
  /** The caller's `performance.timeOrigin`, so timings count from its start, as `vsb run`'s do. */
  readonly timeOrigin: number;
  /** `--tty`: the app's pty starts at the caller's terminal size (when it has one) with its TERM. */
  readonly rows?: number;
  readonly cols?: number;
  readonly term?: string;
}

/**
 * What the keeper sends back while its caller waits: text for the caller's stderr (notes,
 * timings; lossless text, so the app's own bytes cross unchanged), the boot status line (null
 * clears it), then one of: `ready` with the name once the app runs; the error that ended the
 * start, described as the caller must print it; or the exit code of an app that never ran (a
 * command that cannot be executed: its stderr came before, as `vsb run` shows it).
 */
export type KeeperMessage =
  | { readonly stderr: string }
  | { readonly progress: string | null }
  | { readonly ready: string }
  | { readonly error: ErrorReport }
  | { readonly exited: number };
