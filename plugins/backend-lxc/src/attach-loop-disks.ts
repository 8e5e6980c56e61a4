import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import type { AttachedDisks, SandboxConfig } from '@vsb/core';
import { SandboxError } from '@vsb/core';

const run = promisify(execFile);

/**
 * Attaches each `--disk` image to a free loop device (`losetup --find --show`) and at once asks
 * for its detach (`losetup -d`) while vsb holds the device open: the kernel then only marks it
 * autoclear, and frees it when its last opener closes it. That is vsb's handle at the end of the
 * run (`release`), or vsb's death, however it died, and the container's processes' end: no loop
 * device outlives a run, even after a SIGKILL, with nothing left to clean up.
 */
export async function attachLoopDisks(config: SandboxConfig): Promise<AttachedDisks> {
  const handles: fs.FileHandle[] = [];
  const devices: string[] = [];
  const release = async (): Promise<void> => {
    await Promise.all(handles.splice(0).map((h) => h.close().catch(() => undefined)));
  };
  try {
    for (const disk of config.disks) {
      const { stdout } = await run('losetup', ['--find', '--show', disk.source]).catch((err: Error) => {
        throw new SandboxError(
          'VSB_INTERNAL',
          `--disk file:${disk.tag}: cannot attach '${disk.source}' to a loop device: ${err.message.trim().split('\n').pop()}`,
        );
      });
      const device = stdout.trim();
      handles.push(await fs.open(device, 'r+'));
      devices.push(device);
      await run('losetup', ['-d', device]);
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { devices, release };
}
