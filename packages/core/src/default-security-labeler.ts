import type { BuildContext } from './build-context';
import type { DomainDraft } from './domain-draft';
import type { SecurityLabeler } from './security-labeler';
import type { SecurityModelRegistry } from './registries';
import { SandboxError } from './sandbox-error';

const MODEL_NAMES: Record<string, string> = { selinux: 'SELinux', apparmor: 'AppArmor', dac: 'DAC' };

/**
 * Picks the security model for `--security`: the one named by `model=`, else the first model the
 * host's libvirt offers that a plugin implements. Without `--security` and on hosts whose libvirt
 * offers no model it adds nothing, so sandboxes run on hosts without SELinux.
 */
export class DefaultSecurityLabeler implements SecurityLabeler {
  constructor(private readonly models: SecurityModelRegistry) {}

  label(ctx: BuildContext, draft: DomainDraft): void {
    const spec = ctx.config.security;
    if (!spec || spec.mode === 'none') return;
    const installed = this.models.all();
    const offered = ctx.hostSecurityModels.filter((m) => m !== 'none');
    const wanted = spec.model ?? offered.find((m) => installed.some((i) => i.id === m)) ?? 'selinux';
    const model = installed.find((m) => m.id === wanted);
    if (!offered.includes(wanted)) {
      const name = MODEL_NAMES[wanted] ?? wanted;
      const offers = offered.length ? offered.join(', ') : 'none';
      throw new SandboxError('VSB_NO_SECURITY_MODEL',
        `--security ${spec.mode} needs ${name}, which is not enabled on this host (libvirt offers: ${offers})`);
    }
    if (!model) {
      throw new SandboxError('VSB_NO_SECURITY_MODEL', `--security: no plugin implements the '${wanted}' security model (installed: ${installed.map((m) => m.id).join(', ') || 'none'})`);
    }
    model.apply(ctx, draft);
  }
}
