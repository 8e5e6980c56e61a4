import {
  SandboxError,
  type AttachOptions,
  type BuildContext,
  type ConsoleTransport,
  type DomainDraft,
  type GuestChannel,
  type LibvirtConnection,
  type LibvirtDomain,
  type SandboxBackend,
  type Stdio,
} from '@vsb/core';
import { ConsoleRpcSession, type ConsoleRpcSessionOptions } from '@vsb/stdio-protocol';

/**
 * The {@link GuestChannel} this transport returns from `prepare`: the path the guest init opens and,
 * as `hostName`, the libvirt console or channel name `attach` opens. All per-run state travels in the run's
 * own objects (core hands the channel back to `attach`), so one transport instance serves any
 * number of concurrent runs and holds no state.
 */
export interface ConsoleRpcChannel extends GuestChannel {
  /** Name for `virDomainOpenConsole` (e.g. 'console1', from the backend's `addConsole`) or, with `hostChannel`, for `virDomainOpenChannel` (from its `addChannel`). */
  readonly hostName: string;
}

/** Options of {@link ConsoleRpcTransport.attach}: core's {@link AttachOptions} plus handshake tuning. */
export interface ConsoleRpcAttachOptions extends AttachOptions, Partial<Omit<ConsoleRpcSessionOptions, 'tty' | 'rows' | 'cols'>> {}

/**
 * The stdio protocol over an extra libvirt console (LXC: console1 = the guest's /dev/tty2), or over
 * a channel where the backend offers one (QEMU: a virtio-serial port). Works with every backend that
 * can add a console, hence priority 10: a specialised transport (vsock, unix socket) can outrank it.
 */
export class ConsoleRpcTransport implements ConsoleTransport {
  readonly id = 'console-rpc';
  readonly priority = 10;

  /** Every URI and backend: all it needs is `addConsole`. */
  supports(_uri: string, _backendId: string): boolean {
    return true;
  }

  /** Asks the backend for a lossless channel, else one more console; the guest init opens its `guestPath`. */
  prepare(ctx: BuildContext, backend: SandboxBackend, draft: DomainDraft): ConsoleRpcChannel {
    const endpoint = backend.addChannel?.(ctx, draft) ?? backend.addConsole(ctx, draft);
    return { path: endpoint.guestPath, hostName: endpoint.devname, ...(endpoint.channel && { hostChannel: true }) };
  }

  /**
   * Opens the console or channel named by `options.channel` (what `prepare` returned for this run), runs the
   * handshake, sends WINSIZE (tty mode) and START, and returns the live session.
   */
  async attach(_connection: LibvirtConnection, domain: LibvirtDomain, stdio: Stdio, options: ConsoleRpcAttachOptions): Promise<ConsoleRpcSession> {
    const devname = options.channel?.hostName;
    if (!devname) {
      throw new SandboxError('VSB_INTERNAL', `console-rpc: attach without the channel prepare returned (domain '${domain.name}')`);
    }
    const console = options.channel.hostChannel ? await domain.openChannel(devname) : await domain.openConsole(devname);
    return ConsoleRpcSession.open(console, stdio, options);
  }
}
