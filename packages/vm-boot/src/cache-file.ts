import crypto from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isAlive } from '@vsb/core';

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

/**
 * A `notify` that tells each distinct note once on this host (a stamp per note in `dir`): that the
 * running kernel cannot be booted and another is, printed on every VM run, was noise after the
 * first; `always` (`--verbose`) shows it every time, still recording it as told.
 */
export function onceIn(dir: string, notify: (line: string) => void, always = false): (line: string) => void {
  return (line) => {
    const stamp = path.join(dir, `note-${crypto.createHash('sha256').update(line).digest('hex').slice(0, 16)}`);
    try {
      fsSync.mkdirSync(dir, { recursive: true, mode: 0o755 });
      fsSync.writeFileSync(stamp, `${line}\n`, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && !always) return;
    }
    notify(line);
  };
}

/** True when `file` exists (a cache hit, a kernel found). */
export function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** Name of a temporary file of {@link writeAtomically}: `TARGET.tmp-PID-RANDOM`. */
const TEMP_NAME = /\.tmp-(\d+)-[0-9a-f]{8}$/;

/**
 * Removes the temporary files of writers that died before their rename (a SIGKILL while the VM
 * cache is written left `vmlinux-*.tmp-PID-*` that no later run removed); a live writer's stay.
 */
export async function removeStaleTemps(dir: string): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      const pid = Number(TEMP_NAME.exec(name)?.[1] ?? 0);
      if (pid > 0 && !isAlive(pid)) await fs.rm(path.join(dir, name), { force: true });
    }),
  );
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
