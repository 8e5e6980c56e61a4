import type { BuildContext, DomainDraft, XmlElement } from '@vsb/core';

/**
 * Per-mount `relabel=no`, mapped to what libvirt's schema allows: a disk's `<source>` takes a
 * `<seclabel model=M relabel='no'/>` (a host-image on QEMU becomes a disk), so libvirt leaves that
 * image's label alone. `<filesystem>` has no per-device seclabel in the schema, and libvirt never
 * relabels a passthrough filesystem's source (LXC mounts, 9p shares): there `relabel=no` is already
 * what happens and nothing is written.
 */
export function keepSourceLabels(ctx: BuildContext, draft: DomainDraft, model: string): void {
  const keep = new Set(ctx.config.mounts.flatMap((m) => ((m.type === 'host-bind' || m.type === 'host-image') && m.relabel === false ? [m.source] : [])));
  for (const disk of draft.devicesOf('disk')) {
    const source = disk.source as XmlElement | undefined;
    if (typeof source !== 'object') continue;
    if (keep.has(String(source['@_file'] ?? source['@_dev']))) {
      source.seclabel = { '@_model': model, '@_relabel': 'no' };
    }
  }
}
