import fs from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../extension-points/build-context';
import { uncopyableKind } from './file-kind';
import { includeOrigin, mountHolding } from '../options/check-includes';
import { quoteValue } from '../options/option-error';
import { SandboxError } from '../sandbox-error';
import type { SandboxConfig } from '../sandbox-config';

/** An include the guest init copies (guest config `copy`): from the config dir, as the guest sees it, to its path. */
export interface GuestCopy {
  readonly source: string;
  readonly target: string;
}

/**
 * Copies each include on the host before the domain starts (the original documented `--include`
 * and never copied anything): into the host-bind source of the mount holding it, or, for any other
 * mount (ram, guest-bind, host-image: nothing on the host to copy into), into the config dir's
 * `include/N`, which the init copies to the path once its mounts are done. Files and directories
 * recursively, with their modes, symlinks as symlinks, missing parent dirs created.
 */
export async function copyIncludes(config: SandboxConfig, configDir: string): Promise<void> {
  for (const [index, { guest, host }] of config.includes.entries()) {
    const mount = mountHolding(guest, config.mounts);
    const dest = mount?.type === 'host-bind' ? path.join(mount.source, guest.slice(mount.target.length)) : path.join(configDir, includeStage(index));
    await fs.mkdir(path.dirname(dest), { recursive: true });
    // Inside a directory too: fs.cp would copy a device's content (forever, for /dev/zero).
    const filter = async (src: string): Promise<boolean> => {
      const kind = uncopyableKind(await fs.lstat(src));
      if (kind)
        throw new SandboxError(
          'VSB_BAD_INCLUDE',
          `${includeOrigin({ guest, host })}: ${quoteValue(src)} is ${kind}; only regular files, directories and symlinks are copied`,
        );
      return true;
    };
    await fs.cp(host, dest, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, force: true, filter });
  }
}

/** The includes the init copies, in order: those not in a host-bind mount, from their stage in the config dir. */
export function guestCopies(ctx: BuildContext): GuestCopy[] {
  return ctx.config.includes.flatMap(({ guest }, index) =>
    mountHolding(guest, ctx.config.mounts)?.type === 'host-bind' ? [] : [{ source: path.join(ctx.guestConfigDir, includeStage(index)), target: guest }],
  );
}

function includeStage(index: number): string {
  return path.join('include', String(index));
}
