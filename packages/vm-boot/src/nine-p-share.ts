import type { DomainDraft, XmlElement } from '@vsb/core';
import { withVirtioAddress } from './virtio-address';

/**
 * `<filesystem type='mount'>`: a 9p share; `multidevs='remap'` keeps inode numbers unique across the
 * host's mounts. `accessmode='squash'` is passthrough that does not fail when QEMU cannot give a new
 * file the guest's owner: a root caller's QEMU runs as a per-sandbox uid, and its files are that uid's.
 */
export function ninePShare(draft: DomainDraft, source: string, tag: string, readonly: boolean): XmlElement {
  const el: XmlElement = {
    '@_type': 'mount',
    '@_accessmode': 'squash',
    '@_multidevs': 'remap',
    source: { '@_dir': source },
    target: { '@_dir': tag },
  };
  if (readonly) el.readonly = '';
  return withVirtioAddress(draft, el);
}
