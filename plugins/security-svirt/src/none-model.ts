import type { BuildContext, DomainDraft, SecurityModel } from '@vsb/core';

/**
 * `--security none`: `<seclabel type='none'/>`, which tells libvirt to apply no label of any model,
 * instead of saying nothing (on a SELinux host libvirt would then pick a dynamic label itself).
 */
export class NoneModel implements SecurityModel {
  readonly id = 'none';

  apply(_ctx: BuildContext, draft: DomainDraft): void {
    draft.seclabels.push({ '@_type': 'none' });
  }
}
