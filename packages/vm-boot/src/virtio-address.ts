import type { DomainDraft, XmlElement } from '@vsb/core';

/** The machine type the backend chose (QEMU: microvm or q35), from the draft's `<os><type machine>`. */
function machineOf(draft: DomainDraft): string {
  return String((draft.os.type as XmlElement | undefined)?.['@_machine'] ?? '');
}

/**
 * Adds `<address type='virtio-mmio'/>` on microvm, which has no PCI bus (libvirt would otherwise
 * give the device a PCI address and fail); q35 keeps libvirt's automatic PCI addresses.
 */
export function withVirtioAddress(draft: DomainDraft, element: XmlElement): XmlElement {
  return machineOf(draft) === 'microvm' ? { ...element, address: { '@_type': 'virtio-mmio' } } : element;
}
