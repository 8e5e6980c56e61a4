import fs from 'node:fs/promises';
import type { DependencyContainer } from 'tsyringe';
import { checkNetworks } from '../host/check-networks';
import type { ChannelEndpoint, ConsoleSession } from '../extension-points/console-transport';
import { capabilitiesOf, type SecurityCapability } from '../plan/guest-capabilities';
import { claimIdRange } from '../host/id-range';
import type { LibvirtConnection, LibvirtDomain } from '../extension-points/libvirt-connector';
import { LibvirtLog } from './libvirt-log';
import { messageOf } from '../message-of';
import { claimNetworkSlot } from '../plan/network-interfaces';
import { removeStaleStages } from './remote-stage';
import { RunningSandbox } from './running-sandbox';
import type { BackendAssets, SandboxBackend, StartedSandbox } from '../extension-points/sandbox-backend';
import type { SandboxConfig } from '../sandbox-config';
import type { StartOptions } from './sandbox-context';
import { SandboxError } from '../sandbox-error';
import { planSandbox, type SandboxPlan } from '../plan/sandbox-plan';
import { stageRemotely } from './stage-remotely';
import { createStateDir, stateDirOf, type StateDir } from './state-dir';
import { explainedStartFailure } from './start-failure';
import { stopEvents, stopGrace, type StopEvents } from './stop-events';
import { Teardown } from './teardown';
import { writeConfigDir } from './write-config-dir';

/**
 * One start of a sandbox, from the open connection to the attached console. Each step that
 * acquires something (the id range, the state dir, the domain ...) pushes its undo onto the run's
 * {@link Teardown}: a failure anywhere undoes exactly what was made, and the started run's end
 * undoes the rest.
 */
export class SandboxStart {
  private readonly teardown: Teardown;
  private readonly stops: StopEvents;
  private readonly log: LibvirtLog;
  private readonly notify: (line: string) => void;
  private readonly mark: (step: string) => void;
  private stopped?: Promise<void>;
  private creating = false;

  constructor(
    private readonly container: DependencyContainer,
    private readonly config: SandboxConfig,
    private readonly options: StartOptions,
    private readonly backend: SandboxBackend,
    private readonly assets: BackendAssets | undefined,
    private readonly connection: LibvirtConnection,
    private readonly local: boolean,
  ) {
    this.notify = options.notify ?? (() => undefined);
    this.mark = options.mark ?? (() => undefined);
    // Not lost where nobody listens for notes: Node prints warnings on stderr.
    const report = options.notify ?? ((line: string) => process.emitWarning(line));
    this.teardown = new Teardown((what, err) => report(`could not ${what}: ${messageOf(err)}`));
    this.teardown.push('close the libvirt connection', (outcome) => (outcome === 'start-failed' ? connection.close() : undefined));
    this.stops = stopEvents(connection, config.name);
    this.teardown.push('stop watching the domain', () => this.stops.unsubscribe());
    const driverFiles = backend.hostLeftovers?.(config);
    // This host's are the watchdog's to remove; a remote host's go through its storage API at the end.
    this.log = new LibvirtLog(local ? driverFiles : undefined, local ? undefined : driverFiles, this.notify);
  }

  /** Starts the sandbox; `staleRemoved` is the removal of dead runs' state dirs, awaited before this name is checked. */
  async run(staleRemoved: Promise<void>): Promise<RunningSandbox> {
    // A remote run: the stages an earlier run of this owner left there (killed), removed while this one plans.
    const { config, connection, backend } = this;
    const staleStages =
      !this.local && connection.storage
        ? removeStaleStages(connection.storage, (name) => backend.hostLeftovers?.({ ...config, name })).catch((err: unknown) =>
            this.notify(`an earlier run's files on ${config.uri} could not be removed: ${messageOf(err)}`),
          )
        : undefined;
    try {
      await staleRemoved;
      return await this.launch(staleStages);
    } catch (err) {
      if (this.creating) this.log.keep();
      await this.teardown.run('start-failed');
      throw err;
    }
  }

  private async launch(staleStages: Promise<unknown> | undefined): Promise<RunningSandbox> {
    const { config, connection, teardown } = this;
    const networks = await checkNetworks(connection, config);
    await this.checkNameFree();
    const plan = await this.planWithHost();
    this.mark('plan');
    const stateDir = await createStateDir(config.name, this.log.local, teardown, this.options.keepStateDir);
    this.log.watchedBy(stateDir.watchdog);
    await writeConfigDir(plan, config, this.options.initPath, networks);
    if (plan.stage) {
      await stageRemotely(plan, plan.stage, { connection, teardown, log: this.log, ended: () => this.stopped, staleStages, notify: this.notify });
      this.mark('upload');
    }
    const endpoint = await plan.transport.listen?.(plan.channel);
    if (endpoint) teardown.push('close the console endpoint', () => endpoint.close());
    this.mark('state');
    return this.boot(plan, stateDir, endpoint);
  }

