import path from 'node:path';
import { toXml } from '../plan/domain-xml';
import type { HostLeftovers } from '../host/host-leftovers';
import type { LibvirtStorage } from '../extension-points/libvirt-connector';
import { CLEAN_PREFIX, ownerPoolPrefix } from './stage-owner';
import { xml } from '../plan/xml-element';

/** How long libvirt may take to finish tearing a domain down once it stopped (a VM: ~2 s here). */
const TEARDOWN_MS = 10_000;
/** Attempts at a directory another client is cleaning at the same moment (libvirt allows one pool per directory). */
const ATTEMPTS = 20;

let cleanings = 0;

/** A transient dir pool at `dir` with a name of this process's own: `vsb-clean-OWNER-PID-N`. */
function cleanPoolXml(dir: string): string {
  const name = `${ownerPoolPrefix(CLEAN_PREFIX)}${++cleanings}`;
  return toXml('pool', xml({ type: 'dir' }, { name, target: xml({}, { path: dir }) }));
}

/** storage.cleanDir, again while another client holds a pool at the same directory. */
async function cleanDir(storage: LibvirtStorage, dir: string, names: readonly string[]): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await storage.cleanDir(cleanPoolXml(dir), names);
    } catch (err) {
      if (attempt >= ATTEMPTS || !/conflict|already/i.test(String((err as Error).message))) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

/**
 * Removes what libvirt's driver left on a remote host for this run (`leftovers`, as locally: the
 * LXC driver's empty `NAME.dev`/`.devpts`/`.fuse` dirs, the domain's log unless `keepLog`), once
 * libvirt is done with the domain (its status files gone), through transient pools at libvirt's
 * own directories: the storage API is what a client can do to files there. A socket left there
 * (`NAME.sock`, which libvirt usually removes) is no volume and stays.
 */
export async function removeRemoteLeftovers(storage: LibvirtStorage, leftovers: HostLeftovers, keepLog: boolean): Promise<void> {
  const byDir = new Map<string, string[]>();
  for (const file of [...leftovers.dirs, ...leftovers.files, ...(keepLog ? [] : [leftovers.log])]) {
    byDir.set(path.dirname(file), [...(byDir.get(path.dirname(file)) ?? []), path.basename(file)]);
  }
  const end = Date.now() + TEARDOWN_MS;
  for (const dir of new Set(leftovers.whileRunning.map((f) => path.dirname(f)))) {
    const running = leftovers.whileRunning.filter((f) => path.dirname(f) === dir).map((f) => path.basename(f));
    while ((await cleanDir(storage, dir, [])).some((name) => running.includes(name)) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  for (const [dir, names] of byDir) await cleanDir(storage, dir, names);
}
