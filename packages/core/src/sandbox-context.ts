import fs from 'node:fs/promises';
import path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { checkHostSources } from './check-host-sources';
import type { ConsoleSession, ExitStatus, Stdio } from './console-transport';
import { copyIncludes } from './copy-includes';
import { LibvirtConnector } from './libvirt-connector';
import type { LibvirtConnection, LibvirtDomain } from './libvirt-connector';
import { guestCapabilitiesOf } from './guest-capabilities';
import { BackendRegistry } from './registries';
import { stagePath, tempSourcePath } from './mount-paths';
import { GUEST_CONFIG_FILE, GUEST_INIT_FILE, planSandbox, stateRoot } from './sandbox-plan';
import type { SandboxPlan } from './sandbox-plan';
import type { SandboxConfig } from './sandbox-config';
import { SandboxError } from './sandbox-error';
import { PID_FILE, removeStaleStateDirs, watchStateDir } from './state-dir-watchdog';

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
  /** A transient status line while the sandbox starts (a VM boots); undefined clears it. */
  readonly progress?: (line: string | undefined) => void;
}

/** What {@link SandboxContext.plan} needs without libvirt: the init, and what to assume of the host. */
export interface DryRunOptions {
  readonly initPath: string;
  readonly hostSecurityModels?: readonly string[];
  readonly term?: string;
  readonly notify?: (line: string) => void;
}

/** How long to wait for the domain to stop by itself after the app exited before destroying it. */
const STOP_GRACE_MS = 3000;

/**
 * A sandbox that has started: the app's exit, signal forwarding and teardown. `wait()` always
 * tears down (domain gone, state dir removed, connection closed), whatever happened.
 */
export class RunningSandbox {
  private finished?: Promise<ExitStatus>;

  constructor(
    readonly plan: SandboxPlan,
    private readonly connection: LibvirtConnection,
    readonly domain: LibvirtDomain,
    private readonly session: ConsoleSession,
    private readonly stopped: Promise<void>,
    private readonly cleanup: () => Promise<void>,
    private readonly mark: (step: string) => void = () => undefined,
  ) {}

  /** Forwards a signal to the app (SIGINT, SIGTERM ... as numbers). */
  signal(signo: number): void {
    this.session.signal(signo);
  }

  resize(rows: number, cols: number): void {
    this.session.resize(rows, cols);
  }

  /** Ends the sandbox now: the domain is destroyed; `wait()` then rejects or resolves with what arrived. */
  async destroy(): Promise<void> {
    this.session.close();
    await this.domain.destroy().catch(() => undefined);
  }

  /** The app's exit status; cleans everything up before resolving or rejecting. */
  wait(): Promise<ExitStatus> {
    this.finished ??= this.finish();
    return this.finished;
  }

  private async finish(): Promise<ExitStatus> {
    try {
      const status = await this.session.exit;
      this.mark('app-exit');
      const timer = new Promise<'timeout'>((r) => setTimeout(r, STOP_GRACE_MS, 'timeout').unref());
      const ended = this.plan.backend.endOfRun === 'console' && this.session.closed ? this.session.closed : this.stopped;
      if ((await Promise.race([ended.then(() => 'ended' as const), this.stopped.then(() => 'ended' as const), timer])) === 'timeout') {
        // The init exits by itself after QUIT: that is 8x faster than virDomainDestroy on LXC.
        await this.domain.destroy().catch(() => undefined);
      }
      this.mark('ended');
      return status;
    } catch (err) {
      await this.domain.destroy().catch(() => undefined);
      throw err;
    } finally {
      this.session.close();
      await this.cleanup();
      void this.connection;
    }
  }
}

/**
 * The lifecycle of one sandbox (the original's "context"): plans the domain, writes the state dir,
 * starts a transient AUTODESTROY domain, attaches the console transport, and cleans up.
 */
export class SandboxContext {
  constructor(private readonly container: DependencyContainer) {}

  /** The state dir of a sandbox name on this host. */
  static stateDirOf(name: string): string {
    return path.join(stateRoot(), name);
  }

  /**
   * Plans a sandbox without libvirt (what `--dry-run` shows). The backend's `prepare` runs, since
   * the XML names what it makes (a VM's kernel and initrd); with no answer from libvirt, the backend
   * assumes what a current host offers.
   */
  async plan(config: SandboxConfig, options: DryRunOptions): Promise<SandboxPlan> {
    const backend = new BackendRegistry(this.container).forUri(config.uri);
    const assets = await backend.prepare?.({ config, initPath: options.initPath, notify: options.notify ?? (() => undefined) });
    return planSandbox(this.container, config, {
      stateDir: SandboxContext.stateDirOf(config.name), hostSecurityModels: options.hostSecurityModels ?? [], assets, term: options.term,
    });
  }

