import { createToken } from './token';
import type { BuildContext } from './build-context';
import type { DomainDraft } from '../plan/domain-draft';
import type { SandboxBackend } from './sandbox-backend';
import type { MountSpec } from '../sandbox-config';

/** What a mapper learns of the backend building the domain: its id and, what mappers match on, its kind. */
export type MappedBackend = Pick<SandboxBackend, 'id' | 'kind'>;

/**
 * Turns one `--mount` into domain devices (or guest-side work) for the kinds of backend it supports:
 * matching on `backend.kind` rather than `backend.id` lets a third-party backend reuse it.
 */
export interface FilesystemMapper {
  readonly id: string;
  supports(mount: MountSpec, backend: MappedBackend): boolean;
  map(mount: MountSpec, ctx: BuildContext, draft: DomainDraft): void;
}
/** Token of {@link FilesystemMapper} (multi-registered). */
export const FilesystemMapper = createToken<FilesystemMapper>('FilesystemMapper');
