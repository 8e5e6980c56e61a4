import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import type { Stats } from 'node:fs';
import type { DiskSpec, HostBindMount, HostImageMount, IncludeSpec, SandboxConfig } from '../sandbox-config';
import { SandboxError } from '../sandbox-error';
import { quoteValue } from '../options/option-error';
import { includeOrigin } from '../options/check-includes';
import { firstBytes } from './first-bytes';
import { uncopyableKind } from './file-kind';

/** First bytes of every qcow2 image ("QFI\xfb"). */
const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);

/**
 * The host-side checks of a config, kept apart from the pure option parsers because they read the
 * disk: every host-bind source is an existing directory, every image an existing file holding a
 * filesystem (raw: `blkid -p` finds one; qcow2: the qcow2 magic, since its content needs a
 * device to be seen), every include source exists. Run before any domain is created, so a typo is
 * a one-line usage error naming the option instead of a libvirt failure half-way through a start.
 */
export async function checkHostSources(config: SandboxConfig): Promise<void> {
  for (const mount of config.mounts) {
    if (mount.type === 'host-bind' && mount.source !== '') await checkBindSource(mount);
    if (mount.type === 'host-image') await checkImage(mount);
  }
  await checkDiskImages(config.disks);
  for (const include of config.includes) {
    const st = await fs.lstat(include.host).catch(() => undefined);
    if (!st) throw includeError(include, `host path ${quoteValue(include.host)} does not exist`);
    const kind = uncopyableKind(st);
    if (kind) throw includeError(include, `host path ${quoteValue(include.host)} is ${kind}; only regular files, directories and symlinks are copied`);
  }
}

/** The option a mount came from, as the user typed it (near enough): `--mount 'host-bind:/a=/b,ro'`. */
export function mountOrigin(mount: HostBindMount | HostImageMount): string {
  if (mount.type === 'host-bind') return mount.origin ?? `--mount ${quoteValue(`host-bind:${mount.target}=${mount.source}${mount.readonly ? ',ro' : ''}`)}`;
  return `--mount ${quoteValue(`host-image:${mount.target}=${mount.source}${mount.format === 'qcow2' ? ',format=qcow2' : ''}`)}`;
}

async function checkBindSource(mount: HostBindMount): Promise<void> {
  const st = await statOf(mount.source);
  const bad = (problem: string) => new SandboxError('VSB_BAD_MOUNT', `${mountOrigin(mount)}: ${problem}`);
  if (!st) throw bad(`source ${quoteValue(mount.source)} does not exist${await optionHint(mount.source, 'ro, relabel=yes|no')}`);
  if (!st.isDirectory()) throw bad(`source ${quoteValue(mount.source)} is not a directory (an image file goes in host-image:${mount.target}=${mount.source})`);
}

async function checkImage(mount: HostImageMount): Promise<void> {
  const st = await statOf(mount.source);
  const bad = (problem: string) => new SandboxError('VSB_BAD_MOUNT', `${mountOrigin(mount)}: image file ${quoteValue(mount.source)} ${problem}`);
  if (!st) throw bad(`does not exist${await optionHint(mount.source, 'format=raw|qcow2, relabel=yes|no')}`);
  if (st.isDirectory()) throw bad(`is a directory (a directory goes in host-bind:${mount.target}=${mount.source})`);
  const isQcow2 = (await firstBytes(mount.source, QCOW2_MAGIC.length)).equals(QCOW2_MAGIC);
  if (mount.format === 'qcow2') {
    if (!isQcow2) throw bad('is not a qcow2 image (leave out format=qcow2 for a raw image)');
    if (!(await nbdAvailable())) {
      throw new SandboxError(
        'VSB_BAD_MOUNT',
        `${mountOrigin(mount)}: qcow2 images are attached with qemu-nbd, and this host's kernel has no nbd module (convert the image: qemu-img convert -O raw)`,
      );
    }
    return;
  }
  if (isQcow2) throw bad('is a qcow2 image (add ,format=qcow2)');
  if (!(await blkidType(mount.source))) throw bad('holds no filesystem (make one first, e.g. mkfs.ext4 FILE)');
}

/** Each `--disk` image exists and is a file of the format given (that no image is given twice is checkImagesOnce's). */
async function checkDiskImages(disks: readonly DiskSpec[]): Promise<void> {
  for (const disk of disks) {
    const option = `--disk ${quoteValue(`file:${disk.tag}=${disk.source}${disk.format === 'qcow2' ? ',format=qcow2' : ''}`)}`;
    const st = await statOf(disk.source);
    if (!st) throw new SandboxError('VSB_BAD_DISK', `${option}: image file ${quoteValue(disk.source)} does not exist`);
    if (!st.isFile()) throw new SandboxError('VSB_BAD_DISK', `${option}: ${quoteValue(disk.source)} is not a regular file`);
    const isQcow2 = (await firstBytes(disk.source, QCOW2_MAGIC.length)).equals(QCOW2_MAGIC);
    if (isQcow2 !== (disk.format === 'qcow2')) {
      throw new SandboxError(
        'VSB_BAD_DISK',
        `${option}: ${isQcow2 ? 'is a qcow2 image (add ,format=qcow2)' : 'is not a qcow2 image (leave out format=qcow2 for a raw image)'}`,
      );
    }
  }
}

/** True when the nbd driver is loaded or loadable (libvirt loads it), else libvirt_lxc fails after the domain was created; `vsb doctor` reports it. */
export async function nbdAvailable(): Promise<boolean> {
  if (await statOf('/sys/module/nbd')) return true;
  const deps = await fs.readFile(`/lib/modules/${os.release()}/modules.dep`, 'utf8').catch(() => '');
  return /(^|\/)nbd\.ko/m.test(deps);
}

/** The filesystem type `blkid -p` (probing the content, no cache) finds in a file, or '' when none. */
function blkidType(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('blkid', ['-p', '-o', 'value', '-s', 'TYPE', file], (err, stdout) => {
      // blkid exits 2 when it finds nothing.
      if (err && err.code !== 2) reject(new SandboxError('VSB_INTERNAL', `cannot probe ${quoteValue(file)} with blkid: ${err.message.split('\n')[0]}`));
      else resolve(err ? '' : stdout.trim());
    });
  });
}

/**
 * For a source that does not exist but would without what follows its last comma
 * (`host-bind:/d=DIR,rw`): that was meant as an option, and the message lists the real ones
 * instead of only saying that 'DIR,rw' does not exist.
 */
async function optionHint(source: string, options: string): Promise<string> {
  const comma = source.lastIndexOf(',');
  if (comma < 0 || !(await statOf(source.slice(0, comma)))) return '';
  return `; ${quoteValue(source.slice(comma + 1))} is not one of its options (${options})`;
}

function statOf(p: string): Promise<Stats | undefined> {
  return fs.stat(p).catch(() => undefined);
}

function includeError(include: IncludeSpec, problem: string): SandboxError {
  return new SandboxError('VSB_BAD_INCLUDE', `${includeOrigin(include)}: ${problem}`);
}
