import fs from 'node:fs/promises';
import path from 'node:path';
import { writeNetworkFiles, type NetworkFacts } from '../host/check-networks';
import { copyIncludes } from '../host/copy-includes';
import { stagePath } from '../plan/mount-paths';
import type { SandboxConfig } from '../sandbox-config';
import { GUEST_CONFIG_FILE, GUEST_INIT_FILE, type SandboxPlan } from '../plan/sandbox-plan';

/**
 * Writes the config dir the guest sees (`STATEDIR/config`): the init, the guest config, the
 * network files, the mounts' dirs and the `--include` copies. The state dir above it becomes
 * readable by all, for the guest's users.
 */
export async function writeConfigDir(plan: SandboxPlan, given: SandboxConfig, initPath: string, networks: NetworkFacts): Promise<void> {
  const configDir = plan.localConfigDir;
  await fs.mkdir(configDir, { mode: 0o755 });
  await fs.chmod(path.dirname(configDir), 0o755);
  await fs.copyFile(initPath, path.join(configDir, GUEST_INIT_FILE));
  await fs.chmod(path.join(configDir, GUEST_INIT_FILE), 0o755);
  await fs.writeFile(path.join(configDir, GUEST_CONFIG_FILE), plan.guestConfig, { mode: 0o644 });
  await writeNetworkFiles(configDir, given, networks);
  await prepareMountDirs(plan, given);
  await copyIncludes(plan.config, configDir);
}

/**
 * Creates the host dirs the plan's mounts need, all inside the state dir so they go with it: a
 * staging dir for each mount libvirt makes on the host's side, and a fresh dir, owned by the app's
 * user, for each temporary host-bind (`host-bind:DST=`).
 */
async function prepareMountDirs(plan: SandboxPlan, given: SandboxConfig): Promise<void> {
  const { uid, gid } = plan.config.identity;
  for (const [index, mount] of plan.config.mounts.entries()) {
    if (mount.type !== 'host-bind' && mount.type !== 'host-image') continue;
    await fs.mkdir(path.join(plan.localConfigDir, path.basename(stagePath(plan.ctx, mount).host)), { recursive: true, mode: 0o755 });
    const original = given.mounts[index];
    // A temporary host-bind: planning already gave it its dir under the state dir.
    if (original?.type === 'host-bind' && original.source === '') {
      await fs.mkdir(mount.source, { recursive: true, mode: 0o700 });
      await fs.chown(mount.source, uid, gid);
    }
  }
}
