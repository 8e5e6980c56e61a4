import type { DependencyContainer } from 'tsyringe';
import { checkHostSources } from '../host/check-host-sources';
import type { Stdio } from '../extension-points/console-transport';
import { LibvirtConnector } from '../extension-points/libvirt-connector';
import { resolve } from '../extension-points/token';
import { BackendRegistry, isLocalUri, SecurityModelRegistry } from '../extension-points/registries';
import type { RunningSandbox } from './running-sandbox';
import type { SandboxConfig } from '../sandbox-config';
import { planSandbox, type SandboxPlan } from '../plan/sandbox-plan';
import { SandboxStart } from './sandbox-start';
import { openConnection } from './start-failure';
import { stateDirOf } from './state-dir';
import { stateRoot } from './state-root';
import { removeStaleStateDirs } from './state-dir-watchdog';
import { checkResources } from '../plan/check-resources';

/** Options of one run that are not part of the sandbox's config. */
export interface StartOptions {
  /** Host path of the static guest init binary (copied into the state dir). */
  readonly initPath: string;
  readonly stdio: Stdio;
  /** Terminal size in tty mode. */
  readonly rows?: number;
  readonly cols?: number;
  readonly term?: string;
  /** Debug timestamps: called with a step name when each step ends. */
  readonly mark?: (step: string) => void;
  /** One-line notes for the user (the backend's choices), e.g. printed as `vsb: note: ...`. */
  readonly notify?: (line: string) => void;
  /** `--verbose`: see {@link PrepareRequest.verbose}. */
  readonly verbose?: boolean;
  /** A transient status line while the sandbox starts (a VM boots); undefined clears it. */
  readonly progress?: (line: string | undefined) => void;
  /**
   * Leave the state dir in place when the started sandbox ends (ids, network slot and disks are
   * released as always): a `--keep` sandbox's keeper holds its log and metadata there until
   * `vsb stop`, then removes it. A start that fails removes it whatever this says.
   */
  readonly keepStateDir?: boolean;
}

/** What {@link SandboxContext.plan} needs without libvirt. */
export interface DryRunOptions {
  readonly initPath: string;
  readonly term?: string;
  readonly notify?: (line: string) => void;
  readonly verbose?: boolean;
}

/**
 * The lifecycle of one sandbox (the original's "context"): plans the domain, writes the state dir,
 * starts a transient AUTODESTROY domain, attaches the console transport, and cleans up.
 */
export class SandboxContext {
  constructor(private readonly container: DependencyContainer) {}

  /** The state dir of a sandbox name on this host. */
  static stateDirOf(name: string): string {
    return stateDirOf(name);
  }

  /**
   * Plans a sandbox without libvirt (what `--dry-run` shows). The backend's `prepare` runs, since
   * the XML names what it makes (a VM's kernel and initrd); with no answer from libvirt, the backend
   * assumes what a current host offers.
   */
  async plan(config: SandboxConfig, options: DryRunOptions): Promise<SandboxPlan> {
    const backend = new BackendRegistry(this.container).forUri(config.uri);
    checkResources(config, backend);
    const assets = await backend.prepare?.({ config, initPath: options.initPath, notify: options.notify ?? (() => undefined), verbose: options.verbose });
    return planSandbox(this.container, config, {
      stateDir: SandboxContext.stateDirOf(config.name),
      // Without libvirt to ask, assume the host offers every model a plugin implements: whether it
      // really does is checked against its capabilities when the sandbox starts.
      hostSecurityModels: new SecurityModelRegistry(this.container).all().map((m) => m.id),
      assets,
      term: options.term,
    });
  }

  /** Starts the sandbox; the returned handle's `wait()` gives the app's exit status. */
  async start(config: SandboxConfig, options: StartOptions): Promise<RunningSandbox> {
    const mark = options.mark ?? (() => undefined);
    const connector = resolve(this.container, LibvirtConnector);
    // Usage errors (no backend, bad mount, no kernel) before contacting libvirt. Not --security:
    // which models the host has is libvirt's to say (the plan below assumes all), checked at the
    // second planning, still before any domain exists (`-s apparmor` on LXC listed QEMU's models).
    const {
      backend,
      ctx: { assets },
    } = await this.plan({ ...config, security: undefined }, { initPath: options.initPath, notify: options.notify, verbose: options.verbose });
    const local = isLocalUri(config.uri);
    // A remote host's paths are for it to check (the domain's start does).
    if (local) await checkHostSources(config);
    mark('prepare');
    // Stale dirs only matter for names to come: looked for while libvirt answers, not before.
    const staleRemoved = removeStaleStateDirs(stateRoot());
    const connection = await openConnection(connector, config.uri);
    mark('connect');
    return new SandboxStart(this.container, config, options, backend, assets, connection, local).run(staleRemoved);
  }
}
