import * as path from 'node:path';
import { LibvirtError } from './libvirt-error';

/** The addon's connection handle (native/connection.cc). */
export interface NativeConnectionHandle {
  version(): Promise<number>;
  capabilities(): Promise<string>;
  listDomains(): Promise<string[]>;
  createXML(xml: string, flags: number): Promise<NativeDomainHandle>;
  lookupByName(name: string): Promise<NativeDomainHandle | null>;
  /** virNetworkLookupByName + IsActive + GetXMLDesc; null when no network has that name. */
  lookupNetwork(name: string): Promise<{ active: boolean; xml: string } | null>;
  /** virNWFilterLookupByName: whether a network filter of that name is defined. */
  nwfilterExists(name: string): Promise<boolean>;
  /** virConnectListAllStoragePools: every pool's name. */
  listPools(): Promise<string[]>;
  /** virStoragePoolDefineXML + Build + Create (undone when a step fails). */
  definePool(xml: string): Promise<void>;
  /** Refresh, delete every volume, Destroy, Delete, Undefine; false when no pool has that name. */
  removePool(name: string): Promise<boolean>;
  /** virStorageVolCreateXML, then virStorageVolUpload of `file` over a stream; resolves virStorageVolGetPath. */
  createVolume(pool: string, xml: string, file: string | null): Promise<string>;
  /**
   * A transient dir pool from `poolXml` (never built), its volumes `names` deleted where they are,
   * then destroyed (the directory stays); resolves the names of the volumes left in it.
   */
  cleanDir(poolXml: string, names: readonly string[]): Promise<string[]>;
  /** virStoragePoolDestroy of a transient pool (nothing deleted); absent is no error. */
  destroyPool(name: string): Promise<void>;
  /** Whether pending lifecycle events keep Node's event loop alive. */
  setEventsRef(on: boolean): void;
  close(): Promise<void>;
}

/** The addon's domain handle (native/domain.cc). */
export interface NativeDomainHandle {
  readonly name: string;
  readonly uuid: string;
  destroy(): Promise<void>;
  state(): Promise<number>;
  xmlDesc(flags?: number): Promise<string>;
  /** `channel`: open a `<channel>` (virDomainOpenChannel) instead of a console, serial or parallel port. */
  openConsole(devname: string | undefined, onEvent: (events: number) => void, channel?: boolean): Promise<NativeStreamHandle>;
}

/** The addon's non-blocking console stream (native/console-stream.cc). */
export interface NativeStreamHandle {
  /** Bytes read into `buf` from `offset`; 0 at end of stream; -2 when nothing is there yet (readiness re-armed). */
  recv(buf: Uint8Array, offset?: number): number;
  /**
   * Sends `buf` on the stream's own writer thread (virStreamSend blocks while the guest does not
   * read); resolves once libvirt has written it, so awaiting it is the write backpressure.
   */
  send(buf: Uint8Array): Promise<number>;
  /** Whether pending stream events keep Node's event loop alive. */
  setRef(on: boolean): void;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/** The addon's exports. */
export interface NativeBinding {
  open(uri: string, onLifecycle: (name: string, uuid: string, event: number, detail: number) => void): Promise<NativeConnectionHandle>;
  setErrorConstructor(ctor: typeof LibvirtError): void;
  /** Version of the libvirt library loaded in this process (major * 1e6 + minor * 1e3 + release). */
  libraryVersion(): number;
}

let binding: NativeBinding | undefined;

/**
 * Loads the addon on first use, not at import: importing @vsb/libvirt (e.g. to register the
 * plugin, or in unit tests with a fake connector) must not load libvirt nor start its event thread.
 */
export function loadNativeBinding(): NativeBinding {
  if (binding === undefined) {
    // From the package's root, not __dirname: the CLI may run this file bundled into its own.
    const file = path.join(path.dirname(require.resolve('@vsb/libvirt/package.json')), 'build', 'Release', 'vsb_libvirt.node');
    let loaded: NativeBinding;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(file) as NativeBinding;
    } catch (e) {
      throw new Error(`@vsb/libvirt: cannot load the native addon ${file} (run \`npm run build\`): ${(e as Error).message}`);
    }
    loaded.setErrorConstructor(LibvirtError);
    binding = loaded;
  }
  return binding;
}
