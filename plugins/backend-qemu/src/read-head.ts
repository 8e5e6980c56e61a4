import fs from 'node:fs/promises';

/** The first `bytes` bytes of a file: enough for a kernel's setup header or an ELF magic, without reading megabytes. */
export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
