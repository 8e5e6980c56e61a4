import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { decodeSignal, encodeExit, encodeFrame, FrameType, MAX_PAYLOAD, OUTPUT_WINDOW } from '../src';
import { Collector } from './helpers/collector';
import { finished } from './helpers/finished';
import { startSession, type Harness } from './helpers/start-session';

const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

describe('ConsoleRpcSession over a fake guest: output and input flow', function () {
  this.timeout(30_000);

  it('moves 10 MB from stdin to stdout byte-exact (guest echoes)', async () => {
    const total = 10 * 1024 * 1024;
    const input = randomBytes(total);
    // Varied chunk sizes, some above the frame maximum (split by the host), some tiny.
    const sizes = [1, 100, 65536, MAX_PAYLOAD, MAX_PAYLOAD + 1, 700_000, 3, 4096];
    function* chunks(): Generator<Buffer> {
      for (let at = 0, i = 0; at < total; i++) {
        const size = sizes[i % sizes.length]!;
        yield input.subarray(at, Math.min(total, at + size));
        at += size;
      }
    }
    let echo = Promise.resolve();
    const started = Date.now();
    const h = await startSession({
      stdin: Readable.from(chunks(), { objectMode: false }),
      guest: {
        onFrame: (frame, guest) => {
          if (frame.type !== FrameType.STDIN) return;
          assert.ok(frame.payload.length <= MAX_PAYLOAD);
          echo = echo.then(() => guest.write(frame.payload.length ? encodeFrame(FrameType.STDOUT, frame.payload) : encodeExit(0)));
        },
      },
    });
    assert.deepEqual(await h.session.exit, { code: 0 });
    const output = h.stdout.data;
    assert.equal(output.length, total);
    assert.equal(sha(output), sha(input));
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 20, `took ${seconds} s`);
    await finished(h);
  });

  it('reports EXIT only after every byte reached a slow stdout, then sends QUIT', async () => {
    const size = 2 * 1024 * 1024;
    const data = randomBytes(size);
    const stdout = new Collector({ delayMs: 2, highWaterMark: 16384 });
    let completedAtQuit = -1;
    const h = await startSession({
      stdout,
      guest: {
        onFrame: (frame, guest) => {
          if (frame.type === FrameType.START) void guest.sendData(FrameType.STDOUT, data, 50_000).then(() => guest.write(encodeExit(0)));
          if (frame.type === FrameType.QUIT) completedAtQuit = stdout.completed;
        },
      },
    });
    assert.deepEqual(await h.session.exit, { code: 0 });
    assert.equal(stdout.completed, size, 'all written when exit resolves');
    assert.equal(stdout.writableLength, 0);
    assert.ok(stdout.data.equals(data));
    await h.guest.next(FrameType.QUIT);
    assert.equal(completedAtQuit, size, 'QUIT only after the output was flushed');
    await finished(h);
  });

  it('applies backpressure: a stdout that takes nothing holds the guest at its output window, the console never pauses', async () => {
    const size = 8 * 1024 * 1024;
    let maxBuffered = 0;
    let sawPaused = false;
    let h: Harness | undefined;
    const stdout = new Collector({
      held: true,
      delayMs: 1,
      highWaterMark: 65536,
      onWrite: () => {
        if (!h) return;
        maxBuffered = Math.max(maxBuffered, stdout.writableLength + h.host.readableLength);
        sawPaused ||= h.host.isPaused();
      },
    });
    let guestDone = false;
    h = await startSession({
      stdout,
      guest: {
        onFrame: (frame, guest) => {
          if (frame.type === FrameType.START) {
            void guest.sendData(FrameType.STDOUT, Buffer.alloc(size, 0x61), 65536).then(() => {
              guestDone = true;
              return guest.write(encodeExit(0));
            });
          }
        },
      },
    });
    // The reader takes nothing: nothing is acknowledged, so the guest must stop at the window.
    await h.guest.windowFull();
    assert.equal(guestDone, false, "the guest's send is pending while the reader is held");
    assert.equal(stdout.completed, 0);
    assert.equal(h.guest.unacked, OUTPUT_WINDOW, "the guest's unacknowledged bytes reached the window");
    assert.equal(h.host.isPaused(), false, 'the console was paused: other streams would have waited');
    stdout.release();
    assert.deepEqual(await h.session.exit, { code: 0 });
    assert.equal(guestDone, true);
    assert.equal(stdout.completed, size);
    assert.ok(!sawPaused, 'the console was paused: other streams would have waited');
    assert.ok(h.guest.maxUnacked <= OUTPUT_WINDOW, `${h.guest.maxUnacked} bytes unacknowledged`);
    assert.ok(maxBuffered <= OUTPUT_WINDOW + 65536, `at most ${maxBuffered} bytes buffered on the host`);
    await finished(h);
  });

  it('leaves host stdin, stdout and stderr without its listeners, stdin paused', async () => {
    const stdin = new PassThrough();
    const stdout = new Collector();
    const stderr = new Collector();
    const before = [stdout.listenerCount('drain'), stdout.listenerCount('error'), stderr.listenerCount('error')];
    const h = await startSession({
      stdin,
      stdout,
      stderr,
      guest: {
        onFrame: (frame, guest) => {
          if (frame.type === FrameType.STDIN) void guest.write(Buffer.concat([encodeFrame(FrameType.STDOUT, frame.payload), encodeExit(4)]));
        },
      },
    });
    stdin.write('ping');
    assert.deepEqual(await h.session.exit, { code: 4 });
    assert.equal(stdout.text, 'ping');
    for (const event of ['data', 'end', 'error', 'readable']) assert.equal(stdin.listenerCount(event), 0, event);
    assert.equal(stdin.isPaused(), true);
    assert.deepEqual([stdout.listenerCount('drain'), stdout.listenerCount('error'), stderr.listenerCount('error')], before);
    await finished(h);
  });

  it('sends SIGPIPE to the app when host stdout breaks, and keeps going', async () => {
    const stdout = new Collector();
    const h = await startSession({
      stdout,
      guest: {
        onFrame: (frame, guest) => {
          if (frame.type === FrameType.START) void guest.write(encodeFrame(FrameType.STDOUT, Buffer.from('x')));
          if (frame.type === FrameType.SIGNAL) void guest.write(encodeExit(0, decodeSignal(frame.payload)));
        },
      },
    });
    stdout.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    assert.deepEqual(await h.session.exit, { signal: 13 });
    await finished(h);
  });
  it('lets the process exit on its own after the app exited, though host stdin stays open', async () => {
    const child = spawn(process.execPath, [join(__dirname, 'fixtures', 'run-child.js')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdin.write('hello from the host\n');
    // Never end the child's stdin: if the session left it flowing, the child would never exit.
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    clearTimeout(timer);
    child.stdin.destroy();
    assert.equal(signal, null, `child killed (stuck): ${err}`);
    assert.equal(code, 5, err);
    assert.equal(out, 'hello from the host\n');
  });
});
