import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { firstBytes, SandboxError } from '@vsb/core';
import type { KernelSpec } from '@vsb/core';
import { exists } from './cache-file';

/** Where `npm run setup` unpacks Debian's linux-image-amd64 when the host has no usable kernel (scripts/lib/setup-lib.sh). */
const GUEST_KERNEL_ROOT = '/var/cache/vsb/guest-kernel';

/** A kernel a VM sandbox can boot: its image and the module directory of the same release. */
export interface KernelChoice {
  readonly version: string;
  readonly image: string;
  /** Directory holding modules.dep for this release. */
  readonly modules: string;
}

/** Directories searched for `boot/vmlinuz-V` + `lib/modules/V`: the host, then vsb's own guest kernel. */
const DEFAULT_ROOTS = ['/', GUEST_KERNEL_ROOT];

/**
 * The original's `--kernver/--kernpath/--kmodpath`, defaulting to the running kernel. Hosts that
 * boot a kernel without image or modules (containers, cloud VMs) get the newest kernel found that
 * has both, with a note; none at all is an error saying how to get one. Flags that point at
 * nothing are usage errors naming the flag.
 */
export async function chooseKernel(spec: KernelSpec = {}, notify: (line: string) => void, roots: readonly string[] = DEFAULT_ROOTS): Promise<KernelChoice> {
  const version = spec.version ?? (spec.image ? await imageVersion(spec.image) : undefined);
  if (version !== undefined) {
    const image = spec.image ?? (await firstExisting(roots.map((r) => path.join(r, 'boot', `vmlinuz-${version}`))));
    if (!image || !(await exists(image))) {
      if (spec.image) throw new SandboxError('VSB_USAGE', `--kernpath '${spec.image}': no such file`);
      const bootable = (await installedKernels(roots, spec.modules)).map((k) => k.version);
      const offer = bootable.length > 0 ? `kernels here: ${bootable.join(', ')}` : 'no kernel here has both an image and modules';
      throw new SandboxError('VSB_USAGE', `--kernver '${version}': no /boot/vmlinuz-${version} (${offer}; or give its image with --kernpath)`);
    }
    return { version, image, modules: await moduleDir(spec, version, roots) };
  }
  const running = os.release();
  const found = await installedKernels(roots, spec.modules);
  const chosen = found.find((k) => k.version === running) ?? found[0];
  if (!chosen && spec.modules) {
    throw new SandboxError('VSB_USAGE', `--kmodpath '${spec.modules}': no modules.dep there for any kernel with an image (name one with --kernver)`);
  }
  if (!chosen) {
    throw new SandboxError('VSB_NO_KERNEL', `no kernel to boot: the running kernel ${running} has no image in /boot or no modules in /lib/modules`, [
      "install one with: npm run setup (it unpacks Debian's linux-image-amd64 into " + GUEST_KERNEL_ROOT + ')',
      'or name one with --kernver, --kernpath and --kmodpath',
    ]);
  }
  if (chosen.version !== running) notify(`the running kernel ${running} has no image or modules here; booting ${chosen.version} (${chosen.image})`);
  return chosen;
}

/** Every release with both an image and modules.dep under the roots, newest first: the `--kernver` candidates. */
export async function installedKernels(roots: readonly string[] = DEFAULT_ROOTS, modulesFlag?: string): Promise<KernelChoice[]> {
  const found: KernelChoice[] = [];
  for (const root of roots) {
    const names = await fs.readdir(path.join(root, 'boot')).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.startsWith('vmlinuz-'))) {
      const version = name.slice('vmlinuz-'.length);
      const modules = await moduleDir({ modules: modulesFlag }, version, roots).catch(() => undefined);
      if (modules && !found.some((k) => k.version === version)) found.push({ version, image: path.join(root, 'boot', name), modules });
    }
  }
  return found.sort((a, b) => compareVersions(b.version, a.version));
}

/** `--kmodpath` may be /lib/modules (the original's meaning) or the release's own directory. */
async function moduleDir(spec: KernelSpec, version: string, roots: readonly string[]): Promise<string> {
  const candidates = spec.modules ? [spec.modules, path.join(spec.modules, version)] : roots.map((r) => path.join(r, 'lib', 'modules', version));
  const dir = await firstExisting(candidates.map((c) => path.join(c, 'modules.dep')));
  if (dir) return path.dirname(dir);
  if (spec.modules) throw new SandboxError('VSB_USAGE', `--kmodpath '${spec.modules}': no modules.dep for kernel ${version} there`);
  throw new SandboxError('VSB_USAGE', `--kernver '${version}': no modules in /lib/modules/${version} (give their directory with --kmodpath)`);
}

async function firstExisting(paths: readonly string[]): Promise<string | undefined> {
  for (const p of paths) if (await exists(p)) return p;
  return undefined;
}

/** The release string an x86 bzImage carries in its setup header (`kernel_version` at 0x20E), as `file` shows it. */
async function imageVersion(image: string): Promise<string> {
  const head = await firstBytes(image, 0x8000).catch(() => {
    throw new SandboxError('VSB_USAGE', `--kernpath '${image}': no such file`);
  });
  const pointer = head.length > 0x210 && head.toString('latin1', 0x202, 0x206) === 'HdrS' ? head.readUInt16LE(0x20e) : 0;
  const start = pointer + 0x200;
  const text = pointer > 0 && start < head.length ? head.toString('latin1', start, head.indexOf(0, start)) : '';
  const version = text.split(' ')[0];
  if (!version) throw new SandboxError('VSB_USAGE', `--kernpath '${image}': cannot tell its kernel release; give it with --kernver`);
  return version;
}

/** Orders releases like `sort -V`: numeric runs as numbers, the rest as text. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => v.split(/(\d+)/).filter(Boolean);
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    const d = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (d !== 0) return d;
  }
  return 0;
}
