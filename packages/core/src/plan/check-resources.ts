import os from 'node:os';
import type { SandboxBackend } from '../extension-points/sandbox-backend';
import type { SandboxConfig } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';

/**
 * Usage checks of the resource flags against this host, before any domain exists: a sandbox may
 * not be given more memory than the host has (libvirt accepts it on LXC and QEMU fails late), and
 * `--pids` needs a backend whose sandboxes are bounded by the host kernel's process count.
 */
export function checkResources(config: SandboxConfig, backend: SandboxBackend, totalMemory = os.totalmem()): void {
  if (config.memoryBytes > totalMemory) {
    throw new SandboxError('VSB_USAGE', `--memory: ${mib(config.memoryBytes)} MiB is more than this host has (${mib(totalMemory)} MiB)`);
  }
  if (config.pids !== undefined && !backend.userNamespace) {
    throw new SandboxError('VSB_USAGE', `--pids: the ${backend.id} backend does not bound processes (a VM is bounded by its --memory)`);
  }
}

function mib(bytes: number): number {
  return Math.floor(bytes / (1024 * 1024));
}
