import type { BuildContext } from './build-context';
import type { DomainDraft } from '../plan/domain-draft';
import type { SecurityLabeler } from './security-labeler';
import type { SecurityModelRegistry } from './registries';
import { SandboxError } from '../sandbox-error';

const MODEL_NAMES: Record<string, string> = { selinux: 'SELinux', apparmor: 'AppArmor', dac: 'DAC' };
/**
 * Models `--security dynamic|static|inherit` may mean without `model=`: the mandatory access control
 * ones sVirt is about. DAC only confines through a uid, so it is never chosen behind the user's back.
 */
const MAC_MODELS = ['selinux', 'apparmor'];

/**
 * Picks the security model for `--security` from what the host's libvirt offers (its capabilities'
 * `<secmodel>`s): the one named by `model=`, else the first MAC model offered that a plugin
 * implements; `none` goes to the `none` model. Without `--security` it adds nothing (libvirt's own
 * default applies), so sandboxes run on hosts without SELinux. Asking for a model the host lacks is a
 * usage error naming what the host has, raised while planning, before any domain exists.
 */
export class DefaultSecurityLabeler implements SecurityLabeler {
  constructor(private readonly models: SecurityModelRegistry) {}

  label(ctx: BuildContext, draft: DomainDraft): void {
    const spec = ctx.config.security;
    if (!spec) return;
    const installed = this.models.all();
    const offered = ctx.hostSecurityModels.filter((m) => m !== 'none');
    const asked = spec.mode === 'none' ? undefined : spec.model;
    const wanted = spec.mode === 'none' ? 'none' : (asked ?? MAC_MODELS.find((m) => offered.includes(m) && installed.some((i) => i.id === m)) ?? 'selinux');
    if (wanted !== 'none' && !offered.includes(wanted)) {
      const flag = asked ?? spec.mode;
      const hint = !asked && offered.includes('dac') ? ['for a per-sandbox uid instead, use --security dac'] : [];
      throw new SandboxError(
        'VSB_NO_SECURITY_MODEL',
        `--security ${flag} needs ${MODEL_NAMES[wanted] ?? wanted}, which is not enabled on this host (libvirt offers: ${offered.join(', ') || 'none'})`,
        hint,
      );
    }
    const model = installed.find((m) => m.id === wanted);
    if (!model) {
      throw new SandboxError(
        'VSB_NO_SECURITY_MODEL',
        `--security: no plugin implements the '${wanted}' security model (installed: ${installed.map((m) => m.id).join(', ') || 'none'})`,
      );
    }
    model.apply(ctx, draft);
  }
}
