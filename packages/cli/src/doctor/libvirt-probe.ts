import type { GuestCapability, LibvirtConnection, LibvirtConnector, SecurityCapability } from '@vsb/core';

/** What one libvirt URI answered: its version, guests and security models, or why it did not. */
export interface LibvirtProbe {
  readonly uri: string;
  readonly error?: string;
  /** e.g. '9.0.0'. */
  readonly version?: string;
  readonly guests: readonly GuestCapability[];
  readonly security: readonly SecurityCapability[];
  /** Names of the running domains. */
  readonly domains: readonly string[];
}

/**
 * Asks libvirtd at `uri` through vsb's own binding (the same connection a run opens) for what the
 * checks need, then closes the connection; nothing is created.
 */
export async function probeLibvirt(connector: LibvirtConnector, uri: string): Promise<LibvirtProbe> {
  const { capabilitiesOf } = await import('@vsb/core');
  let connection: LibvirtConnection;
  try {
    connection = await connector.open(uri);
  } catch (err) {
    return { uri, error: (err as Error).message.split('\n')[0], guests: [], security: [], domains: [] };
  }
  try {
    const [version, xml, domains] = await Promise.all([connection.version(), connection.capabilities(), connection.listDomains()]);
    const { guests, security } = capabilitiesOf(xml);
    return { uri, version: versionString(version), guests, security, domains };
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** libvirt's 9000000 as '9.0.0'. */
function versionString(v: number): string {
  return `${Math.floor(v / 1e6)}.${Math.floor(v / 1e3) % 1e3}.${v % 1e3}`;
}
