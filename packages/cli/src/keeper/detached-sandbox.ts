import fs from 'node:fs';
import path from 'node:path';
import { isAlive, quoteValue, SandboxError, stateRoot } from '@vsb/core';
import { readKeeperMetadata, type KeeperMetadata } from './keeper-metadata';

/** A detached sandbox of the caller whose keeper is alive. */
export interface DetachedSandbox {
  readonly stateDir: string;
  readonly metadata: KeeperMetadata;
}

/** What {@link findDetached} and {@link listDetached} read of the host (a seam for unit tests). */
export interface HostView {
  /** The caller's state root (core's stateRoot). */
  readonly root: string;
  readonly uid: number;
  readonly isAlive: (pid: number) => boolean;
}

/** The caller's state root, uid and the live processes. */
export function hostView(): HostView {
  return { root: stateRoot(), uid: process.getuid?.() ?? 0, isAlive };
}

/**
 * The detached sandbox NAME of the caller (`vsb logs`, `vsb stop`), or a one-line error (exit 1,
 * as for a name already in use): no such sandbox, another user's, or one a foreground `vsb run`
 * holds. A name that is not a sandbox name cannot exist and gets the first.
 */
export function findDetached(name: string, host: HostView = hostView()): DetachedSandbox {
  const missing = new SandboxError('VSB_NO_SANDBOX', `no sandbox named ${quoteValue(name)} is running (vsb ps lists yours)`);
  if (!/^[A-Za-z0-9-]{1,63}$/.test(name)) throw missing;
  const stateDir = path.join(host.root, name);
  const owner = ownerOf(stateDir);
  if (owner === undefined) throw missing;
  if (owner !== host.uid) throw new SandboxError('VSB_NO_SANDBOX', `the sandbox ${quoteValue(name)} is not yours (its owner is uid ${owner})`);
  const metadata = readKeeperMetadata(stateDir);
  if (!metadata)
    throw new SandboxError(
      'VSB_NO_SANDBOX',
      `the sandbox ${quoteValue(name)} has no keeper: a vsb run without --detach holds it (end that), or it is still starting`,
    );
  if (!host.isAlive(metadata.pid)) throw missing;
  return { stateDir, metadata };
}

/** The caller's detached sandboxes with a live keeper (`vsb ps`), by name. */
export function listDetached(host: HostView = hostView()): DetachedSandbox[] {
  let names: string[];
  try {
    names = fs.readdirSync(host.root).sort();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const stateDir = path.join(host.root, name);
    const metadata = ownerOf(stateDir) === host.uid ? readKeeperMetadata(stateDir) : undefined;
    return metadata && host.isAlive(metadata.pid) ? [{ stateDir, metadata }] : [];
  });
}

/** The uid owning a state dir, undefined when there is none. */
function ownerOf(stateDir: string): number | undefined {
  try {
    return fs.statSync(stateDir).uid;
  } catch {
    return undefined;
  }
}
