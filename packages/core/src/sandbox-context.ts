import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { checkHostSources } from './check-host-sources';
import type { ChannelEndpoint, ConsoleSession, ExitStatus, Stdio, StdioBytes } from './console-transport';
import { copyIncludes } from './copy-includes';
import { LibvirtConnector } from './libvirt-connector';
import type { LibvirtConnection, LibvirtDomain, LibvirtStorage } from './libvirt-connector';
import { capabilitiesOf, type SecurityCapability } from './guest-capabilities';
import { BackendRegistry, isLocalUri, SecurityModelRegistry, uriDriver } from './registries';
import { stagePath } from './mount-paths';
import { GUEST_CONFIG_FILE, GUEST_INIT_FILE, planSandbox, stateRoot } from './sandbox-plan';
import type { SandboxPlan } from './sandbox-plan';
import type { SandboxConfig } from './sandbox-config';
import type { SandboxBackend } from './sandbox-backend';
import type { HostLeftovers } from './host-leftovers';
import { SandboxError } from './sandbox-error';
import { makeStateDir, releaseStateDirs } from './state-root';
import { PID_FILE, removeStaleStateDirs, watchStateDir, type StateDirWatchdog } from './state-dir-watchdog';
import { claimIdRange, type IdRange, type Slot } from './id-range';
import { claimNetworkSlot } from './network-interfaces';
import { checkResources } from './check-resources';
import { checkNetworks, writeNetworkFiles } from './check-networks';
import type { AttachedDisks, StartedSandbox } from './sandbox-backend';
import { removeStage, removeStaleStages, uploadStage, type RemoteStage } from './remote-stage';
import { removeRemoteLeftovers } from './remote-leftovers';

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

/** How long to wait for a domain to end by itself: the guest after the app exited (else it is destroyed), or an ending earlier run of the same name. */
const STOP_GRACE_MS = 3000;

/** Resolves with 'timeout' after {@link STOP_GRACE_MS}, without keeping the process alive. */
function stopGrace(): Promise<'timeout'> {
  return new Promise((r) => setTimeout(r, STOP_GRACE_MS, 'timeout').unref());
}

/**
 * A sandbox that has started: the app's exit, signal forwarding and teardown. `wait()` always
 * tears down (guest ended or domain destroyed, state dir removed), whatever happened; `close()`
 * then closes the libvirt connection.
 */
export class RunningSandbox {
  private finished?: Promise<ExitStatus>;
  private closing?: Promise<void>;
  private destroyed = false;

  constructor(
    readonly plan: SandboxPlan,
    private readonly connection: LibvirtConnection,
    readonly domain: LibvirtDomain,
    /** The console transport's session: the app's stdio, and what else the transport offers (more processes: vsb exec). */
    readonly session: ConsoleSession,
    private readonly stopped: Promise<void>,
    private readonly cleanup: () => Promise<void>,
    private readonly mark: (step: string) => void = () => undefined,
    /** Called when the run ends in an error rather than the app's exit (libvirt's log is then kept). */
    private readonly onFailure: () => void = () => undefined,
    private readonly started?: StartedSandbox,
    private readonly removeStateDir: () => Promise<void> = async () => undefined,
  ) {}

  /**
   * Removes the state dir a run started with `keepStateDir` left after its end (the keeper of a
   * `--keep` sandbox, at `vsb stop`), as a run without it removes its own, the state root included
   * when no run uses it any more.
   */
  async removeKeptStateDir(): Promise<void> {
    await this.removeStateDir();
  }

  /** The bytes the console transport relayed, when it counts them (`vsb run --record`). */
  get bytes(): StdioBytes | undefined {
    return this.session.bytes;
  }

  /**
   * Resolves true once the app runs, false when it never will (see ConsoleSession.appStarted);
   * the run's end is then `wait()`'s: a guest error, or the exit status of a command that could
   * not be executed.
   */
  appStarted(): Promise<boolean> {
    return this.session.appStarted ?? Promise.resolve(true);
  }

  /** Forwards a signal to the app (SIGINT, SIGTERM ... as numbers). */
  signal(signo: number): void {
    this.session.signal(signo);
  }

