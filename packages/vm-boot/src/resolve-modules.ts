import fs from 'node:fs/promises';
import path from 'node:path';
import { SandboxError } from '@vsb/core';

/** A module to load, as a path relative to the kernel's module directory. */
export type ModulePath = string;

/** `ext4.ko`, `9pnet_virtio.ko.xz` -> `ext4`, `9pnet_virtio` (modprobe treats `-` and `_` alike). */
export function moduleName(file: string): string {
  return path
    .basename(file)
    .replace(/\.ko(\.[a-z0-9]+)?$/, '')
    .replace(/-/g, '_');
}

/**
 * The modules to load for `wanted` (names), dependencies first, from the kernel's own modules.dep:
 * never a fixed list, since which drivers are modules and what they need changes between kernels
 * (Debian's 6.1 needs netfs, virtio_pci_modern_dev and virtio_pci_legacy_dev, which the original's
 * list lacked). Built-in drivers need nothing. `optional` names are skipped when the kernel lacks them.
 */
export async function resolveModules(moduleDir: string, wanted: readonly string[], optional: readonly string[] = []): Promise<ModulePath[]> {
  const depText = await fs.readFile(path.join(moduleDir, 'modules.dep'), 'utf8').catch(() => {
    throw new SandboxError('VSB_NO_KERNEL', `no modules.dep in ${moduleDir} (run: depmod -b ROOT VERSION)`);
  });
  const [builtinText, softdepText, aliasText] = await Promise.all(
    ['modules.builtin', 'modules.softdep', 'modules.alias'].map((f) => fs.readFile(path.join(moduleDir, f), 'utf8').catch(() => '')),
  );
  const builtin = new Set(builtinText!.split('\n').filter(Boolean).map(moduleName));
  const deps = new Map<string, ModulePath[]>();
  const byName = new Map<string, ModulePath>();
  for (const line of depText.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const file = line.slice(0, colon);
    deps.set(
      file,
      line
        .slice(colon + 1)
        .trim()
        .split(/\s+/)
        .filter(Boolean),
    );
    byName.set(moduleName(file), file);
  }
  // Soft dependencies are what a module loads at run time by name (ext4 asks the crypto API for
  // crc32c): no init in the guest could modprobe them, so they travel with it.
  const preSoftdeps = new Map<string, string[]>();
  for (const m of softdepText!.matchAll(/^softdep (\S+) pre: ([^\n]*?)(?: post:.*)?$/gm))
    preSoftdeps.set(moduleName(m[1]!), m[2]!.split(/\s+/).filter(Boolean));
  // Only the aliases a soft dependency names are ever looked up: matching just those lines keeps the
  // ~1 MB modules.alias from costing ~30 ms of every VM's start (about 1 ms this way).
  const softNames = [...new Set([...preSoftdeps.values()].flat())];
  const aliases = new Map<string, string[]>();
  const aliasLine = new RegExp(`^alias (${softNames.map(escapeRegExp).join('|')}) (\\S+)$`, 'gm');
  if (softNames.length > 0) for (const m of aliasText!.matchAll(aliasLine)) aliases.set(m[1]!, [...(aliases.get(m[1]!) ?? []), m[2]!]);
  const order: ModulePath[] = [];
  const visit = (file: ModulePath): void => {
    if (order.includes(file)) return;
    // Every candidate of an alias: the CPU-specific one (crc32c_intel) fails with ENODEV under TCG, which stage 1 accepts.
    for (const soft of preSoftdeps.get(moduleName(file)) ?? []) {
      for (const name of aliases.get(soft) ?? [soft]) {
        const dep = byName.get(moduleName(name));
        if (dep) visit(dep);
      }
    }
    // Post-order: a module after everything it needs (modules.dep has no cycles).
    for (const dep of deps.get(file) ?? []) visit(dep);
    order.push(file);
  };
  for (const name of [...wanted, ...optional]) {
    const key = name.replace(/-/g, '_');
    const file = byName.get(key);
    if (file) visit(file);
    else if (!builtin.has(key) && wanted.includes(name)) {
      throw new SandboxError('VSB_NO_KERNEL', `the kernel in ${moduleDir} has no module '${name}', which a VM sandbox needs`);
    }
  }
  return order;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