  /** Starts the sandbox; the returned handle's `wait()` gives the app's exit status. */
  async start(config: SandboxConfig, options: StartOptions): Promise<RunningSandbox> {
    const mark = options.mark ?? (() => undefined);
    const connector = this.container.resolve<LibvirtConnector>(LibvirtConnector);
    // Usage errors (no backend, bad mount, no kernel) before contacting libvirt.
    const { backend, ctx: { assets } } = await this.plan(config, { initPath: options.initPath, notify: options.notify });
    await checkHostSources(config);
    mark('prepare');
    const connection = await connector.open(config.uri).catch((err: unknown) => {
      throw new SandboxError('VSB_NO_LIBVIRTD', `cannot connect to libvirt at '${config.uri}': ${messageOf(err)}`,
        ['is libvirtd running? start it with: npm run setup (from the vsb checkout), or: libvirtd -d'], { cause: err });
    });
    mark('connect');
    const stateDir = SandboxContext.stateDirOf(config.name);
    let created = false;
    const cleanup = async (): Promise<void> => {
      if (created) await fs.rm(stateDir, { recursive: true, force: true });
      await connection.close().catch(() => undefined);
    };
    try {
      await removeStaleStateDirs(stateRoot());
      if (await connection.lookupByName(config.name)) {
        throw new SandboxError('VSB_NAME_IN_USE', `--name: a domain named '${config.name}' is already running on ${config.uri}`);
      }
      const capabilities = await connection.capabilities();
      const plan = planSandbox(this.container, config, {
        stateDir, hostSecurityModels: securityModelsOf(capabilities), hostGuests: guestCapabilitiesOf(capabilities), assets, term: options.term,
      });
      mark('plan');
      await fs.mkdir(path.dirname(stateDir), { recursive: true, mode: 0o755 });
      await fs.mkdir(stateDir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw new SandboxError('VSB_NAME_IN_USE', `--name: the sandbox '${config.name}' is already running (state dir ${stateDir} exists)`);
        throw err;
      });
      created = true;
      await fs.writeFile(path.join(stateDir, PID_FILE), String(process.pid));
      watchStateDir(stateDir);
      await fs.mkdir(plan.ctx.configDir, { mode: 0o755 });
      await fs.chmod(stateDir, 0o755);
      await fs.copyFile(options.initPath, path.join(plan.ctx.configDir, GUEST_INIT_FILE));
      await fs.chmod(path.join(plan.ctx.configDir, GUEST_INIT_FILE), 0o755);
      await fs.writeFile(path.join(plan.ctx.configDir, GUEST_CONFIG_FILE), plan.guestConfig, { mode: 0o644 });
      await prepareMountDirs(plan, config);
      await copyIncludes(plan.config);
      mark('state');
      let resolveStopped!: () => void;
      const stopped = new Promise<void>((r) => (resolveStopped = r));
      const unsubscribe = connection.onLifecycle((e) => {
        if (e.domain === config.name && (e.event === 'stopped' || e.event === 'crashed')) resolveStopped();
      });
      const progress = assets?.startMessage ? options.progress : undefined;
      progress?.(assets?.startMessage);
      let domain: LibvirtDomain;
      let session: ConsoleSession;
      try {
        domain = await connection.createXML(plan.xml, { autodestroy: true });
        mark('create');
        if (config.debug && backend.logConsole) await copyLog(domain, backend.logConsole, options.stdio.stderr);
        session = await plan.transport.attach(connection, domain, options.stdio, { tty: config.tty, rows: options.rows, cols: options.cols, channel: plan.channel })
          .catch(async (err: unknown) => {
            await domain.destroy().catch(() => undefined);
            throw err;
          });
      } finally {
        progress?.(undefined);
      }
      mark('attach');
      return new RunningSandbox(plan, connection, domain, session, stopped, async () => {
        unsubscribe();
        await cleanup();
      }, mark);
    } catch (err) {
      await cleanup();
      throw err;
    }
  }
}

/**
 * Creates the host dirs the plan's mounts need, all inside the state dir so they go with it: a
 * staging dir for each mount libvirt makes on the host's side, and a fresh dir, owned by the app's
 * user, for each temporary host-bind (`host-bind:DST=`).
 */
async function prepareMountDirs(plan: SandboxPlan, given: SandboxConfig): Promise<void> {
  const { uid, gid } = plan.config.identity;
  for (const [index, mount] of plan.config.mounts.entries()) {
    if (mount.type !== 'host-bind' && mount.type !== 'host-image') continue;
    await fs.mkdir(stagePath(plan.ctx, mount).host, { recursive: true, mode: 0o755 });
    const original = given.mounts[index];
    if (original?.type === 'host-bind' && original.source === '') {
      const dir = tempSourcePath(plan.ctx.stateDir, index);
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      await fs.chown(dir, uid, gid);
    }
  }
}

/** Security model names from libvirt's capabilities XML (`<secmodel><model>selinux</model>`). */
export function securityModelsOf(capabilitiesXml: string): string[] {
  return [...capabilitiesXml.matchAll(/<secmodel>\s*<model>([^<]+)<\/model>/g)].map((m) => m[1]!.trim());
}

/** `--debug`: the log console to stderr until the domain ends (a failure to open it is not the run's). */
async function copyLog(domain: LibvirtDomain, devname: string, stderr: NodeJS.WritableStream): Promise<void> {
  const log = await domain.openConsole(devname).catch(() => undefined);
  log?.on('data', (chunk: Buffer) => stderr.write(chunk));
  log?.on('error', () => undefined);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
