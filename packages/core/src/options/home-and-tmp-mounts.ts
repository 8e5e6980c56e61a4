import type { HostBindMount, MountSpec } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { checkHostPath } from './check-host-path';
import { optionError, quoteValue } from './option-error';

/** SELinux `sandbox`'s home and tmp options, as `vsb run` flags. */
export interface HomeAndTmpFlags {
  /** `-M/--mount-temp-home`: an empty temporary `$HOME` and `/tmp`. */
  readonly tempHome?: boolean;
  /** `-H/--homedir DIR`: a host dir used as `$HOME`. */
  readonly homedir?: string;
  /** `-T/--tmpdir DIR`: a host dir used as `/tmp`. */
  readonly tmpdir?: string;
}

/**
 * The host-bind mounts that SELinux `sandbox`'s `-M`, `-H DIR` and `-T DIR` stand for: `$HOME`
 * (`home`, the app's) from DIR, `/tmp` from DIR, and with `-M` a temporary dir for whichever of the
 * two has no DIR. A target the user also mounts with `--mount` is refused, naming both options.
 */
export function homeAndTmpMounts(flags: HomeAndTmpFlags, home: string, mounts: readonly MountSpec[]): HostBindMount[] {
  const wanted: Array<[string, string | undefined, string]> = [
    [home, flags.homedir, flags.homedir === undefined ? '--mount-temp-home' : `--homedir ${quoteValue(flags.homedir)}`],
    ['/tmp', flags.tmpdir, flags.tmpdir === undefined ? '--mount-temp-home' : `--tmpdir ${quoteValue(flags.tmpdir)}`],
  ];
  return wanted
    .filter(([, dir]) => dir !== undefined || flags.tempHome)
    .map(([target, dir, origin]) => {
      if (target === '/') throw new SandboxError('VSB_USAGE', `${origin}: the home directory is '/', which cannot be replaced`);
      if (mounts.some((m) => m.target === target)) {
        throw new SandboxError('VSB_BAD_MOUNT', `${origin}: ${quoteValue(target)} is also a --mount target; give only one of them`);
      }
      const source = dir === undefined ? '' : checkHostPath(dir, 'directory', optionError('VSB_USAGE', origin.split(' ')[0]!, dir));
      return { type: 'host-bind', target, source, readonly: false, origin };
    });
}
