import { createToken } from './token';
import type { Readable, Writable } from 'node:stream';
import type { BuildContext } from './build-context';
import type { DomainDraft } from '../plan/domain-draft';
import type { LibvirtConnection, LibvirtDomain } from './libvirt-connector';
import type { SandboxBackend } from './sandbox-backend';

/** How the app ended: its exit code, or the signal that killed it. */
export type ExitStatus = ({ readonly code: number; readonly signal?: undefined } | { readonly code?: undefined; readonly signal: number }) & {
  /** The kernel's OOM killer ended the app: the sandbox's memory limit was reached (as far as the backend can tell). */
  readonly outOfMemory?: boolean;
};

/** What a transport tells the guest init (written into the guest config). */
export interface GuestChannel {
  /** Device or socket path the init opens for the stdio protocol. */
  readonly path: string;
  /** Host-side name of the device for the transport (e.g. the console devname 'console1'; for `kind: 'unix'`, the socket's host path). */
  readonly hostName?: string;
  /** `unix`: `path` is a unix socket the init connects to (guest config `channeltype=unix`); default: a device it opens. */
  readonly kind?: 'device' | 'unix';
  /** `hostName` names a `<channel>`, not a console. */
  readonly hostChannel?: boolean;
}

/**
 * Host-side resources a transport sets up after the state dir exists and before the domain starts
 * (e.g. the listening socket the guest init connects to). Core closes it when the run ends, on every path.
 */
export interface ChannelEndpoint {
  close(): void;
}

/** Host-side stdio of the app. */
export interface Stdio {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
}

/** Bytes a session relayed so far: host stdin to the app, the app's stdout and stderr to the host. */
export interface StdioBytes {
  /** null: the stream was handed to the app itself (socket-rpc's descriptor passing), nothing counted it. */
  readonly stdin: number | null;
  readonly stdout: number | null;
  readonly stderr: number | null;
}

/** A live connection to the guest init: the app's stdio flows while it is open. */
export interface ConsoleSession {
  /** What it relayed (`vsb run --record`); absent when the bytes do not pass through it. */
  readonly bytes?: StdioBytes;
  /** Resolves when the app has exited and all its output was written to the host's stdout/stderr. */
  readonly exit: Promise<ExitStatus>;
  /**
   * Resolves true once the guest said the app runs (its exec succeeded), false when the session
   * ended first: the app never ran (the init's setup failed, the command could not be executed).
   * What `vsb run --detach` waits for. Absent: the transport cannot tell (the app counts as
   * running once `attach` resolved).
   */
  readonly appStarted?: Promise<boolean>;
  /** Terminal size changed (tty mode). */
  resize(rows: number, cols: number): void;
  /** Forwards a signal number to the app. */
  signal(signo: number): void;
  /** Drops the connection without waiting for the app. */
  close(): void;
  /**
   * Resolves when the channel has ended (or was closed). After `exit` and QUIT this is the init's own
   * exit (a VM: it synced and powered off): the guest is done, about 240 ms before libvirt reports
   * the domain stopped on LXC and 1.4-2 s before it on QEMU.
   */
  readonly closed: Promise<void>;
}

/** Per-run options of {@link ConsoleTransport.attach}. */
export interface AttachOptions {
  /** The app runs on a pty: the host terminal is raw and its size is sent. */
  readonly tty: boolean;
  readonly rows?: number;
  readonly cols?: number;
  /** The channel `prepare` returned for this run (a transport keeps no per-run state itself). */
  readonly channel: GuestChannel;
  /** What `listen` returned for this run, when the transport has `listen`. */
  readonly endpoint?: ChannelEndpoint;
  /** Aborted when the domain stops before the transport is attached: nobody will ever answer. */
  readonly signal?: AbortSignal;
}

/** Carries the app's stdin/stdout/stderr and exit status between host and guest init. */
export interface ConsoleTransport {
  readonly id: string;
  /** True when this transport can serve this URI with this backend. Higher `priority` wins among those that can. */
  supports(uri: string, backendId: string): boolean;
  readonly priority: number;
  /** Adds the devices it needs to the draft, before the domain starts. */
  prepare(ctx: BuildContext, backend: SandboxBackend, draft: DomainDraft): GuestChannel;
  /** Optional host-side set-up once the state dir exists, before the domain starts; see {@link ChannelEndpoint}. */
  listen?(channel: GuestChannel): Promise<ChannelEndpoint>;
  /** Connects to the started domain and runs the protocol until the app exits. */
  attach(connection: LibvirtConnection, domain: LibvirtDomain, stdio: Stdio, options: AttachOptions): Promise<ConsoleSession>;
}
/** Token of {@link ConsoleTransport} (multi-registered). */
export const ConsoleTransport = createToken<ConsoleTransport>('ConsoleTransport');
