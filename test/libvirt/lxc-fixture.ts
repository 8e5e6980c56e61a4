import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { DomainDraft, removeLibvirtLeftovers, toDomainXml } from '@vsb/core';
import type { LibvirtConnection, LibvirtDomain, LifecycleEvent } from '@vsb/core';
import { LibvirtNativeConnector } from '@vsb/libvirt';

/** The libvirt URI of the tests: the real local LXC driver, never a mock. */
export const LXC_URI = 'lxc:///';

/** Prefix of every domain these tests create; the suite checks none is left behind. */
export const TEST_PREFIX = 'vsb-test-';

let counter = 0;

/** A domain name unique across parallel runs (pid) and within one (counter). */
export function uniqueName(label: string): string {
  counter += 1;
  return `${TEST_PREFIX}${label}-${process.pid}-${counter}`;
}

/**
 * An LXC domain whose init is `/bin/sh -c script`, with the host's `/` bound read-only, a
 * private network and one pty console (the init's stdin/stdout). Built with core's serializer.
 */
export function lxcShellDomainXml(name: string, script: string): string {
  const draft = new DomainDraft();
  draft.type = 'lxc';
  draft.name = name;
  draft.memoryKiB = 128 * 1024;
  draft.os = { type: 'exe', init: '/bin/sh', initarg: [{ '#text': '-c' }, { '#text': script }] };
  draft.features.privnet = '';
  draft.addDevice('filesystem', { '@_type': 'mount', source: { '@_dir': '/' }, target: { '@_dir': '/' }, readonly: '' });
  draft.addDevice('console', { '@_type': 'pty' });
  return toDomainXml(draft);
}

/**
 * Opens the real libvirtd or fails with a message saying how to start it: these tests must fail,
 * never skip, when libvirt is not there.
 */
export async function openLxc(): Promise<LibvirtConnection> {
  try {
    return await new LibvirtNativeConnector().open(LXC_URI);
  } catch (e) {
    throw new Error(`libvirtd unreachable at ${LXC_URI} (run \`npm run setup\` as root): ${(e as Error).message}`);
  }
}

/** Rejects after `ms` with `label`, so a lost event fails the test with a clear reason. */
export function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves with the first lifecycle event of `domain` that is `event`; subscribe before creating it. */
export function nextEvent(conn: LibvirtConnection, domain: string, event: LifecycleEvent['event']): Promise<LifecycleEvent> {
  return new Promise((resolve) => {
    const off = conn.onLifecycle((e) => {
      if (e.domain === domain && e.event === event) {
        off();
        resolve(e);
      }
    });
  });
}

/** Collects a readable stream until it ends. */
export function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
  });
}

/**
 * Remembers the domains a test creates and destroys whichever still runs, on its own connection,
 * so cleanup works even when the test's connection is broken or closed.
 */
export class DomainJanitor {
  private readonly names = new Set<string>();

  add(name: string): string {
    this.names.add(name);
    return name;
  }

  async cleanup(): Promise<void> {
    if (this.names.size === 0) return;
    const conn = await openLxc();
    try {
      for (const name of this.names) {
        const dom: LibvirtDomain | null = await conn.lookupByName(name);
        if (dom !== null)
          await dom.destroy().catch(() => {
            /* it may stop by itself meanwhile */
          });
      }
      // Made without vsb: no watchdog removes what libvirt leaves of them on the host.
      await removeLibvirtLeftovers(this.names);
      this.names.clear();
    } finally {
      await conn.close();
    }
  }
}

/** Names of every LXC domain (running or defined) as virsh sees them: an independent check. */
export function virshAllDomains(): string[] {
  const out = execFileSync('virsh', ['-c', LXC_URI, 'list', '--all', '--name'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Open file descriptors of this process, as `fd -> target` (e.g. `27 -> socket:[1234]`). */
export function openFds(): string[] {
  return readdirSync('/proc/self/fd').map((fd) => {
    try {
      return `${fd} -> ${readlinkSync(`/proc/self/fd/${fd}`)}`;
    } catch {
      return `${fd} -> (gone)`; // the fd of readdir itself
    }
  });
}

/**
 * Installs the hooks every LXC suite needs: one connection for the suite, its domains cleaned after
 * each test, and a check that none of this process's test domains is left at the end.
 */
export function useLxcConnection(): { readonly conn: LibvirtConnection; readonly janitor: DomainJanitor } {
  const janitor = new DomainJanitor();
  let conn: LibvirtConnection | undefined;
  before(async () => {
    conn = await openLxc();
  });
  afterEach(async () => {
    await janitor.cleanup();
  });
  after(async () => {
    await conn?.close();
    const left = virshAllDomains().filter((n) => n.startsWith(TEST_PREFIX) && n.includes(`-${process.pid}-`));
    assert.deepEqual(left, [], 'domains left behind by this suite');
  });
  return {
    get conn(): LibvirtConnection {
      if (!conn) throw new Error('the suite has no connection yet');
      return conn;
    },
    janitor,
  };
}
