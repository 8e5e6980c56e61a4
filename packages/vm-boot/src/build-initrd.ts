import fs from 'node:fs/promises';
import path from 'node:path';
import { cacheFile, exists, writeAtomically } from './cache-file';
import { NEWC_ARCHIVE_SOURCE, newcArchive, type NewcEntry } from './newc-archive';
import { MODULE_SIGNATURES_SOURCE, stripModuleSignature } from './module-signatures';
import { moduleName, type ModulePath } from './resolve-modules';

/**
 * The initrd of a VM sandbox, made once per init binary and module set and cached: the static guest
 * init as /init (its stage 1 loads /modules/* in name order, see packages/guest-init/src/stage1.c),
 * the modules numbered in dependency order, the directories stage 1 mounts on, and the two device
 * nodes the kernel and init need before devtmpfs exists. With `unsigned`, modules lose their
 * signatures (for a kernel that does not enforce them; see {@link stripModuleSignature}).
 */
export async function buildInitrd(initPath: string, moduleDir: string, modules: readonly ModulePath[], cacheDir: string, unsigned = false): Promise<string> {
  const init = await fs.readFile(initPath);
  const stats = await Promise.all(modules.map((m) => fs.stat(path.join(moduleDir, m))));
  const producers = [__filename, NEWC_ARCHIVE_SOURCE, MODULE_SIGNATURES_SOURCE];
  const inputs = [String(unsigned), init, moduleDir, ...modules.flatMap((m, i) => [m, stats[i]!.size, stats[i]!.mtimeMs])];
  const target = await cacheFile(cacheDir, 'initrd', inputs, producers);
  if (await exists(target)) return target;
  const entries: NewcEntry[] = [
    { type: 'dir', path: 'dev' },
    { type: 'chr', path: 'dev/console', major: 5, minor: 1 },
    { type: 'chr', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
    { type: 'dir', path: 'config' },
    { type: 'dir', path: 'sysroot' },
    { type: 'dir', path: 'modules' },
    { type: 'file', path: 'init', data: init, mode: 0o755 },
  ];
  for (const [i, m] of modules.entries()) {
    const suffix = path.basename(m).slice(path.basename(m).indexOf('.ko'));
    const data = await fs.readFile(path.join(moduleDir, m));
    // Only an uncompressed .ko carries its signature at the very end.
    entries.push({
      type: 'file',
      path: `modules/${String(i).padStart(3, '0')}-${moduleName(m)}${suffix}`,
      data: unsigned && suffix === '.ko' ? stripModuleSignature(data) : data,
    });
  }
  await writeAtomically(target, newcArchive(entries));
  return target;
}