  /**
   * Claims what the run holds on the host (its id range, disks and network slot), then plans the
   * domain with what libvirt says of the host.
   */
  private async planWithHost(): Promise<SandboxPlan> {
    const { config, backend, teardown } = this;
    const ids = backend.userNamespace ? await claimIdRange(config.name) : undefined;
    if (ids) teardown.push('release the id range', () => ids.release());
    const disks = config.disks.length > 0 ? await backend.attachDisks?.(config) : undefined;
    if (disks) teardown.push('detach the disks', () => disks.release());
    const netSlot = config.networks.length > 0 ? await claimNetworkSlot() : undefined;
    if (netSlot) teardown.push('release the network slot', () => netSlot.release());
    // Only a labeler or a backend that reads the host's guests needs libvirt's capabilities: a
    // round trip of 3-35 ms, skipped otherwise.
    const capabilities = config.security || backend.needsCapabilities ? capabilitiesOf(await this.connection.capabilities()) : undefined;
    return planSandbox(this.container, config, {
      stateDir: stateDirOf(config.name),
      ...securityOf(capabilities?.security ?? []),
      hostGuests: capabilities?.guests,
      hostCpu: capabilities?.hostCpu,
      assets: this.assets,
      term: this.options.term,
      idBase: ids?.base,
      diskDevices: disks?.devices,
      networkSlot: netSlot?.slot,
    });
  }

  /** Creates the domain and attaches the console transport to it. */
  private async boot(plan: SandboxPlan, stateDir: StateDir, endpoint: ChannelEndpoint | undefined): Promise<RunningSandbox> {
    const { config, options, backend, connection, teardown } = this;
    const logStart = this.log.local
      ? await fs.stat(this.log.local.log).then(
          (st) => st.size,
          () => 0,
        )
      : 0;
    const progress = this.assets?.startMessage ? options.progress : undefined;
    progress?.(this.assets?.startMessage);
    let domain: LibvirtDomain;
    let session: ConsoleSession;
    let stopped: Promise<void>;
    let started: StartedSandbox | undefined;
    try {
      this.creating = true;
      domain = await connection.createXML(plan.xml, { autodestroy: true }).catch(async (err: unknown) => {
        throw await explainedStartFailure(err, backend, this.log.local, logStart);
      });
      teardown.push('destroy the domain', (outcome) => (outcome === 'ended' ? undefined : domain.destroy().catch(() => undefined)));
      this.mark('create');
      if (config.debug) this.log.keep();
      stopped = this.stops.of(domain.uuid);
      this.stopped = stopped;
      started = await backend.started?.(domain, plan.ctx);
      const dead = new AbortController();
      void stopped.then(() => dead.abort());
      if (config.debug && backend.logConsole) await copyLog(domain, backend.logConsole, options.stdio.stderr);
      session = await plan.transport.attach(connection, domain, options.stdio, {
        tty: config.tty,
        rows: options.rows,
        cols: options.cols,
        channel: plan.channel,
        endpoint,
        signal: dead.signal,
      });
      teardown.push('close the console session', () => session.close());
    } finally {
      progress?.(undefined);
    }
    this.mark('attach');
    return new RunningSandbox({
      plan,
      connection,
      domain,
      session,
      stopped,
      teardown,
      stateDir,
      started,
      mark: this.mark,
      onFailure: () => this.log.keep(),
    });
  }

  /**
   * Refuses a name a live domain holds. A domain whose state dir is gone is the tail of a finished
   * run that libvirt is still tearing down (vsb ends as soon as the guest is done): it is waited
   * for, so `vsb run -n X` twice in a row works.
   */
  private async checkNameFree(): Promise<void> {
    const { config } = this;
    const other = await this.connection.lookupByName(config.name);
    if (!other) return;
    const ending = !(await fs.stat(stateDirOf(config.name)).then(
      () => true,
      () => false,
    ));
    if (ending && (await Promise.race([this.stops.of(other.uuid), stopGrace()])) !== 'timeout') return;
    throw new SandboxError('VSB_NAME_IN_USE', `--name: a domain named '${config.name}' is already running on ${config.uri}`);
  }
}

/** `--debug`: the log console to stderr until the domain ends (a failure to open it is not the run's). */
async function copyLog(domain: LibvirtDomain, devname: string, stderr: NodeJS.WritableStream): Promise<void> {
  const log = await domain.openConsole(devname).catch(() => undefined);
  log?.on('data', (chunk: Buffer) => stderr.write(chunk));
  log?.on('error', () => undefined);
}

/** The security models libvirt offers and their base labels, as planSandbox takes them. */
function securityOf(models: readonly SecurityCapability[]): {
  hostSecurityModels: string[];
  hostSecurityBaseLabels: Record<string, Readonly<Record<string, string>>>;
} {
  return { hostSecurityModels: models.map((m) => m.model), hostSecurityBaseLabels: Object.fromEntries(models.map((m) => [m.model, m.baseLabels])) };
}
