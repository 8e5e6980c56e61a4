import fs from 'node:fs/promises';
import path from 'node:path';
import type { CheckResult } from './doctor-check';
import type { LibvirtProbe } from './libvirt-probe';

/** Per-domain files libvirt leaves behind (`NAME.dev`, `NAME.log` ...), by directory. */
const LIBVIRT_RUN_DIRS = ['/run/libvirt/lxc', '/run/libvirt/qemu'];
const LIBVIRT_LOG_DIRS = ['/var/log/libvirt/lxc', '/var/log/libvirt/qemu'];

/** Entries of `dir` named after a `vsb-*` domain that is not running (`vsb-x.dev` -> `vsb-x`). */
async function endedEntries(dir: string, running: ReadonlySet<string>): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith('vsb-') && !running.has(n.replace(/\.[^.]+$/, ''))).map((n) => path.join(dir, n));
}

/**
 * What earlier runs left on this host, listed and never removed: state dirs whose vsb died,
 * `vsb-*` domains running with no state dir (their vsb is gone), libvirt's per-domain files and
 * logs of ended domains, half-written cache files.
 */
export async function leftoverCheck(probes: readonly LibvirtProbe[]): Promise<CheckResult> {
  const { stateRoot, staleStateDirs } = await import('@vsb/core');
  const { cacheRoot } = await import('@vsb/vm-boot');
  const root = stateRoot();
  const running = new Set(probes.flatMap((p) => p.domains));
  const stateDirs = new Set(await fs.readdir(root).catch(() => [] as string[]));
  const stale = await staleStateDirs(root);
  const orphans = [...running].filter((n) => n.startsWith('vsb-') && !stateDirs.has(n));
  const runFiles = (await Promise.all(LIBVIRT_RUN_DIRS.map((d) => endedEntries(d, running)))).flat();
  const logs = (await Promise.all(LIBVIRT_LOG_DIRS.map((d) => endedEntries(d, running)))).flat();
  const cache = cacheRoot();
  const partial = (await fs.readdir(cache).catch(() => [] as string[])).filter((n) => n.includes('.tmp-')).map((n) => path.join(cache, n));
  const found = [
    stale.length && `${stale.length} state dir(s) of dead runs in ${root}`,
    orphans.length && `${orphans.length} vsb domain(s) running without their vsb (${orphans.slice(0, 3).join(', ')}${orphans.length > 3 ? ' ...' : ''})`,
    runFiles.length && `${runFiles.length} libvirt file(s) of ended domains in ${LIBVIRT_RUN_DIRS.join(', ')}`,
    logs.length && `${logs.length} log(s) of ended domains in ${LIBVIRT_LOG_DIRS.join(', ')}`,
    partial.length && `${partial.length} half-written file(s) in ${cache}`,
  ].filter(Boolean);
  if (found.length === 0) return { id: 'leftovers', status: 'ok', message: 'nothing left by earlier runs' };
  const fixes = [
    orphans.length && 'virsh destroy NAME for each domain named',
    (stale.length || runFiles.length || logs.length || partial.length) && `rm -rf the listed entries (vsb doctor --json names them)`,
  ].filter(Boolean);
  return {
    id: 'leftovers',
    status: 'warn',
    message: found.join('; '),
    fix: fixes.join('; '),
    details: { paths: [...stale, ...runFiles, ...logs, ...partial], domains: orphans },
  };
}
