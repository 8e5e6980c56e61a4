import path from 'node:path';
import type { BuildContext } from '../extension-points/build-context';
import type { MountSpec } from '../sandbox-config';

/** Both sides of a staging directory: the host creates `host`, the guest sees it at `guest`. */
export interface StagePath {
  readonly host: string;
  readonly guest: string;
}

/**
 * Where libvirt mounts a host-side mount (host-bind, host-image) for the guest init to move onto
 * its target: `CONFIGDIR/stage-N`, N the mount's index (flat: a remote stage holds only volumes). It exists on the host inside the config dir,
 * so libvirt never has to create a directory in the read-only root (it cannot: "Failed to create
 * /x: Read-only file system"); the init creates missing targets itself (docs/DESIGN.md).
 */
export function stagePath(ctx: BuildContext, mount: MountSpec): StagePath {
  const index = String(ctx.config.mounts.indexOf(mount));
  return { host: path.join(ctx.configDir, `stage-${index}`), guest: path.join(ctx.guestConfigDir, `stage-${index}`) };
}

/** The host dir of the temporary `host-bind:DST=` at `index`: inside the state dir, so it goes with it. */
function tempSourcePath(stateDir: string, index: number): string {
  return path.join(stateDir, 'temp', String(index));
}

/** The mounts with every temporary host-bind given its directory under the state dir. */
export function withTempSources(mounts: readonly MountSpec[], stateDir: string): MountSpec[] {
  return mounts.map((m, i) => (m.type === 'host-bind' && m.source === '' ? { ...m, source: tempSourcePath(stateDir, i) } : m));
}
