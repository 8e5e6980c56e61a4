import type { SandboxBackend } from '../extension-points/sandbox-backend';
import type { SandboxConfig } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { includeOrigin } from '../options/check-includes';
import { mountOrigin } from '../host/check-host-sources';

/**
 * What a sandbox on a remote libvirt host cannot have, refused before anything is made: its mount
 * sources and images are paths on that host, so nothing that lives on this one can reach it
 * (an include copied from here, a temporary dir made here, an image attached to a loop device here).
 */
export function checkRemoteConfig(config: SandboxConfig, backend: SandboxBackend): void {
  const where = `a sandbox on a remote libvirt host ('${config.uri}')`;
  const include = config.includes[0];
  if (include) {
    throw new SandboxError('VSB_BAD_INCLUDE', `${includeOrigin(include)}: ${where} cannot copy files from this host`, [
      'bind a directory of the remote host instead: --mount host-bind:/DST=/REMOTE/DIR',
    ]);
  }
  for (const mount of config.mounts) {
    if (mount.type === 'host-bind' && mount.source === '') {
      throw new SandboxError('VSB_BAD_MOUNT', `${mountOrigin(mount)}: ${where} cannot have a temporary dir of this host`, [
        'give a directory of the remote host: --mount host-bind:/DST=/REMOTE/DIR, or a ram mount: --mount ram:/DST=64M',
      ]);
    }
  }
  if (config.disks.length > 0 && backend.attachDisks) {
    throw new SandboxError('VSB_BAD_DISK', `--disk: ${where} on the ${backend.id} backend cannot use disks: they are attached to loop devices of this host`);
  }
}
