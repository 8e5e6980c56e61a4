import path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import type { BuildContext, ConsoleEndpoint } from './build-context';
import type { ConsoleTransport, GuestChannel } from './console-transport';
import { DomainDraft } from './domain-draft';
import { toDomainXml } from './domain-xml';
import { encodeGuestConfig } from './guest-config';
import { withTempSources } from './mount-paths';
import { privateDirMounts } from './private-dirs';
import { BackendRegistry, MapperRegistry, TransportRegistry } from './registries';
import type { GuestCapability } from './guest-capabilities';
import type { BackendAssets, SandboxBackend } from './sandbox-backend';
import type { SandboxConfig } from './sandbox-config';
import { SecurityLabeler } from './security-labeler';

/** Names of the files the state dir's config dir holds. */
export const GUEST_INIT_FILE = 'vsb-init';
export const GUEST_CONFIG_FILE = 'vsb.conf';

/** What {@link planSandbox} needs besides the config: facts gathered from the host and libvirt. */
export interface PlanOptions {
  readonly stateDir: string;
  readonly hostSecurityModels: readonly string[];
  /** Base labels per model and domain type (`{ dac: { qemu: '+64055:+64055' } }`), when libvirt was asked. */
  readonly hostSecurityBaseLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly hostGuests?: readonly GuestCapability[];
  /** The backend's `prepare` result (kernel, initrd ...). */
  readonly assets?: BackendAssets;
  readonly term?: string;
  /** First host id of the app's user namespace, claimed for this run (backends with `userNamespace`). */
  readonly idBase?: number;
}

/** Everything decided before any I/O: the domain XML, the guest config and who serves the run. */
export interface SandboxPlan {
  /** The config as run: temporary host-bind sources resolved to their dirs under the state dir. */
  readonly config: SandboxConfig;
  readonly ctx: BuildContext;
  readonly backend: SandboxBackend;
  readonly transport: ConsoleTransport;
  readonly channel: GuestChannel;
  readonly draft: DomainDraft;
  readonly xml: string;
  readonly guestConfig: Buffer;
  /** The console of the `--shell` debug shell, when asked for. */
  readonly shellConsole?: ConsoleEndpoint;
}

/** Where a sandbox's state lives on the host: `/run/vsb/NAME` for root, `$XDG_RUNTIME_DIR/vsb/NAME` otherwise. */
export function stateRoot(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  if (env.VSB_STATE_ROOT) return env.VSB_STATE_ROOT;
  if (uid === 0) return '/run/vsb';
  return path.join(env.XDG_RUNTIME_DIR || path.join('/tmp', `vsb-${uid}`), 'vsb');
}

/**
 * Turns a config into a plan without touching libvirt or the disk, in the original builder's
 * order: basic, os, features (backend), devices (backend, mappers in mount order, transport),
 * security (labeler). `vsb run --dry-run` prints `plan.xml`. The guest config gets the private
 * dirs' tmpfs mounts first, then the mappers' guest-side work in mount order.
 */
export function planSandbox(
  container: DependencyContainer,
  given: SandboxConfig,
  options: PlanOptions,
): SandboxPlan {
  const backend = new BackendRegistry(container).forUri(given.uri);
  const security = given.security ?? backend.defaultSecurity?.(given, options.assets);
  const config: SandboxConfig = { ...given, mounts: withTempSources(given.mounts, options.stateDir), ...(security && { security }) };
  const mappers = new MapperRegistry(container);
  const transport = new TransportRegistry(container).forUri(config.uri, backend.id, config.transport);
  const configDir = path.join(options.stateDir, 'config');
  const ctx: BuildContext = {
    config,
    backendId: backend.id,
    stateDir: options.stateDir,
    configDir,
    guestConfigDir: configDir,
    hostSecurityModels: options.hostSecurityModels,
    hostSecurityBaseLabels: options.hostSecurityBaseLabels,
    hostGuests: options.hostGuests,
    assets: options.assets,
  };
  const draft = new DomainDraft();
  backend.build(ctx, draft);
  // Shown by `virsh dumpxml`/`virsh desc`: which command a running sandbox holds.
  const envFlags = config.env.map(([k, v]) => `-e ${shellQuote(`${k}=${v}`)} `).join('');
  draft.basic.push(['description', `vsb run ${envFlags}-- ${config.command.map(shellQuote).join(' ')}`]);
  for (const mount of config.mounts) mappers.forMount(mount, backend).map(mount, ctx, draft);
  const channel = transport.prepare(ctx, backend, draft);
  const shellConsole = config.shell ? backend.addConsole(ctx, draft) : undefined;
  container.resolve<SecurityLabeler>(SecurityLabeler).label(ctx, draft);
  return {
    config, ctx, backend, transport, channel, draft, shellConsole,
    xml: toDomainXml(draft),
    guestConfig: encodeGuestConfig(config, {
      channel, term: options.term, shell: shellConsole?.guestPath, userns: options.idBase, mounts: [...privateDirMounts(config.mounts), ...draft.guestMounts],
    }),
  };
}

/** Quotes an argument for display the way a POSIX shell would read it back. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
