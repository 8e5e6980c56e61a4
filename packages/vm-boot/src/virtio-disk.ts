import type { DomainDraft, XmlElement } from '@vsb/core';
import { withVirtioAddress } from './virtio-address';

/**
 * `<disk>`: an image file as the next virtio-blk disk (vda, vdb ... in the order they are added),
 * with `serial`, by which the guest init finds it (virtio-mmio probe order is not fixed).
 */
export function virtioDisk(draft: DomainDraft, source: string, format: string, serial: string): XmlElement {
  return withVirtioAddress(draft, {
    '@_type': 'file',
    '@_device': 'disk',
    driver: { '@_name': 'qemu', '@_type': format },
    source: { '@_file': source },
    target: { '@_dev': `vd${String.fromCharCode(97 + draft.devicesOf('disk').length)}`, '@_bus': 'virtio' },
    serial,
  });
}
