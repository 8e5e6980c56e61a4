import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { isLocalUri } from '../extension-points/registries';

/**
 * What libvirt's driver leaves on this host for every domain, even after a clean end: with random
 * names a file per run forever (2,900 entries in /run/libvirt/lxc and 870 logs after a day of
 * tests). vsb removes those of its own runs once libvirt is done with them (run/state-dir-watchdog).
 */
export interface HostLeftovers {
  /** libvirt is still tearing the domain down while any of these exists (its status XML, pid file). */
  readonly whileRunning: readonly string[];
  /** Directories libvirt leaves empty on the host's side; removed only when empty (never recursively). */
  readonly dirs: readonly string[];
  /** Files (sockets) libvirt leaves. */
  readonly files: readonly string[];
  /** libvirt's log of the domain: kept, and its path shown, with `--debug` or when the run failed. */
  readonly log: string;
}

/**
 * The per-domain files of libvirt's system daemon for DRIVER (`lxc`, `qemu`), when the URI is that
 * daemon (`/system` or `lxc:///`): on this host when vsb runs as root (the one who may remove
 * them), or on a remote host (removed through its storage API: core/run/remote-leftovers); undefined
 * for a session daemon, whose files are not these.
 */
export function systemDriverLeftovers(uri: string, driver: 'lxc' | 'qemu', name: string, uid = process.getuid?.() ?? 0): HostLeftovers | undefined {
  if (!/^[a-z+]+:\/\/[^/?]*(\/system|\/)?(\?.*)?$/.test(uri)) return undefined;
  if (isLocalUri(uri) && uid !== 0) return undefined;
  const run = (suffix: string) => path.join('/run/libvirt', driver, `${name}${suffix}`);
  return {
    whileRunning: [run('.xml'), run('.pid')],
    dirs: driver === 'lxc' ? [run('.dev'), run('.devpts'), run('.fuse')] : [],
    files: driver === 'lxc' ? [run('.sock')] : [],
    log: path.join('/var/log/libvirt', driver, `${name}.log`),
  };
}

/**
 * Removes libvirt's per-domain files of `names` on this host's LXC and QEMU system drivers, once
 * libvirt is done with each domain (its status XML and pid file gone; at most ~10 s): for domains
 * made through libvirt without vsb (the bench's floors, the binding's tests), which no vsb
 * watchdog cleans. Directories only when empty, as the watchdog does.
 */
export async function removeLibvirtLeftovers(names: Iterable<string>): Promise<void> {
  for (const name of names) {
    for (const [uri, driver] of [
      ['lxc:///', 'lxc'],
      ['qemu:///system', 'qemu'],
    ] as const) {
      const left = systemDriverLeftovers(uri, driver, name);
      if (!left) continue;
      for (let i = 0; i < 100 && left.whileRunning.some((p) => fs.existsSync(p)); i++) await new Promise((r) => setTimeout(r, 100));
      for (const dir of left.dirs) await fsp.rmdir(dir).catch(() => undefined);
      await Promise.all([...left.files, left.log].map((file) => fsp.rm(file, { force: true })));
    }
  }
}
