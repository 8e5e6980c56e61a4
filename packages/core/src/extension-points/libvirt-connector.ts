import { createToken } from './token';
import type { Duplex } from 'node:stream';

/** Lifecycle event names, as libvirt's `virDomainEventType`. */
export type LifecycleEventName = 'defined' | 'undefined' | 'started' | 'suspended' | 'resumed' | 'stopped' | 'shutdown' | 'pmsuspended' | 'crashed';

/** One lifecycle event of a domain; `detail` is libvirt's detail name in lower case (e.g. 'shutdown', 'destroyed', 'failed', 'crashed'). */
export interface LifecycleEvent {
  readonly domain: string;
  readonly uuid: string;
  readonly event: LifecycleEventName;
  readonly detail: string;
}

/** Domain states, as libvirt's `virDomainState`. */
export type DomainStateName = 'nostate' | 'running' | 'blocked' | 'paused' | 'shutdown' | 'shutoff' | 'crashed' | 'pmsuspended';

/** A libvirt domain handle. */
export interface LibvirtDomain {
  readonly name: string;
  readonly uuid: string;
  destroy(): Promise<void>;
  state(): Promise<DomainStateName>;
  xmlDesc(): Promise<string>;
  /**
   * Opens a console (`devname` e.g. 'console1', or the first one) as a byte stream with backpressure;
   * it ends when the domain's console closes.
   */
  openConsole(devname?: string): Promise<Duplex>;
  /**
   * Opens a `<channel>` by its target name or alias, as a byte stream like `openConsole`. QEMU's
   * virtio consoles drop what the host does not read at once; its virtio-serial channels hold the
   * guest back instead, which a protocol stream needs.
   */
  openChannel(name: string): Promise<Duplex>;
}

/** A libvirt virtual network as vsb needs it: whether it runs, and its definition (bridge, addresses, DHCP). */
export interface LibvirtNetwork {
  readonly active: boolean;
  /** virNetworkGetXMLDesc of the live network. */
  readonly xml: string;
}

/** An open connection to libvirtd (any URI libvirt supports: local, ssh, tls ...). */
export interface LibvirtConnection {
  readonly uri: string;
  /** libvirt's version as the daemon at the other end reports it (virConnectGetLibVersion), e.g. 9000000. */
  version(): Promise<number>;
  capabilities(): Promise<string>;
  /** Names of running domains. */
  listDomains(): Promise<string[]>;
  /** Starts a transient domain; `autodestroy` ties its life to this connection (VIR_DOMAIN_START_AUTODESTROY). */
  createXML(xml: string, options?: { autodestroy?: boolean }): Promise<LibvirtDomain>;
  /** Resolves null when no domain has that name. */
  lookupByName(name: string): Promise<LibvirtDomain | null>;
  /** A virtual network by name (`--network source=`); null when none has that name. */
  lookupNetwork(name: string): Promise<LibvirtNetwork | null>;
  /** Whether a network filter (nwfilter, `--network filter=`) of that name is defined. */
  nwfilterExists(name: string): Promise<boolean>;
  /** Subscribes to lifecycle events of every domain of this connection; returns the unsubscribe function. */
  onLifecycle(listener: (event: LifecycleEvent) => void): () => void;
  /** Its storage pools and volumes; absent where the connection cannot stage files (a remote run needs them). */
  readonly storage?: LibvirtStorage;
  close(): Promise<void>;
}

/**
 * Storage pools and volumes of a connection: how a run on a remote libvirt host puts there the
 * files its domain references (the init, the guest config, a VM's kernel and initrd).
 */
export interface LibvirtStorage {
  /** Names of every storage pool, active or not. */
  listPools(): Promise<string[]>;
  /** Defines, builds (makes its directory) and starts a pool (virStoragePoolDefineXML, Build, Create). */
  definePool(xml: string): Promise<void>;
  /** Deletes the pool's volumes, stops it, removes its directory and undefines it; false when there is none. */
  removePool(name: string): Promise<boolean>;
  /** Creates a volume in `pool` and uploads the local `file` into it (none: nothing to upload); resolves the volume's path there. */
  createVolume(pool: string, xml: string, file?: string): Promise<string>;
  /**
   * Deletes the entries `names` of a directory there through a transient pool made from `poolXml`
   * and destroyed after (the directory itself stays); resolves the entries the pool still lists.
   */
  cleanDir(poolXml: string, names: readonly string[]): Promise<string[]>;
  /** Stops a transient pool (deletes nothing); none of that name is no error. */
  destroyPool(name: string): Promise<void>;
}

/** The single seam through which vsb reaches libvirt; implemented by @vsb/libvirt, faked in unit tests. */
export interface LibvirtConnector {
  open(uri: string): Promise<LibvirtConnection>;
}
/** Token of {@link LibvirtConnector}. */
export const LibvirtConnector = createToken<LibvirtConnector>('LibvirtConnector');
