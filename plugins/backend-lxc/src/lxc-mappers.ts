import type { BuildContext, DomainDraft, FilesystemMapper, MappedBackend, MountSpec, MountType, XmlElement } from '@vsb/core';
import { stagePath } from '@vsb/core';
import { passthroughMount } from './passthrough-mount';

/** Base of the LXC mappers: each claims one mount type on any container backend. */
abstract class LxcMapper implements FilesystemMapper {
  abstract readonly id: string;
  protected abstract readonly mountType: MountType;

  supports(mount: MountSpec, backend: MappedBackend): boolean {
    return backend.kind === 'container' && mount.type === this.mountType;
  }

  abstract map(mount: MountSpec, ctx: BuildContext, draft: DomainDraft): void;
}

/**
 * Base of the mappers whose source libvirt mounts from the host's side: the device's target is a
 * staging dir that already exists (libvirt cannot create one in the read-only root), and the guest
 * init moves the mount from there onto its real target, creating that where it is missing.
 */
abstract class LxcStagedMapper<T extends MountSpec> extends LxcMapper {
  map(mount: MountSpec, ctx: BuildContext, draft: DomainDraft): void {
    const stage = stagePath(ctx, mount);
    draft.addDevice('filesystem', this.element(mount as T, stage.guest));
    draft.guestMounts.push({ kind: 'move', source: stage.guest, target: mount.target, options: '' });
  }

  protected abstract element(mount: T, stageDir: string): XmlElement;
}

/** `host-bind:DST=SRC`: `<filesystem type='mount'>`, read-write unless `,ro`; an empty SRC is already resolved to a temp dir. */
export class LxcHostBindMapper extends LxcStagedMapper<Extract<MountSpec, { type: 'host-bind' }>> {
  readonly id = 'lxc-host-bind';
  protected readonly mountType = 'host-bind' as const;
  protected element(m: Extract<MountSpec, { type: 'host-bind' }>, stageDir: string) {
    return passthroughMount(m.source, stageDir, m.readonly);
  }
}

/**
 * `host-image:DST=SRC`: `<filesystem type='file'>`; libvirt attaches raw images to a loop device
 * and qcow2 ones to an nbd device (qemu-nbd), both with autoclear, so they are released when the
 * container's mount goes away, however the run ends.
 */
export class LxcHostImageMapper extends LxcStagedMapper<Extract<MountSpec, { type: 'host-image' }>> {
  readonly id = 'lxc-host-image';
  protected readonly mountType = 'host-image' as const;
  protected element(m: Extract<MountSpec, { type: 'host-image' }>, stageDir: string) {
    return {
      '@_type': 'file',
      '@_accessmode': 'passthrough',
      driver: { '@_type': m.format === 'raw' ? 'loop' : 'nbd', '@_format': m.format },
      source: { '@_file': m.source },
      target: { '@_dir': stageDir },
    };
  }
}

/** `guest-bind:DST=SRC`: a directory of the container bound elsewhere in it, by the guest init (in mount order). */
export class LxcGuestBindMapper extends LxcMapper {
  readonly id = 'lxc-guest-bind';
  protected readonly mountType = 'guest-bind' as const;
  map(mount: MountSpec, _ctx: BuildContext, draft: DomainDraft): void {
    const m = mount as Extract<MountSpec, { type: 'guest-bind' }>;
    draft.guestMounts.push({ kind: 'bind', source: m.source, target: m.target, options: '' });
  }
}

/**
 * `ram:DST=SIZE`: a tmpfs limited to SIZE bytes (writing more fails with ENOSPC), mounted by the
 * guest init rather than libvirt's `<filesystem type='ram'>`, so DST may be missing from the root.
 */
export class LxcRamMapper extends LxcMapper {
  readonly id = 'lxc-ram';
  protected readonly mountType = 'ram' as const;
  map(mount: MountSpec, _ctx: BuildContext, draft: DomainDraft): void {
    const m = mount as Extract<MountSpec, { type: 'ram' }>;
    draft.guestMounts.push({ kind: 'tmpfs', source: String(m.sizeBytes), target: m.target, options: 'mode=1777' });
  }
}
