import type { BuildContext, DomainDraft, FilesystemMapper, MountSpec, MountType, XmlElement } from '@vsb/core';
import { passthroughMount } from './passthrough-mount';

/** Base of the LXC mappers: each claims one mount type on the lxc backend. */
abstract class LxcMapper<T extends MountSpec> implements FilesystemMapper {
  abstract readonly id: string;
  protected abstract readonly mountType: MountType;

  supports(mount: MountSpec, backendId: string): boolean {
    return backendId === 'lxc' && mount.type === this.mountType;
  }

  map(mount: MountSpec, ctx: BuildContext, draft: DomainDraft): void {
    draft.addDevice('filesystem', this.element(mount as T, ctx));
  }

  protected abstract element(mount: T, ctx: BuildContext): XmlElement;
}

/** `host-bind:DST=SRC`: `<filesystem type='mount'>`, read-write unless `,ro`. */
export class LxcHostBindMapper extends LxcMapper<Extract<MountSpec, { type: 'host-bind' }>> {
  readonly id = 'lxc-host-bind';
  protected readonly mountType = 'host-bind' as const;
  protected element(m: Extract<MountSpec, { type: 'host-bind' }>) {
    return passthroughMount(m.source, m.target, m.readonly);
  }
}

/** `host-image:DST=SRC`: `<filesystem type='file'>`, libvirt attaches raw images to a loop device and qcow2 to nbd. */
export class LxcHostImageMapper extends LxcMapper<Extract<MountSpec, { type: 'host-image' }>> {
  readonly id = 'lxc-host-image';
  protected readonly mountType = 'host-image' as const;
  protected element(m: Extract<MountSpec, { type: 'host-image' }>) {
    return {
      '@_type': 'file',
      '@_accessmode': 'passthrough',
      driver: { '@_type': m.format === 'raw' ? 'loop' : 'nbd', '@_format': m.format },
      source: { '@_file': m.source },
      target: { '@_dir': m.target },
    };
  }
}

/** `guest-bind:DST=SRC`: `<filesystem type='bind'>`, a directory of the container bound elsewhere in it. */
export class LxcGuestBindMapper extends LxcMapper<Extract<MountSpec, { type: 'guest-bind' }>> {
  readonly id = 'lxc-guest-bind';
  protected readonly mountType = 'guest-bind' as const;
  protected element(m: Extract<MountSpec, { type: 'guest-bind' }>) {
    return { '@_type': 'bind', '@_accessmode': 'passthrough', source: { '@_dir': m.source }, target: { '@_dir': m.target } };
  }
}

/** `ram:DST=SIZE`: `<filesystem type='ram'>`, a tmpfs limited to SIZE bytes. */
export class LxcRamMapper extends LxcMapper<Extract<MountSpec, { type: 'ram' }>> {
  readonly id = 'lxc-ram';
  protected readonly mountType = 'ram' as const;
  protected element(m: Extract<MountSpec, { type: 'ram' }>) {
    return { '@_type': 'ram', '@_accessmode': 'passthrough', source: { '@_usage': m.sizeBytes, '@_units': 'bytes' }, target: { '@_dir': m.target } };
  }
}
