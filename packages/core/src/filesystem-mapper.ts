import type { BuildContext } from './build-context';
import type { DomainDraft } from './domain-draft';
import type { MountSpec } from './sandbox-config';

/** Turns one `--mount` into domain devices (or guest-side work) for the backends it supports. */
export interface FilesystemMapper {
  readonly id: string;
  supports(mount: MountSpec, backendId: string): boolean;
  map(mount: MountSpec, ctx: BuildContext, draft: DomainDraft): void;
}
/** Token of {@link FilesystemMapper} (multi-registered). */
export const FilesystemMapper = Symbol.for('vsb.FilesystemMapper');
