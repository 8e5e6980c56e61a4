import fs from 'node:fs/promises';
import path from 'node:path';
import { toXml } from '../plan/domain-xml';
import { xml } from '../plan/xml-element';
import type { LibvirtStorage } from '../extension-points/libvirt-connector';
import { isLocalUri } from '../extension-points/registries';
import { SandboxError } from '../sandbox-error';
import type { HostLeftovers } from '../host/host-leftovers';
import { removeRemoteLeftovers } from './remote-leftovers';
import { CLEAN_PREFIX, deadOwnerPid, ownerPoolPrefix, STAGE_PREFIX } from './stage-owner';

/**
 * Where a run on a remote libvirt host puts the files its domain references (the init, the guest
 * config, the network files, the mount staging dirs, a VM's kernel and initrd): a dir pool of the
 * run's own whose directory stands in for the config dir. Under `/run/libvirt`, which exists on
 * every libvirt host, only root writes, and every sandbox hides behind its private `/run`.
 */
export interface RemoteStage {
  /** The storage pool's name: `vsb-stage-OWNER-PID-NAME`. */
  readonly pool: string;
  /** Its directory on the libvirt host. */
  readonly dir: string;
}

const STAGE_ROOT = '/run/libvirt';

/** The stage of a run of sandbox `name` on `uri`; undefined when libvirt runs on this host and reads its paths. */
export function remoteStageFor(uri: string, name: string, pid = process.pid): RemoteStage | undefined {
  if (isLocalUri(uri)) return undefined;
  // A session daemon runs as its user, who cannot write /run/libvirt; where its own runtime dir
  // lies on that host, the URI does not say.
  if (/^[^:]+:\/\/[^/]*\/session(\?|$)/.test(uri)) {
    throw new SandboxError(
      'VSB_USAGE',
      `--connect: a remote session URI ('${uri}') is not supported: vsb stages a remote sandbox's files in a storage pool under ${STAGE_ROOT}, which only the system daemon writes`,
      ['use the remote system daemon: -c qemu+ssh://root@HOST/system'],
    );
  }
  const pool = `${ownerPoolPrefix(STAGE_PREFIX, pid)}${name}`;
  return { pool, dir: path.posix.join(STAGE_ROOT, pool) };
}

/** The sandbox name in a stage pool's name (`vsb-stage-OWNER-PID-NAME`). */
export function stagedSandboxName(pool: string): string {
  return pool.replace(/^(?:[^-]+-){4}/, '');
}

/** The pool's XML: a dir pool at the stage's directory, readable by the sandbox's processes. */
export function stagePoolXml(stage: RemoteStage): string {
  return toXml(
    'pool',
    xml(
      { type: 'dir' },
      {
        name: stage.pool,
        target: xml({}, { path: stage.dir, permissions: xml({}, { mode: '0755' }) }),
      },
    ),
  );
}

/** A volume's XML: a file (`size` bytes, the local file's mode) or, for a staging dir, a directory. */
function volumeXml(name: string, mode: number, size: number | undefined): string {
  return toXml(
    'volume',
    xml(
      { type: size === undefined ? 'dir' : 'file' },
      {
        name,
        capacity: xml({ unit: 'bytes' }, size ?? 0),
        target: xml({}, { format: xml({ type: size === undefined ? 'dir' : 'raw' }), permissions: xml({}, { mode: `0${(mode & 0o777).toString(8)}` }) }),
      },
    ),
  );
}

/**
 * Creates the stage's pool and uploads into it every entry of the local config dir (files, and
 * the empty mount staging dirs as dir volumes) and the `files` the backend referenced by their
 * base name (ctx.hostFile). The uploads go in parallel: libvirt multiplexes one connection.
 */
export async function uploadStage(storage: LibvirtStorage, stage: RemoteStage, localConfigDir: string, files: readonly string[]): Promise<void> {
  await storage.definePool(stagePoolXml(stage));
  const entries = await fs.readdir(localConfigDir);
  const sources = [...entries.map((name) => path.join(localConfigDir, name)), ...files];
  await Promise.all(
    sources.map(async (file) => {
      const st = await fs.stat(file);
      const name = path.basename(file);
      if (st.isDirectory()) return storage.createVolume(stage.pool, volumeXml(name, st.mode, undefined));
      return storage.createVolume(stage.pool, volumeXml(name, st.mode, st.size), file);
    }),
  );
}

/** Removes the stage's pool, volumes and directory. */
export async function removeStage(storage: LibvirtStorage, stage: RemoteStage): Promise<void> {
  await storage.removePool(stage.pool);
}

/**
 * Removes the stages this owner left on that host whose process is gone (a run killed with
 * SIGKILL) and what libvirt left of their domains (`leftoversOf` the sandbox name), and stops the
 * cleaning pools such a run left (remote-leftovers); a living process's pools are its own,
 * even mid-upload. Resolves the stage pools it removed.
 */
export async function removeStaleStages(storage: LibvirtStorage, leftoversOf: (name: string) => HostLeftovers | undefined): Promise<string[]> {
  const pools = await storage.listPools();
  const stale = pools.filter((pool) => deadOwnerPid(pool, STAGE_PREFIX) !== undefined);
  for (const pool of pools.filter((p) => deadOwnerPid(p, CLEAN_PREFIX) !== undefined)) await storage.destroyPool(pool);
  for (const pool of stale) {
    const leftovers = leftoversOf(stagedSandboxName(pool));
    if (leftovers) await removeRemoteLeftovers(storage, leftovers, false);
    await storage.removePool(pool);
  }
  return stale;
}
