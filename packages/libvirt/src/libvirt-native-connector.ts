import type { LibvirtConnection, LibvirtConnector } from '@vsb/core';
import { loadNativeBinding } from './native-binding';
import { NativeConnection } from './native-connection';

/**
 * The real {@link LibvirtConnector}: connects to libvirtd through vsb's own node-addon-api binding.
 * Constructing it is free; the addon (and libvirt's event thread) load on the first `open`.
 */
export class LibvirtNativeConnector implements LibvirtConnector {
  /** Opens any URI libvirt supports (`lxc:///`, `qemu:///system`, `qemu+ssh://...`). */
  open(uri: string): Promise<LibvirtConnection> {
    return NativeConnection.open(loadNativeBinding(), uri);
  }
}
