import type { GuestMount } from './guest-config';
import type { MountSpec } from '../sandbox-config';

/**
 * Where the app may write under Landlock (guest config `writable`): the targets of the mounts that
 * are writable, the ones libvirt makes (`--mount` host-bind without `ro`, host-image, ram,
 * guest-bind) and the ones the init makes (tmpfs, and binds it does not remount read-only). The
 * read-only root, the config dir and the rest of /dev and /proc stay read-only even for root.
 * Known only here, on the host: the init sees mounts, not which of them the user meant to share.
 */
export function writablePaths(mounts: readonly MountSpec[], guestMounts: readonly GuestMount[] = []): string[] {
  let paths = mounts.filter((m) => m.type !== 'host-bind' || !m.readonly).map((m) => m.target);
  for (const m of guestMounts) paths = m.kind === 'ro' ? paths.filter((p) => p !== m.target) : [...paths, m.target];
  return [...new Set(paths)];
}
