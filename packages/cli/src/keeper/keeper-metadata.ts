import fs from 'node:fs';
import path from 'node:path';

/** The keeper's metadata file in a detached sandbox's state dir: what `vsb ps` lists. */
export const METADATA_FILE = 'keeper.json';

/** How the app of a detached sandbox ended (a `--keep` sandbox shows it until `vsb stop`). */
export interface AppEnd {
  /** ISO time of the end. */
  readonly at: string;
  /** The app's exit code, when it exited. */
  readonly code?: number;
  /** The signal that killed it (number and name), when it was killed. */
  readonly signal?: number;
  readonly signalName?: string;
  /** The kernel's OOM killer ended it (the sandbox's --memory). */
  readonly oom?: boolean;
  /** The sandbox failed instead (the guest went away, libvirt ended the domain): the one-line reason. */
  readonly error?: string;
}

/**
 * What the keeper of one detached sandbox says about it, rewritten (atomically) at each change:
 * `running` once the app started, `stopping` once `vsb stop` sent SIGTERM, `exited` when the app of
 * a `--keep` sandbox has ended. A sandbox without `--keep` is removed when its app ends instead.
 */
export interface KeeperMetadata {
  readonly version: 1;
  readonly name: string;
  /** The backend's id (`lxc`, `qemu` ...). */
  readonly backend: string;
  readonly uri: string;
  /** The keeper's pid: the sandbox lives while it does. */
  readonly pid: number;
  /** ISO time the app started. */
  readonly startedAt: string;
  /** The app's argv (lossless text: bytes that are not UTF-8 as U+DC80..U+DCFF). */
  readonly command: readonly string[];
  /** `--keep`: the sandbox stays after its app ended, until `vsb stop`. */
  readonly keep: boolean;
  readonly state: 'running' | 'stopping' | 'exited';
  readonly ended?: AppEnd;
  /** The app runs on a pty: `vsb attach` puts its terminal in raw mode and sends its size. */
  readonly tty?: boolean;
  /** `vsb exec` may hand the sandbox its stdio descriptors (socket-rpc), else the keeper relays them. */
  readonly passesDescriptors?: boolean;
}

/**
 * Writes the metadata file atomically (a temporary file renamed over it), so a reader sees the
 * old content or the new, never a half-written file; only its owner may read it (0600).
 */
export function writeKeeperMetadata(stateDir: string, metadata: KeeperMetadata): void {
  const file = path.join(stateDir, METADATA_FILE);
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(metadata)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** The metadata of the state dir's keeper; undefined when there is none (not a detached sandbox, or gone) or it is not one vsb wrote. */
export function readKeeperMetadata(stateDir: string): KeeperMetadata | undefined {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(path.join(stateDir, METADATA_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const m = value as Partial<KeeperMetadata> | null;
  const valid = m?.version === 1 && typeof m.name === 'string' && typeof m.pid === 'number' && Array.isArray(m.command) && typeof m.state === 'string';
  return valid ? (m as KeeperMetadata) : undefined;
}
