import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { firstBytes, SandboxError } from '@vsb/core';
import { cacheFile, exists, writeAtomically } from './cache-file';

/** Compression of a bzImage payload by its magic bytes, and the command that undoes it (gzip is zlib's). */
const FORMATS: ReadonlyArray<{ magic: Buffer; name: string; command?: readonly string[] }> = [
  { magic: Buffer.from([0x1f, 0x8b]), name: 'gzip' },
  { magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), name: 'xz', command: ['xz', '-dc'] },
  { magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), name: 'zstd', command: ['zstd', '-dcq'] },
  { magic: Buffer.from([0x02, 0x21, 0x4c, 0x18]), name: 'lz4', command: ['lz4', '-dcq'] },
  { magic: Buffer.from('BZh'), name: 'bzip2', command: ['bzip2', '-dc'] },
  { magic: Buffer.from([0x5d, 0x00, 0x00]), name: 'lzma', command: ['xz', '--format=lzma', '-dc'] },
  { magic: Buffer.from([0x89, 0x4c, 0x5a, 0x4f]), name: 'lzo', command: ['lzop', '-dc'] },
];

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/**
 * The uncompressed ELF `vmlinux` of a kernel image, made once per image and cached: QEMU boots it
 * through its PVH entry, which skips the in-guest decompression of the bzImage (about 3.5 s of xz
 * under TCG here). An image that already is an ELF is used as it is.
 */
export async function extractVmlinux(image: string, version: string, cacheDir: string): Promise<string> {
  const head = await firstBytes(image, 4).catch((err: NodeJS.ErrnoException) => {
    throw new SandboxError('VSB_NO_KERNEL', `cannot read kernel image ${image}: ${err.code ?? err.message}`);
  });
  if (head.equals(ELF)) return image;
  const stat = await fs.stat(image);
  const target = await cacheFile(cacheDir, `vmlinux-${version}`, [image, stat.size, stat.mtimeMs], [__filename]);
  if (await exists(target)) return target;
  const payload = bzImagePayload(await fs.readFile(image), image);
  const format = FORMATS.find((f) => payload.subarray(0, f.magic.length).equals(f.magic));
  if (!format) throw new SandboxError('VSB_NO_KERNEL', `kernel image ${image}: unknown compression of its payload`);
  // zlib only here, on a cache miss: loading it costs every `vsb run` (LXC too) ~10 ms otherwise.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const gunzip = (): Promise<Buffer> => promisify((require('node:zlib') as typeof import('node:zlib')).gunzip)(payload);
  const vmlinux = format.command ? await runFilter(format.command, payload, format.name) : await gunzip();
  if (!vmlinux.subarray(0, 4).equals(ELF)) throw new SandboxError('VSB_NO_KERNEL', `kernel image ${image}: its ${format.name} payload is not an ELF vmlinux`);
  await writeAtomically(target, vmlinux);
  return target;
}

/** The compressed kernel inside an x86 bzImage (boot protocol 2.08+), without the 4-byte size the build appends. */
function bzImagePayload(data: Buffer, image: string): Buffer {
  if (data.length < 0x250 || data.toString('latin1', 0x202, 0x206) !== 'HdrS' || data.readUInt16LE(0x206) < 0x208) {
    throw new SandboxError('VSB_NO_KERNEL', `kernel image ${image}: not an x86 bzImage (boot protocol 2.08+) nor an ELF vmlinux`);
  }
  const setupSectors = data[0x1f1] || 4;
  const start = (setupSectors + 1) * 512 + data.readUInt32LE(0x248);
  const length = data.readUInt32LE(0x24c);
  return data.subarray(start, start + length - 4);
}

/** Pipes `input` through a decompressor; its absence is an error that says what to install. */
function runFilter(command: readonly string[], input: Buffer, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdin.on('error', () => undefined);
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(new SandboxError('VSB_NO_KERNEL', `cannot decompress the ${name} kernel: ${e.code === 'ENOENT' ? `${command[0]} is not installed` : e.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new SandboxError('VSB_NO_KERNEL', `cannot decompress the ${name} kernel: ${path.basename(command[0]!)}: ${err.trim().split('\n')[0]}`));
    });
    child.stdin.end(input);
  });
}
