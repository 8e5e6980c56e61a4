import type { DomainDraft, XmlElement } from '@vsb/core';
import { withVirtioAddress } from './virtio-address';

/** `<filesystem type='mount'>`: a 9p share; `multidevs='remap'` keeps inode numbers unique across the host's mounts. */
export function ninePShare(draft: DomainDraft, source: string, tag: string, readonly: boolean): XmlElement {
  const el: XmlElement = {
    '@_type': 'mount',
    '@_accessmode': 'passthrough',
    '@_multidevs': 'remap',
    source: { '@_dir': source },
    target: { '@_dir': tag },
  };
  if (readonly) el.readonly = '';
  return withVirtioAddress(draft, el);
}