  resize(rows: number, cols: number): void {
    this.session.resize(rows, cols);
  }

  /**
   * Ends the sandbox now: the domain is destroyed; `wait()` then rejects or resolves with what
   * arrived. An end asked for is not a failure: libvirt's log of the run is not kept for it.
   */
  async destroy(): Promise<void> {
    this.destroyed = true;
    this.session.close();
    await this.domain.destroy().catch(() => undefined);
  }

  /** The app's exit status; cleans everything up before resolving or rejecting. */
  wait(): Promise<ExitStatus> {
    this.finished ??= this.finish();
    return this.finished;
  }

  /**
   * After `wait()`: closes the libvirt connection. On LXC that returns only once libvirtd has torn
   * the ended domain down (~200 ms after the guest is done), which is why `wait()` leaves it out:
   * a process that exits instead (the CLI) has its connection closed by the kernel, and AUTODESTROY
   * has libvirtd finish the same teardown. A long-lived caller must call it, or connections pile up.
   */
  async close(): Promise<void> {
    await this.wait().catch(() => undefined);
    this.closing ??= this.connection.close().catch(() => undefined);
    await this.closing;
  }

  private async finish(): Promise<ExitStatus> {
    try {
      let status = await this.session.exit;
      this.mark('app');
      // Asked while the domain still exists: its memory cgroup goes with it.
      if (status.signal === 9 && (await this.started?.outOfMemory().catch(() => false))) status = { ...status, outOfMemory: true };
      // The init exits by itself after QUIT (8x faster than virDomainDestroy on LXC), and its end of
      // the channel closes as it does (a VM's channel when it powered off): that is the guest being
      // done, ~240 ms before libvirt's "stopped" event on LXC (libvirtd's cgroup cleanup polls every
      // 200 ms) and 1.4-2 s before it on QEMU. What is left of the domain then is libvirt's own
      // teardown, which closing our AUTODESTROY connection also asks for.
      if ((await Promise.race([this.session.closed, this.stopped, stopGrace()])) === 'timeout') {
        await this.domain.destroy().catch(() => undefined);
      }
      this.mark('guest-done');
      return status;
    } catch (err) {
      if (!this.destroyed) this.onFailure();
      await this.domain.destroy().catch(() => undefined);
      throw err;
    } finally {
      this.session.close();
      await this.cleanup();
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
    checkResources(config, backend);
    const assets = await backend.prepare?.({ config, initPath: options.initPath, notify: options.notify ?? (() => undefined), verbose: options.verbose });
    return planSandbox(this.container, config, {
      stateDir: SandboxContext.stateDirOf(config.name),
      // Without libvirt to ask, assume the host offers every model a plugin implements: whether it
      // really does is checked against its capabilities when the sandbox starts.
      hostSecurityModels: new SecurityModelRegistry(this.container).all().map((m) => m.id),
      assets, term: options.term,
    });
  }

  /** Starts the sandbox; the returned handle's `wait()` gives the app's exit status. */
  async start(config: SandboxConfig, options: StartOptions): Promise<RunningSandbox> {
    const mark = options.mark ?? (() => undefined);
    const connector = this.container.resolve<LibvirtConnector>(LibvirtConnector);
    // Usage errors (no backend, bad mount, no kernel) before contacting libvirt. Not --security:
    // which models the host has is libvirt's to say (the plan below assumes all), checked at the
    // second planning, still before any domain exists (`-s apparmor` on LXC listed QEMU's models).
    const { backend, ctx: { assets } } = await this.plan({ ...config, security: undefined }, { initPath: options.initPath, notify: options.notify, verbose: options.verbose });
    const local = isLocalUri(config.uri);
    // A remote host's paths are for it to check (the domain's start does).
    if (local) await checkHostSources(config);
    mark('prepare');
    // Stale dirs only matter for names to come: looked for while libvirt answers, not before.
    const staleRemoved = removeStaleStateDirs(stateRoot());
    const connection = await connector.open(config.uri).catch((err: unknown) => {
      // libvirt's LXC driver exists only in the system daemon, which an ordinary user may not use.
      if (uriDriver(config.uri) === 'lxc' && (process.getuid?.() ?? 0) !== 0) {
        throw new SandboxError('VSB_NO_LIBVIRTD', `cannot connect to libvirt at '${config.uri}': LXC sandboxes need root (libvirt's LXC driver runs only in the system daemon)`,
          ['run vsb as root, or use a VM sandbox of your own: vsb run -c qemu:///session -- ...'], { cause: err });
      }
      throw new SandboxError('VSB_NO_LIBVIRTD', `cannot connect to libvirt at '${config.uri}': ${messageOf(err)}`,
        ['is libvirtd running? start it with: npm run setup (from the vsb checkout), or: libvirtd -d'], { cause: err });
    });
    mark('connect');
    const stateDir = SandboxContext.stateDirOf(config.name);
    const driverFiles = backend.hostLeftovers?.(config);
    // This host's are the watchdog's to remove; a remote host's go through its storage API at the end.
    const leftovers = local ? driverFiles : undefined;
    const remoteLeftovers = local ? undefined : driverFiles;
    let watchdog: StateDirWatchdog | undefined;
    let logKept = false;
    // libvirt's log is removed after the run (see watchStateDir), unless it may say what went wrong.
    const keepLog = (): void => {
      if (logKept) return;
      if (remoteLeftovers) {
        logKept = true;
        options.notify?.(`libvirt's log of this run is kept on the remote host: ${remoteLeftovers.log}`);
        return;
      }
      if (!leftovers || !watchdog) return;
      logKept = true;
      watchdog.keepLog();
      if (existsSync(leftovers.log)) options.notify?.(`libvirt's log of this run is kept: ${leftovers.log}`);
    };
    let creating = false;
    let created = false;
    let endpoint: ChannelEndpoint | undefined;
    let ids: IdRange | undefined;
    let disks: AttachedDisks | undefined;
    let netSlot: Slot | undefined;
    let staged: { storage: LibvirtStorage; stage: RemoteStage } | undefined;
    let domainEnded: Promise<void> | undefined;
    const removeStateDir = async (): Promise<void> => {
      if (!created) return;
      await fs.rm(stateDir, { recursive: true, force: true });
      await releaseStateDirs();
    };
    const removeState = async (keepDir = false): Promise<void> => {
      endpoint?.close();
      ids?.release();
      netSlot?.release();
      await disks?.release();
      if (staged) await removeRemoteState(staged, remoteLeftovers, domainEnded, logKept, (line) => options.notify?.(line));
      if (!keepDir) await removeStateDir();
    };
    const stops = stopEvents(connection, config.name);
    // A remote run: the stages an earlier run of this owner left there (killed), removed while this one plans.
    const staleStages = !local && connection.storage
      ? removeStaleStages(connection.storage, (name) => backend.hostLeftovers?.({ ...config, name })).catch((err: unknown) => options.notify?.(`an earlier run's files on ${config.uri} could not be removed: ${messageOf(err)}`))
      : undefined;
    try {
      await staleRemoved;
      const networks = await checkNetworks(connection, config);
      await this.checkNameFree(connection, config, stateDir, stops);
      if (backend.userNamespace) ids = await claimIdRange(config.name);
      if (config.disks.length > 0) disks = await backend.attachDisks?.(config);
      if (config.networks.length > 0) netSlot = await claimNetworkSlot();
      // Only a labeler or a backend that reads the host's guests needs libvirt's capabilities: a
      // round trip of 3-35 ms, skipped otherwise.
      const capabilities = config.security || backend.needsCapabilities ? capabilitiesOf(await connection.capabilities()) : undefined;
      const plan = planSandbox(this.container, config, {
        stateDir, ...securityOf(capabilities?.security ?? []), hostGuests: capabilities?.guests, hostCpu: capabilities?.hostCpu,
        assets, term: options.term, idBase: ids?.base, diskDevices: disks?.devices, networkSlot: netSlot?.slot,
      });
      mark('plan');
      await makeStateDir(stateDir).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw new SandboxError('VSB_NAME_IN_USE', `--name: the sandbox '${config.name}' is already running (state dir ${stateDir} exists)`);
        throw err;
      });
      created = true;
      await fs.writeFile(path.join(stateDir, PID_FILE), String(process.pid));
      watchdog = watchStateDir(stateDir, leftovers);
      const configDir = plan.localConfigDir;
      await fs.mkdir(configDir, { mode: 0o755 });
      await fs.chmod(stateDir, 0o755);
      await fs.copyFile(options.initPath, path.join(configDir, GUEST_INIT_FILE));
      await fs.chmod(path.join(configDir, GUEST_INIT_FILE), 0o755);
      await fs.writeFile(path.join(configDir, GUEST_CONFIG_FILE), plan.guestConfig, { mode: 0o644 });
      await writeNetworkFiles(configDir, config, networks);
      await prepareMountDirs(plan, config);
      await copyIncludes(plan.config, configDir);
      if (plan.stage) {
        staged = { storage: stagingStorage(connection), stage: plan.stage };
        await staleStages;
        await uploadStage(staged.storage, plan.stage, configDir, plan.uploads);
        mark('upload');
      }
      endpoint = await plan.transport.listen?.(plan.channel);
      mark('state');
      const logStart = leftovers ? await fs.stat(leftovers.log).then((st) => st.size, () => 0) : 0;
      const progress = assets?.startMessage ? options.progress : undefined;
      progress?.(assets?.startMessage);
      let domain: LibvirtDomain;
      let session: ConsoleSession;
      let stopped: Promise<void>;
      let started: StartedSandbox | undefined;
      try {
        creating = true;
        domain = await connection.createXML(plan.xml, { autodestroy: true }).catch(async (err: unknown) => {
          throw await explainedStartFailure(err, backend, leftovers, logStart);
        });
        mark('create');
        if (config.debug) keepLog();
        stopped = stops.of(domain.uuid);
        domainEnded = stopped;
        started = await backend.started?.(domain, plan.ctx);
        const dead = new AbortController();
        void stopped.then(() => dead.abort());
        if (config.debug && backend.logConsole) await copyLog(domain, backend.logConsole, options.stdio.stderr);
        session = await plan.transport.attach(connection, domain, options.stdio, {
          tty: config.tty, rows: options.rows, cols: options.cols, channel: plan.channel, endpoint, signal: dead.signal,
        }).catch(async (err: unknown) => {
          await domain.destroy().catch(() => undefined);
          throw err;
        });
      } finally {
        progress?.(undefined);
      }
      mark('attach');
      return new RunningSandbox(plan, connection, domain, session, stopped, async () => {
        // Still subscribed: a remote run's teardown waits for the domain's end.
        await removeState(options.keepStateDir);
        stops.unsubscribe();
      }, mark, keepLog, started, removeStateDir);
    } catch (err) {
      if (creating) keepLog();
      await removeState();
      stops.unsubscribe();
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Refuses a name a live domain holds. A domain whose state dir is gone is the tail of a finished
   * run that libvirt is still tearing down (vsb ends as soon as the guest is done): it is waited
   * for, so `vsb run -n X` twice in a row works.
   */
  private async checkNameFree(connection: LibvirtConnection, config: SandboxConfig, stateDir: string, stops: StopEvents): Promise<void> {
    const other = await connection.lookupByName(config.name);
    if (!other) return;
    const ending = !(await fs.stat(stateDir).then(() => true, () => false));
    if (ending && (await Promise.race([stops.of(other.uuid), stopGrace()])) !== 'timeout') return;
    throw new SandboxError('VSB_NAME_IN_USE', `--name: a domain named '${config.name}' is already running on ${config.uri}`);
  }
}

/** The "stopped" (or "crashed") lifecycle events of one domain name, told apart by uuid. */
interface StopEvents {
  /** Resolves when the domain with this uuid stopped, even if the event came before this call. */
  of(uuid: string): Promise<void>;
  unsubscribe(): void;
}

/**
 * Subscribes before the domain exists, so its end cannot be missed; matching by uuid keeps the end
 * of an earlier domain of the same name (still being torn down) from passing for this one's.
 */
function stopEvents(connection: LibvirtConnection, name: string): StopEvents {
  const seen = new Set<string>();
  const waiters = new Map<string, () => void>();
  const unsubscribe = connection.onLifecycle((e) => {
    if (e.domain !== name || (e.event !== 'stopped' && e.event !== 'crashed')) return;
    seen.add(e.uuid);
    waiters.get(e.uuid)?.();
  });
  return {
    of: (uuid) => (seen.has(uuid) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(uuid, resolve))),
    unsubscribe,
  };
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
    await fs.mkdir(path.join(plan.localConfigDir, path.basename(stagePath(plan.ctx, mount).host)), { recursive: true, mode: 0o755 });
    const original = given.mounts[index];
    // A temporary host-bind: planning already gave it its dir under the state dir.
    if (original?.type === 'host-bind' && original.source === '') {
      await fs.mkdir(mount.source, { recursive: true, mode: 0o700 });
      await fs.chown(mount.source, uid, gid);
    }
  }
}


