import path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import type { BuildContext, ConsoleEndpoint } from '../extension-points/build-context';
import type { ConsoleTransport, GuestChannel } from '../extension-points/console-transport';
import { DomainDraft } from './domain-draft';
import { toDomainXml } from './domain-xml';
import { encodeGuestConfig } from './guest-config';
import { escapedByte } from '../lossless-text';
import { withTempSources } from './mount-paths';
import { privateDirMounts } from './private-dirs';
import { remoteStageFor, type RemoteStage } from '../run/remote-stage';
import { checkRemoteConfig } from './check-remote';
import { networkGuestMounts, withDefaultMacs } from './network-interfaces';
import { guestCopies } from '../host/copy-includes';
import { BackendRegistry, MapperRegistry, TransportRegistry } from '../extension-points/registries';
import type { GuestCapability, HostCpuCapability } from './guest-capabilities';
import type { BackendAssets, SandboxBackend } from '../extension-points/sandbox-backend';
import type { SandboxConfig } from '../sandbox-config';
import { SecurityLabeler } from '../extension-points/security-labeler';
import { resolve } from '../extension-points/token';

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
  readonly hostCpu?: HostCpuCapability;
  /** The backend's `prepare` result (kernel, initrd ...). */
  readonly assets?: BackendAssets;
  readonly term?: string;
  /** First host id of the app's user namespace, claimed for this run (backends with `userNamespace`). */
  readonly idBase?: number;
  /** The run's network slot, which fixes the default MACs (absent: from the name). */
  readonly networkSlot?: number;
  /** Host devices of the `--disk` images (backends with `attachDisks`). */
  readonly diskDevices?: readonly string[];
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
  /** Where the run writes its config dir on this host (`STATEDIR/config`); `ctx.configDir` is libvirt's view of it. */
  readonly localConfigDir: string;
  /** A remote run's stage: where its files go on the libvirt host (absent when libvirt is local). */
  readonly stage?: RemoteStage;
  /** Local files besides the config dir that the domain references (`ctx.hostFile`), uploaded with it. */
  readonly uploads: readonly string[];
}

/**
 * Turns a config into a plan without touching libvirt or the disk, in the original builder's
 * order: basic, os, features (backend), devices (backend, mappers in mount order, transport),
 * security (labeler). `vsb run --dry-run` prints `plan.xml`. The guest config gets the network's
 * resolv.conf and hosts first (their source is in the config dir, under /run, which the private
 * dirs' tmpfs mounts hide next), then the mappers' guest-side work in mount order.
 */
export function planSandbox(container: DependencyContainer, given: SandboxConfig, options: PlanOptions): SandboxPlan {
  const backend = new BackendRegistry(container).forUri(given.uri);
  const security = given.security ?? backend.defaultSecurity?.(given, options.assets);
  const config: SandboxConfig = {
    ...given,
    mounts: withTempSources(given.mounts, options.stateDir),
    networks: withDefaultMacs(given, options.networkSlot),
    ...(security && { security }),
  };
  const mappers = new MapperRegistry(container);
  const transport = new TransportRegistry(container).forUri(config.uri, backend.id, config.transport);
  const localConfigDir = path.join(options.stateDir, 'config');
  const stage = remoteStageFor(config.uri, config.name);
  if (stage) checkRemoteConfig(given, backend);
  // Remote: the stage's directory holds the config dir's files there, and the backend's own files
  // (a VM's kernel and initrd) by their base name; the guest sees it through the remote host's root.
  const configDir = stage?.dir ?? localConfigDir;
  const uploads: string[] = [];
  const ctx: BuildContext = {
    config,
    backendId: backend.id,
    stateDir: options.stateDir,
    configDir,
    guestConfigDir: configDir,
    hostFile: (file) => {
      if (!stage) return file;
      uploads.push(file);
      return path.posix.join(stage.dir, path.basename(file));
    },
    hostSecurityModels: options.hostSecurityModels,
    hostSecurityBaseLabels: options.hostSecurityBaseLabels,
    hostGuests: options.hostGuests,
    hostCpu: options.hostCpu,
    assets: options.assets,
    diskDevices: options.diskDevices,
  };
  const draft = new DomainDraft();
  backend.build(ctx, draft);
  // Shown by `virsh dumpxml`/`virsh desc`: which command a running sandbox holds.
  const envFlags = config.env.map(([k, v]) => `-e ${shellQuote(`${k}=${v}`)} `).join('');
  draft.basic.push(['description', shorten(`vsb run ${envFlags}-- ${config.command.map(shellQuote).join(' ')}`, DESCRIPTION_MAX)]);
  for (const mount of config.mounts) mappers.forMount(mount, backend).map(mount, ctx, draft);
  const channel = transport.prepare(ctx, backend, draft);
  const shellConsole = config.shell ? backend.addConsole(ctx, draft) : undefined;
  resolve(container, SecurityLabeler).label(ctx, draft);
  return {
    config,
    ctx,
    backend,
    transport,
    channel,
    draft,
    shellConsole,
    localConfigDir,
    stage,
    uploads,
    xml: toDomainXml(draft),
    guestConfig: encodeGuestConfig(config, {
      channel,
      term: options.term,
      shell: shellConsole?.guestPath,
      userns: options.idBase,
      disks: draft.guestDisks,
      copies: guestCopies(ctx),
      mounts: [...networkGuestMounts(ctx), ...privateDirMounts(config.mounts), ...draft.guestMounts],
    }),
  };
}

/** Longest `<description>` written: a 100 KB argument is the app's business, not the domain's. */
const DESCRIPTION_MAX = 1000;

/** ANSI-C escapes of bash's `$'...'` for the characters that have a short one. */
const C_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', '\x1b': '\\e', '\\': '\\\\', "'": "\\'" };

/**
 * Quotes an argument for display the way a shell reads it back: bare when safe, `'...'` otherwise,
 * and bash's `$'...'` with `\xNN` escapes when it holds control characters or bytes that are not
 * UTF-8 (lossless-text), which XML cannot carry (`printf $'\e[1m'` broke every run's domain XML).
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  if (!/[\x00-\x1f\x7f-\x9f\udc80-\udcff]/.test(arg)) return `'${arg.replace(/'/g, `'\\''`)}'`;
  let out = '';
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i]!;
    const byte = escapedByte(arg, i);
    const code = c.charCodeAt(0);
    if (byte !== undefined) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else if (C_ESCAPES[c]) out += C_ESCAPES[c];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code <= 0x9f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `$'${out}'`;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  // Not inside a surrogate pair.
  const cut = /[\ud800-\udbff]/.test(text[max - 4] ?? '') ? max - 4 : max - 3;
  return `${text.slice(0, cut)}...`;
}
