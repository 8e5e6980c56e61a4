import type { LibvirtConnection, LibvirtStorage } from '../extension-points/libvirt-connector';
import type { LibvirtLog } from './libvirt-log';
import { messageOf } from '../message-of';
import { removeRemoteLeftovers } from './remote-leftovers';
import { removeStage, uploadStage, type RemoteStage } from './remote-stage';
import type { SandboxPlan } from '../plan/sandbox-plan';
import { SandboxError } from '../sandbox-error';
import { stopGrace } from './stop-events';
import type { Teardown } from './teardown';

/** What {@link stageRemotely} needs of the run besides its plan. */
export interface RemoteRun {
  readonly connection: LibvirtConnection;
  readonly teardown: Teardown;
  readonly log: LibvirtLog;
  /** The domain's end, once it exists: the run's files there go after it. */
  readonly ended: () => Promise<void> | undefined;
  /** Removal of the stages of this owner's killed runs, which may use the same names. */
  readonly staleStages?: Promise<unknown>;
  readonly notify: (line: string) => void;
}

/**
 * A remote run's files there: uploads them into its `stage` (the config dir's files, a VM's kernel
 * and initrd) and pushes its removal, which waits for the domain's end and removes what libvirt
 * left of it there first. A broken connection removes neither: the next run of this owner removes the
 * stage (removeStaleStages); libvirt's leftovers of that run then stay, which vsb says.
 */
export async function stageRemotely(plan: SandboxPlan, stage: RemoteStage, run: RemoteRun): Promise<void> {
  const storage = stagingStorage(run.connection);
  run.teardown.push("remove the run's files on the remote host", async () => {
    const ended = run.ended();
    if (ended) await Promise.race([ended, stopGrace()]);
    const leftovers = run.log.remote;
    await Promise.all([
      leftovers &&
        removeRemoteLeftovers(storage, leftovers, run.log.isKept).catch((err: unknown) =>
          run.notify(`libvirt's files of this run on the remote host could not be removed: ${messageOf(err)}`),
        ),
      removeStage(storage, stage).catch((err: unknown) =>
        run.notify(`this run's files on the remote host (storage pool ${stage.pool}) could not be removed: ${messageOf(err)}`),
      ),
    ]);
  });
  await run.staleStages;
  await uploadStage(storage, stage, plan.localConfigDir, plan.uploads);
}

/** The connection's storage, which a remote run stages its files with. */
function stagingStorage(connection: LibvirtConnection): LibvirtStorage {
  if (connection.storage) return connection.storage;
  throw new SandboxError(
    'VSB_LIBVIRT',
    `the connection to '${connection.uri}' has no storage API, which a sandbox on a remote libvirt host needs for its files`,
  );
}
