import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  decodeSignal,
  encodeAck,
  encodeExec,
  encodeExit,
  encodeFrame,
  encodeStdin,
  FrameDecoder,
  FrameType,
  STDIN_WINDOW,
  type Frame,
  type SessionStreams,
  type StreamHandler,
} from '@vsb/stdio-protocol';
import { EXEC_CLIENT_STREAM, ExecRelay } from '../src/keeper/exec-relay';

/** The guest's side as the keeper sees it: what the relay sends, and a way to answer on the stream. */
class FakeStreams implements SessionStreams {
  readonly sent: Frame[] = [];
  readonly withFds: Array<{ frame: Frame; fds: readonly number[] }> = [];
  handler?: StreamHandler;
  closed: number[] = [];

  constructor(readonly passesDescriptors: boolean) {}

  open(_stream: number, handler: StreamHandler): void {
    this.handler = handler;
  }

  close(stream: number): void {
    this.closed.push(stream);
  }

  send(frame: Buffer): void {
    this.sent.push(...new FrameDecoder().decodeAll(frame));
  }

  async sendWithDescriptors(frame: Buffer, fds: readonly number[], then: Buffer): Promise<void> {
    this.withFds.push({ frame: new FrameDecoder().decodeAll(frame)[0]!, fds });
    this.send(then);
  }
}

/** A connected pair of unix sockets: the `vsb exec` end and the keeper's. */
async function pair(): Promise<{ client: net.Socket; keeper: net.Socket; close(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-relay-'));
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve) => server.listen(path.join(dir, 's'), resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect(path.join(dir, 's'));
  const keeper = await accepted;
  return {
    client,
    keeper,
    close: () => {
      client.destroy();
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), 'never happened');
};

describe('ExecRelay: one vsb exec in the keeper', () => {
  it('passes frames both ways with the stream changed, descriptors before the EXEC, and ends at EXIT', async () => {
    const p = await pair();
    try {
      const streams = new FakeStreams(true);
      const fd = fs.openSync('/dev/null', 'r');
      let done = false;
      new ExecRelay({ socket: p.keeper, fds: [fd], rest: Buffer.alloc(0) }, 1, streams, 42, () => (done = true));
      const got: Frame[] = [];
      const decoder = new FrameDecoder();
      p.client.on('data', (b: Buffer) => decoder.push(b, (f) => got.push({ ...f, payload: Buffer.from(f.payload) })));
      p.client.write(Buffer.concat([encodeExec({ argv: [Buffer.from('cat')] }, EXEC_CLIENT_STREAM), encodeStdin(Buffer.from('hi'), EXEC_CLIENT_STREAM)]));
      await until(() => streams.sent.length === 2);
      assert.deepEqual(
        streams.withFds.map((w) => [w.frame.type, w.frame.stream, w.frame.payload[0]]),
        [[FrameType.STDIO_FDS, 42, 1]],
      );
      assert.deepEqual(
        streams.sent.map((f) => [f.type, f.stream]),
        [
          [FrameType.EXEC, 42],
          [FrameType.STDIN, 42],
        ],
      );
      assert.throws(() => fs.fstatSync(fd), 'the keeper closed its copy');
      streams.handler!.frame(new FrameDecoder().decodeAll(encodeFrame(FrameType.STDOUT, Buffer.from('hi'), 42))[0]!);
      streams.handler!.frame(new FrameDecoder().decodeAll(encodeExit(3, 0, 42))[0]!);
      await until(() => got.length === 2);
      assert.deepEqual(
        got.map((f) => [f.type, f.stream, f.payload.toString('hex')]),
        [
          [FrameType.STDOUT, 1, '6869'],
          [FrameType.EXIT, 1, '0000000300000000'],
        ],
      );
      assert.ok(done && streams.closed.includes(42));
    } finally {
      p.close();
    }
  });

  it('a client that goes away gets its process killed; its output is then acknowledged for it', async () => {
    const p = await pair();
    try {
      const streams = new FakeStreams(false);
      new ExecRelay({ socket: p.keeper, fds: [], rest: encodeExec({ argv: [Buffer.from('sleep')] }, EXEC_CLIENT_STREAM) }, 0, streams, 7, () => undefined);
      await until(() => streams.sent.length === 1);
      p.client.destroy();
      await until(() => streams.sent.some((f) => f.type === FrameType.SIGNAL));
      assert.equal(decodeSignal(streams.sent.find((f) => f.type === FrameType.SIGNAL)!.payload), 9);
      streams.handler!.frame(new FrameDecoder().decodeAll(encodeFrame(FrameType.STDOUT, Buffer.alloc(100), 7))[0]!);
      assert.deepEqual(streams.sent.at(-1), new FrameDecoder().decodeAll(encodeAck(100, 7))[0]);
    } finally {
      p.close();
    }
  });

  it('refuses descriptors that do not match their mask, and drops a client beyond the STDIN window', async () => {
    const p = await pair();
    try {
      const streams = new FakeStreams(true);
      new ExecRelay({ socket: p.keeper, fds: [], rest: Buffer.alloc(0) }, 3, streams, 1, () => undefined);
      const got: Frame[] = [];
      p.client.on('data', (b: Buffer) => new FrameDecoder().push(b, (f) => got.push(f)));
      p.client.write(encodeExec({ argv: [Buffer.from('true')] }, EXEC_CLIENT_STREAM));
      await until(() => got.some((f) => f.type === FrameType.EXIT));
      assert.deepEqual(streams.sent, [], 'nothing reached the guest');
    } finally {
      p.close();
    }
    const q = await pair();
    try {
      const streams = new FakeStreams(false);
      new ExecRelay({ socket: q.keeper, fds: [], rest: encodeExec({ argv: [Buffer.from('cat')] }, EXEC_CLIENT_STREAM) }, 0, streams, 1, () => undefined);
      const closed = new Promise((r) => q.client.once('close', r));
      q.client.write(Buffer.concat([encodeStdin(Buffer.alloc(STDIN_WINDOW), EXEC_CLIENT_STREAM), encodeStdin(Buffer.alloc(1), EXEC_CLIENT_STREAM)]));
      await closed;
      assert.equal(
        streams.sent.filter((f) => f.type === FrameType.STDIN).reduce((n, f) => n + f.payload.length, 0),
        STDIN_WINDOW,
      );
    } finally {
      q.close();
    }
  });
});
