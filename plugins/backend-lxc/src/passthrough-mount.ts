import type { XmlElement } from '@vsb/core';

/** `<filesystem type='mount' accessmode='passthrough'>`: a host directory bound into the container. */
export function passthroughMount(source: string, target: string, readonly: boolean): XmlElement {
  const el: XmlElement = {
    '@_type': 'mount',
    '@_accessmode': 'passthrough',
    source: { '@_dir': source },
    target: { '@_dir': target },
  };
  if (readonly) el.readonly = '';
  return el;
}