/** A failed createXML, with the cause the backend finds in what libvirt's log got since `from` (its size before the start). */
async function explainedStartFailure(err: unknown, backend: SandboxBackend, leftovers: HostLeftovers | undefined, from: number): Promise<unknown> {
  if (!backend.startFailureCause || !leftovers) return err;
  // virtlogd writes the log on its own time: the failure's lines may come after libvirt's answer,
  // up to libvirt's own "shutting down" line (waited for at most 3 s, on this failure path only).
  let log = '';
  for (let attempt = 0; attempt < 60 && !/shutting down/.test(log); attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, 50));
    log = await fs.readFile(leftovers.log).then((b) => b.subarray(from).toString('utf8'), () => '');
  }
  const cause = backend.startFailureCause(log);
  // libvirt's message may hold all of QEMU's stderr, but only its first line is shown.
  if (cause === undefined || messageOf(err).split('\n')[0]!.includes(cause)) return err;
  return new SandboxError('VSB_LIBVIRT', `${backend.id} could not start the sandbox: ${cause}`, [], { cause: err });
}

/** `--debug`: the log console to stderr until the domain ends (a failure to open it is not the run's). */
async function copyLog(domain: LibvirtDomain, devname: string, stderr: NodeJS.WritableStream): Promise<void> {
  const log = await domain.openConsole(devname).catch(() => undefined);
  log?.on('data', (chunk: Buffer) => stderr.write(chunk));
  log?.on('error', () => undefined);
}

