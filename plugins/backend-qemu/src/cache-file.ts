import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Where a VM's boot files are cached: `/var/cache/vsb` for root, `$XDG_CACHE_HOME/vsb` (or
 * `~/.cache/vsb`) for others, whose QEMU (qemu:///session) runs as themselves and must read them.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  if (env.VSB_CACHE_DIR) return env.VSB_CACHE_DIR;
  if (uid === 0) return '/var/cache/vsb';
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'vsb');
}

/**
 * The cache path of a file made from `inputs` (paths, sizes, mtimes, contents ...) by the code in
 * `producers` (the modules that make it, whose source is hashed too): a new kernel or init gets a
 * new name, so a stale file is never used and nothing has to be invalidated, and checkouts of vsb
 * that build it differently, sharing one cache dir, never write different files under one name.
 */
export async function cacheFile(dir: string, prefix: string, inputs: ReadonlyArray<string | number | Buffer>, producers: readonly string[]): Promise<string> {
  const hash = crypto.createHash('sha256');
  const code = await Promise.all(producers.map((file) => fs.readFile(file)));
  for (const input of [...code, ...inputs]) hash.update(typeof input === 'number' ? String(input) : input).update('\0');
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  return path.join(dir, `${prefix}-${hash.digest('hex').slice(0, 16)}`);
}

/** True when `file` exists (a cache hit, a kernel found). */
export function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

/** Writes a cache file so that concurrent runs only ever see a complete one (write, then rename). */
export async function writeAtomically(target: string, data: Buffer): Promise<void> {
  const temp = `${target}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    await fs.writeFile(temp, data, { mode: 0o644 });
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}
