import { createToken } from './token';
import type { BuildContext } from './build-context';
import type { DomainDraft } from '../plan/domain-draft';

/**
 * One host security model (libvirt's `<secmodel>`: 'selinux', 'apparmor', 'dac', 'none') able to
 * write `<seclabel>` for a `--security` request.
 */
export interface SecurityModel {
  readonly id: string;
  apply(ctx: BuildContext, draft: DomainDraft): void;
}
/** Token of {@link SecurityModel} (multi-registered). */
export const SecurityModel = createToken<SecurityModel>('SecurityModel');

/** Decides the sandbox's security labels (single). The default adds nothing without `--security`. */
export interface SecurityLabeler {
  label(ctx: BuildContext, draft: DomainDraft): void;
}
/** Token of {@link SecurityLabeler}. */
export const SecurityLabeler = createToken<SecurityLabeler>('SecurityLabeler');