/** The security models libvirt offers and their base labels, as planSandbox takes them. */
function securityOf(models: readonly SecurityCapability[]): { hostSecurityModels: string[]; hostSecurityBaseLabels: Record<string, Readonly<Record<string, string>>> } {
  return { hostSecurityModels: models.map((m) => m.model), hostSecurityBaseLabels: Object.fromEntries(models.map((m) => [m.model, m.baseLabels])) };
}

/**
 * A remote run's end there: once its domain stopped, what libvirt left of it, then its stage.
 * A broken connection removes neither: the next run of this owner removes the stage
 * (removeStaleStages); libvirt's leftovers of that run then stay, which vsb says.
 */
async function removeRemoteState(staged: { storage: LibvirtStorage; stage: RemoteStage }, leftovers: HostLeftovers | undefined, ended: Promise<void> | undefined, keepLog: boolean, notify: (line: string) => void): Promise<void> {
  if (ended) await Promise.race([ended, stopGrace()]);
  await Promise.all([
    leftovers && removeRemoteLeftovers(staged.storage, leftovers, keepLog).catch((err: unknown) => notify(`libvirt's files of this run on the remote host could not be removed: ${messageOf(err)}`)),
    removeStage(staged.storage, staged.stage).catch((err: unknown) => notify(`this run's files on the remote host (storage pool ${staged.stage.pool}) could not be removed: ${messageOf(err)}`)),
  ]);
}

/** The connection's storage, which a remote run stages its files with. */
function stagingStorage(connection: LibvirtConnection): LibvirtStorage {
  if (connection.storage) return connection.storage;
  throw new SandboxError('VSB_LIBVIRT', `the connection to '${connection.uri}' has no storage API, which a sandbox on a remote libvirt host needs for its files`);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
