import fs from 'node:fs/promises';
import path from 'node:path';
import type { StartedSandbox } from '@vsb/core';

/** Where libvirt's LXC driver keeps a container's controller pid (`libvirt_lxc`, on the host). */
export const LXC_RUN_DIR = '/run/libvirt/lxc';

/**
 * The host's side of a running container: finds its memory cgroup (libvirt's, holding the
 * controller `libvirt_lxc` too), whose OOM-kill count tells afterwards whether the app's SIGKILL
 * came from its memory limit. That the OOM killer takes the app and not the controller is the
 * guest init's doing: the app's processes start with `oom_score_adj` 1000, which needs no
 * privilege (lowering the controller's would need CAP_SYS_RESOURCE, which root may lack).
 */
export async function containerHostSide(name: string, runDir = LXC_RUN_DIR): Promise<StartedSandbox> {
  const controller = Number((await fs.readFile(path.join(runDir, `${name}.pid`), 'utf8')).trim());
  const counter = await oomCounter(controller);
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

/** The memory cgroup's file counting OOM kills: cgroup v1 `memory.oom_control`, or v2 `memory.events`. */
async function oomCounter(pid: number): Promise<string> {
  const lines = (await fs.readFile(`/proc/${pid}/cgroup`, 'utf8')).split('\n');
  const v1 = lines.find((l) => l.split(':')[1]?.split(',').includes('memory'));
  if (v1) return path.join('/sys/fs/cgroup/memory', v1.split(':').slice(2).join(':'), 'memory.oom_control');
  const v2 = lines.find((l) => l.startsWith('0::'));
  return path.join('/sys/fs/cgroup', v2?.slice(3) ?? '/', 'memory.events');
}

async function readOomKills(file: string): Promise<number> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0);
}
