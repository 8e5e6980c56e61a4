import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let counter = 0;

/** Two connected unix sockets: a real byte stream with kernel buffers and real backpressure. */
export async function socketPair(): Promise<[host: Socket, guest: Socket]> {
  const path = join(tmpdir(), `vsb-stdio-protocol-${process.pid}-${counter++}.sock`);
  rmSync(path, { force: true });
  const server = createServer();
  server.listen(path);
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const host = createConnection(path);
  await once(host, 'connect');
  const [guest] = await accepted;
  server.close();
  rmSync(path, { force: true });
  return [host, guest];
}
