import type { DependencyContainer } from 'tsyringe';
import { SandboxBackend } from './sandbox-backend';
import { FilesystemMapper } from './filesystem-mapper';
import { SecurityModel } from './security-labeler';
import { ConsoleTransport } from './console-transport';
import { SandboxError } from '../sandbox-error';
import type { MountSpec } from '../sandbox-config';
import type { MappedBackend } from './filesystem-mapper';
import { resolveAll, type Token } from './token';

/** All registrations of a multi token, sorted by id so output never depends on plugin load order. */
export function resolveSorted<T extends { readonly id: string }>(container: DependencyContainer, token: Token<T>): T[] {
  return resolveAll(container, token).sort((a, b) => a.id.localeCompare(b.id));
}

/** The driver part of a libvirt URI (`qemu+ssh://h/system` -> `qemu`), used to match backends. */
export function uriDriver(uri: string): string {
  const m = /^([A-Za-z][A-Za-z0-9.-]*)(\+[A-Za-z0-9-]+)?:/.exec(uri);
  return m ? m[1]!.toLowerCase() : '';
}

/**
 * True for URIs whose libvirtd runs on this host (`lxc:///`, `qemu+unix:///system`): no host part
 * and no transport but `unix`. Only then are host paths and the host's CPU also libvirt's.
 */
export function isLocalUri(uri: string): boolean {
  const m = /^[A-Za-z][A-Za-z0-9.-]*(?:\+([A-Za-z0-9-]+))?:\/\/([^/?]*)/.exec(uri);
  return m !== null && m[2] === '' && (m[1] === undefined || m[1] === 'unix');
}

/** Chooses the backend for a URI; the error lists what is installed, e.g. for `xen:///` with only lxc and qemu. */
export class BackendRegistry {
  constructor(private readonly container: DependencyContainer) {}

  all(): SandboxBackend[] {
    return resolveSorted(this.container, SandboxBackend);
  }

  forUri(uri: string): SandboxBackend {
    const all = this.all();
    const backend = all.find((b) => b.claims(uri));
    if (!backend) {
      const installed = all.length ? all.map((b) => b.id).join(', ') : 'none';
      throw new SandboxError('VSB_NO_BACKEND', `no backend handles URI '${uri}' (installed: ${installed})`);
    }
    return backend;
  }
}

/** Chooses, for each mount, the first filesystem mapper (by id) that supports it on this kind of backend. */
export class MapperRegistry {
  constructor(private readonly container: DependencyContainer) {}

  forMount(mount: MountSpec, backend: MappedBackend): FilesystemMapper {
    const mapper = resolveSorted(this.container, FilesystemMapper).find((m) => m.supports(mount, backend));
    if (!mapper) {
      throw new SandboxError('VSB_NO_MAPPER', `--mount: the ${backend.id} backend cannot mount ${mount.type} at '${mount.target}'`);
    }
    return mapper;
  }
}

/** The security models installed, by id. */
export class SecurityModelRegistry {
  constructor(private readonly container: DependencyContainer) {}

  all(): SecurityModel[] {
    return resolveSorted(this.container, SecurityModel);
  }
}

/**
 * Chooses the console transport with the highest priority that supports the URI and backend, or
 * the one named by `id` (`--transport`, e.g. to compare transports) when it supports them.
 */
export class TransportRegistry {
  constructor(private readonly container: DependencyContainer) {}

  forUri(uri: string, backendId: string, id?: string): ConsoleTransport {
    const candidates = resolveSorted(this.container, ConsoleTransport).filter((t) => t.supports(uri, backendId));
    candidates.sort((a, b) => b.priority - a.priority);
    const transport = id === undefined ? candidates[0] : candidates.find((t) => t.id === id);
    if (!transport) {
      const which = id === undefined ? 'no console transport serves' : `--transport: '${id}' does not serve`;
      const serving = candidates.map((t) => t.id).join(', ') || 'none';
      // Naming one that does not apply is the user's mistake (exit 2); none at all is not.
      throw new SandboxError(
        id === undefined ? 'VSB_NO_TRANSPORT' : 'VSB_USAGE',
        `${which} URI '${uri}' with the ${backendId} backend (available: ${serving})`,
      );
    }
    return transport;
  }
}
