import fs from 'node:fs/promises';
import path from 'node:path';
import type { StartedSandbox } from '@vsb/core';
import { domainMemoryCgroups, SandboxError } from '@vsb/core';

/**
 * The host's side of a running container: its memory cgroup (libvirt's, holding the controller
 * `libvirt_lxc` too), whose OOM-kill count tells afterwards whether the app's SIGKILL came from
 * its memory limit. That the OOM killer takes the app and not the controller is the guest init's
 * doing: the app's processes start with `oom_score_adj` 1000, which needs no privilege (lowering
 * the controller's would need CAP_SYS_RESOURCE, which root may lack).
 */
export async function containerHostSide(name: string): Promise<StartedSandbox> {
  const cgroup = domainMemoryCgroups(name)[0];
  if (!cgroup) throw new SandboxError('VSB_LIBVIRT', `no memory cgroup found for the container '${name}'`);
  // cgroup v1 counts OOM kills in memory.oom_control, cgroup2 in memory.events.
  const counter = path.join(cgroup.dir, cgroup.version === 1 ? 'memory.oom_control' : 'memory.events');
  const before = await readOomKills(counter);
  return {
    // Asked only after a SIGKILL: the kernel counts the kill right after sending it, so a few reads
    // cover a busy host where the app's death reached us first.
    outOfMemory: async () => {
      for (let i = 0; i < 5; i++) {
        if ((await readOomKills(counter)) > before) return true;
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    },
  };
}

async function readOomKills(file: string): Promise<number> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
}
