import fs from 'node:fs/promises';
import path from 'node:path';
import { uncopyableKind } from './file-kind';
import { includeOrigin, mountHolding } from './options/check-includes';
import { quoteValue } from './options/option-error';
import { SandboxError } from './sandbox-error';
import type { SandboxConfig } from './sandbox-config';

/**
 * Copies each include into the host-bind source of the mount holding it (the original documented
 * `--include` and never copied anything): files and directories recursively, with their modes,
 * symlinks as symlinks, missing parent dirs created. Runs before the domain starts, with temporary
 * sources already resolved, so the app finds everything in place.
 */
export async function copyIncludes(config: SandboxConfig): Promise<void> {
  for (const { guest, host } of config.includes) {
    const mount = mountHolding(guest, config.mounts);
    if (mount?.type !== 'host-bind') throw new Error(`include ${guest} is not in a host-bind mount (checkIncludes lets none through)`);
    const dest = path.join(mount.source, guest.slice(mount.target.length));
    await fs.mkdir(path.dirname(dest), { recursive: true });
    // Inside a directory too: fs.cp would copy a device's content (forever, for /dev/zero).
    const filter = async (src: string): Promise<boolean> => {
      const kind = uncopyableKind(await fs.lstat(src));
      if (kind) throw new SandboxError('VSB_BAD_INCLUDE', `${includeOrigin({ guest, host })}: ${quoteValue(src)} is ${kind}; only regular files, directories and symlinks are copied`);
      return true;
    };
    await fs.cp(host, dest, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, force: true, filter });
  }
}
