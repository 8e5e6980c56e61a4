import fs from 'node:fs';
import type { BuildContext, DomainDraft, SecurityModel } from '@vsb/core';
import { SandboxError } from '@vsb/core';
import { keepSourceLabels } from './keep-source-labels';

/** sVirt's base labels per domain type, as libvirt's own policy names them. */
const BASE_LABELS: Readonly<Record<string, string>> = {
  lxc: 'system_u:system_r:svirt_lxc_net_t:s0',
  qemu: 'system_u:system_r:svirt_tcg_t:s0',
  kvm: 'system_u:system_r:svirt_t:s0',
};

/** The caller's own SELinux context, for `--security inherit`. */
export function readProcessLabel(file = '/proc/self/attr/current'): string {
  try {
    return fs.readFileSync(file, 'utf8').replace(/[\0\n]+$/, '');
  } catch (err) {
    throw new SandboxError('VSB_NO_SECURITY_MODEL', `--security inherit: cannot read vsb's own SELinux label from ${file}: ${(err as Error).message}`);
  }
}

/**
 * sVirt with SELinux (`<seclabel model='selinux'>`): `dynamic` lets libvirt pick a unique MCS
 * category pair on the base label of the domain type (svirt_lxc_net_t, svirt_tcg_t, svirt_t), or on
 * `label=` when given; `static,label=L` is exactly L (`relabel=no` unless asked); `inherit` is vsb's
 * own context, never relabelling anything (the original documented it and never built it). The
 * caller's label comes from `currentLabel`, so the model itself stays data in, XML out.
 */
export class SelinuxModel implements SecurityModel {
  readonly id = 'selinux';

  constructor(private readonly currentLabel: () => string = readProcessLabel) {}

  apply(ctx: BuildContext, draft: DomainDraft): void {
    const spec = ctx.config.security;
    if (!spec || spec.mode === 'none') return;
    switch (spec.mode) {
      case 'dynamic': {
        const base = spec.label ?? BASE_LABELS[draft.type];
        draft.seclabels.push({ '@_type': 'dynamic', '@_model': 'selinux', '@_relabel': 'yes', ...(base && { baselabel: base }) });
        break;
      }
      case 'static':
        draft.seclabels.push({ '@_type': 'static', '@_model': 'selinux', '@_relabel': spec.relabel ? 'yes' : 'no', label: spec.label });
        break;
      case 'inherit':
        draft.seclabels.push({ '@_type': 'static', '@_model': 'selinux', '@_relabel': 'no', label: this.currentLabel() });
        break;
    }
    keepSourceLabels(ctx, draft, this.id);
  }
}
