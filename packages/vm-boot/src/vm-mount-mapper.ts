import type { BuildContext, DomainDraft, FilesystemMapper, MappedBackend, MountSpec } from '@vsb/core';
import { ninePShare } from './nine-p-share';
import { virtioDisk } from './virtio-disk';

/**
 * Every `--mount` of a VM sandbox. A VM cannot see host paths, so libvirt provides devices and the
 * guest init mounts them, in the order given: host-bind is a 9p share `sandbox:mountN`, host-image a
 * virtio disk found by its serial `vsb-diskN`; guest-bind and ram are the init's alone. It serves
 * every backend of kind `vm` (a third-party VM backend too), after its root and config shares.
 */
export class VmMountMapper implements FilesystemMapper {
  readonly id = 'vm-mounts';

  supports(_mount: MountSpec, backend: MappedBackend): boolean {
    return backend.kind === 'vm';
  }

  map(mount: MountSpec, _ctx: BuildContext, draft: DomainDraft): void {
    switch (mount.type) {
      case 'host-bind': {
        const tag = `sandbox:mount${draft.devicesOf('filesystem').length - 2}`;
        draft.addDevice('filesystem', ninePShare(draft, mount.source, tag, mount.readonly));
        draft.guestMounts.push({ kind: '9p', source: tag, target: mount.target, options: '' });
        if (mount.readonly) draft.guestMounts.push({ kind: 'ro', source: '', target: mount.target, options: '' });
        break;
      }
      case 'host-image': {
        const serial = `vsb-disk${draft.devicesOf('disk').length}`;
        draft.addDevice('disk', virtioDisk(draft, mount.source, mount.format, serial));
        draft.guestMounts.push({ kind: 'disk', source: serial, target: mount.target, options: '' });
        break;
      }
      case 'guest-bind':
        draft.guestMounts.push({ kind: 'bind', source: mount.source, target: mount.target, options: '' });
        break;
      case 'ram':
        draft.guestMounts.push({ kind: 'tmpfs', source: String(mount.sizeBytes), target: mount.target, options: '' });
        break;
    }
  }
}
