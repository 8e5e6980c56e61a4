import fs from 'node:fs/promises';

/** The first `n` bytes of a file (fewer when it is shorter): enough for a magic number or a kernel's setup header, without reading megabytes. */
export async function firstBytes(file: string, n: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(n), 0, n, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
