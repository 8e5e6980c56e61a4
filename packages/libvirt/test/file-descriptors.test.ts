import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { receiveFileDescriptors, sendFileDescriptors } from '../src';

/** A listening socket whose connections come paused, as the keeper's control socket does. */
async function pair(): Promise<{ client: net.Socket; server: net.Socket; close(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-fds-'));
  const file = path.join(dir, 's');
  const srv = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve) => srv.listen(file, resolve));
  const accepted = new Promise<net.Socket>((resolve) => srv.once('connection', resolve));
  const client = net.connect(file);
  await new Promise((resolve) => client.once('connect', resolve));
  const server = await accepted;
  return {
    client,
    server,
    close: () => {
      client.destroy();
      server.destroy();
      srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('file descriptors over a unix socket (vsb_fds.node)', () => {
  it('the receiver gets the bytes and its own copies of the descriptors; Node reads the rest', async () => {
    const p = await pair();
    try {
      const [r, w] = [fs.openSync('/dev/null', 'r'), fs.openSync(path.join(os.tmpdir(), `vsb-fds-${process.pid}`), 'w')];
      sendFileDescriptors(p.client, Buffer.from('first'), [r, w]);
      p.client.write('rest');
      const got = await receiveFileDescriptors(p.server, 65536, 5000);
      assert.equal(got.data.toString(), 'first');
      assert.equal(got.fds.length, 2);
      assert.deepEqual(
        got.fds.map((fd) => fs.fstatSync(fd).ino),
        [r, w].map((fd) => fs.fstatSync(fd).ino),
      );
      for (const fd of [r, w, ...got.fds]) fs.closeSync(fd);
      fs.rmSync(path.join(os.tmpdir(), `vsb-fds-${process.pid}`));
      const rest = await new Promise<Buffer>((resolve) => {
        p.server.once('data', resolve);
        p.server.resume();
      });
      assert.equal(rest.toString(), 'rest');
    } finally {
      p.close();
    }
  });

  it('without descriptors it is a plain read; a silent peer times out', async () => {
    const p = await pair();
    try {
      await assert.rejects(receiveFileDescriptors(p.server, 16, 50), /ETIMEDOUT|timed out/);
      p.client.write('{"op":"stop"}\n');
      const got = await receiveFileDescriptors(p.server, 65536, 5000);
      assert.deepEqual([got.data.toString(), got.fds], ['{"op":"stop"}\n', []]);
    } finally {
      p.close();
    }
  });

  it('a wait can be aborted', async () => {
    const p = await pair();
    try {
      const abort = new AbortController();
      const waiting = receiveFileDescriptors(p.server, 16, 60_000, abort.signal);
      abort.abort();
      await assert.rejects(waiting, /ECANCELED|canceled/i);
    } finally {
      p.close();
    }
  });
});
