import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { SandboxError } from '@vsb/core';
import { decodeSignal, decodeWinsize, encodeError, encodeExit, encodeFrame, encodeStart, encodeStarted, FrameType, MAX_PAYLOAD, OUTPUT_WINDOW } from '../src';
import { Collector } from './helpers/collector';
import type { FakeGuest } from './helpers/fake-guest';
import { startRun, type Harness } from './helpers/harness';

const types = (guest: FakeGuest): number[] => guest.frames.map((f) => f.type);
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function finished(h: Harness): Promise<void> {
  await h.session.closed;
  h.host.destroy();
  h.guestEnd.destroy();
}

describe('ConsoleRpcSession over a fake guest', function () {
  this.timeout(30_000);

  it('discards junk before the handshake, separates stdout and stderr, sends WINSIZE then START, exits', async () => {
    const h = await startRun({
      attach: { tty: true, rows: 30, cols: 100 },
      guest: {
        junk: Buffer.from('^[^[\r\nvsb-init: booting\x1b[0m\x00\xfe'),
        onFrame: (frame, guest) => {
          if (frame.type !== FrameType.START) return;
          void (async () => {
            await guest.write(encodeFrame(FrameType.STDOUT, Buffer.from('out1 ')));
            await guest.write(encodeFrame(FrameType.STDERR, Buffer.from('err1')));
            await guest.write(Buffer.concat([encodeFrame(FrameType.STDOUT, Buffer.from('out2')), encodeExit(3)]));
          })();
        },
      },
    });
    assert.deepEqual(await h.session.exit, { code: 3 });
    assert.equal(h.stdout.text, 'out1 out2');
    assert.equal(h.stderr.text, 'err1');
    await h.guest.next(FrameType.QUIT);
    const seen = types(h.guest);
    assert.deepEqual(seen.slice(0, 2), [FrameType.WINSIZE, FrameType.START]);
    assert.deepEqual(decodeWinsize(h.guest.frames[0]!.payload), { rows: 30, cols: 100 });
    assert.equal(seen[seen.length - 1], FrameType.QUIT);
    assert.deepEqual(h.domain.opened, ['console1']);
    await finished(h);
  });

  it('sends no WINSIZE in pipe mode, and decodes frames that came in the handshake\'s last chunk', async () => {
    const h = await startRun({
      guest: {
        afterAck: Buffer.concat([encodeFrame(FrameType.STDOUT, Buffer.from('early ')), encodeFrame(FrameType.STDERR, Buffer.from('bird'))]),
        onFrame: (frame, guest) => frame.type === FrameType.START && void guest.write(encodeExit(0, 9)),
      },
    });
    assert.deepEqual(await h.session.exit, { signal: 9 });
    assert.equal(h.stdout.text, 'early ');
    assert.equal(h.stderr.text, 'bird');
    assert.equal(types(h.guest)[0], FrameType.START);
    await finished(h);
  });

  it('appStarted: true on the guest\'s STARTED, before the output; false when EXIT comes without it', async () => {
    const ran = await startRun({
      guest: { onFrame: (frame, guest) => frame.type === FrameType.START && void guest.write(Buffer.concat([encodeStarted(), encodeFrame(FrameType.STDOUT, Buffer.from('x')), encodeExit(0)])) },
    });
    assert.equal(await ran.session.appStarted, true);
    assert.deepEqual(await ran.session.exit, { code: 0 });
    await finished(ran);
    const never = await startRun({
      guest: { onFrame: (frame, guest) => frame.type === FrameType.START && void guest.write(Buffer.concat([encodeFrame(FrameType.STDERR, Buffer.from('vsb: x: No such file or directory\n')), encodeExit(127)])) },
    });
    assert.deepEqual(await never.session.exit, { code: 127 });
    assert.equal(await never.session.appStarted, false);
    await finished(never);
  });

  it('does not read host stdin before START; EOF becomes a zero-length STDIN', async () => {
    const stdin = new PassThrough();
    stdin.end('typed ahead');
    const pending = startRun({
      stdin,
      guest: {
        ackDelayMs: 150,
        onFrame: (frame, guest) => {
          if (frame.type === FrameType.STDIN && frame.payload.length === 0) void guest.write(encodeExit(0));
        },
      },
    });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(stdin.readableFlowing, null, 'untouched while the handshake runs');
    assert.equal(stdin.listenerCount('data'), 0);
    const h = await pending;
    assert.deepEqual(await h.session.exit, { code: 0 });
    const seen = h.guest.frames.map((f) => [f.type, f.payload.toString()]);
    assert.deepEqual(seen.slice(0, 3), [[FrameType.START, ''], [FrameType.STDIN, 'typed ahead'], [FrameType.STDIN, '']]);
    await finished(h);
  });

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
    const h = await startRun({
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
    const h = await startRun({
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

  it('applies backpressure: a slow stdout holds the guest within its output window, the console never pauses', async () => {
    const size = 8 * 1024 * 1024;
    let maxBuffered = 0;
    let sawPaused = false;
    let h: Harness | undefined;
    const stdout = new Collector({
      delayMs: 1,
      highWaterMark: 65536,
      onWrite: () => {
        if (!h) return;
        maxBuffered = Math.max(maxBuffered, stdout.writableLength + h.host.readableLength);
        sawPaused ||= h.host.isPaused();
      },
    });
    let guestDone = 0;
    h = await startRun({
      stdout,
      guest: {
        onFrame: (frame, guest) => {
          if (frame.type === FrameType.START) {
            void guest.sendData(FrameType.STDOUT, Buffer.alloc(size, 0x61), 65536).then(() => {
              guestDone = Date.now();
              return guest.write(encodeExit(0));
            });
          }
        },
      },
    });
    const started = Date.now();
    assert.deepEqual(await h.session.exit, { code: 0 });
    assert.equal(stdout.completed, size);
    assert.ok(!sawPaused, 'the console was paused: other streams would have waited');
    assert.ok(h.guest.maxUnacked <= OUTPUT_WINDOW, `${h.guest.maxUnacked} bytes unacknowledged`);
    assert.ok(maxBuffered <= OUTPUT_WINDOW + 65536, `at most ${maxBuffered} bytes buffered on the host`);
    // The guest was held back: it could not finish writing long before the reader caught up.
    assert.ok(guestDone - started > 50, `guest finished after ${guestDone - started} ms`);
    await finished(h);
  });

  it('rejects with the guest\'s ERROR (after its output), and still answers its EXIT with QUIT', async () => {
    const message = 'cannot switch to uid 1000: Operation not permitted';
    const h = await startRun({
      guest: {
        onFrame: (frame, guest) => {
          if (frame.type === FrameType.START) {
            void guest.write(Buffer.concat([encodeFrame(FrameType.STDERR, Buffer.from('partial\n')), encodeError(message), encodeExit(1)]));
          }
        },
      },
    });
    await assert.rejects(h.session.exit, (error: unknown) => {
      assert.ok(error instanceof SandboxError);
      assert.equal(error.code, 'VSB_GUEST');
      assert.equal(error.message, `guest: ${message}`);
      assert.equal(h.stderr.text, 'partial\n', 'output written before the error is reported');
      return true;
    });
    await h.guest.next(FrameType.QUIT);
    await finished(h);
  });

  it('rejects when the stream ends before EXIT, after writing what came', async () => {
    const h = await startRun({
      guest: {
        onFrame: (frame, guest) => {
          if (frame.type === FrameType.START) {
            // Output, then half a frame header, then the sandbox dies.
            guest.stream.end(Buffer.concat([encodeFrame(FrameType.STDOUT, Buffer.from('last words')), Buffer.from([2, 0, 0])]));
          }
        },
      },
    });
    await assert.rejects(h.session.exit, { code: 'VSB_GUEST', message: 'the sandbox ended before the app reported its exit status' });
    assert.equal(h.stdout.text, 'last words');
    await finished(h);
  });

  it('stops on a protocol error', async () => {
    const h = await startRun({
      guest: { onFrame: (frame, guest) => frame.type === FrameType.START && void guest.write(Buffer.from('2a00000000000000', 'hex')) },
    });
    await assert.rejects(h.session.exit, { code: 'VSB_PROTOCOL', message: 'unknown frame type 42' });
    await finished(h);
  });

  it('refuses host-to-guest frames coming from the guest', async () => {
    const h = await startRun({
      guest: { onFrame: (frame, guest) => frame.type === FrameType.START && void guest.write(encodeStart()) },
    });
    await assert.rejects(h.session.exit, { code: 'VSB_PROTOCOL', message: 'unexpected START frame from the guest' });
    await finished(h);
  });

  it('forwards resize and signals', async () => {
    const h = await startRun({
      attach: { tty: true, rows: 24, cols: 80 },
      guest: { onFrame: (frame, guest) => frame.type === FrameType.SIGNAL && void guest.write(encodeExit(0, decodeSignal(frame.payload))) },
    });
    h.session.resize(50, 132);
    h.session.resize(-1, 1e9);
    h.session.signal(2);
    assert.deepEqual(await h.session.exit, { signal: 2 });
    const sizes = h.guest.frames.filter((f) => f.type === FrameType.WINSIZE).map((f) => decodeWinsize(f.payload));
    assert.deepEqual(sizes, [{ rows: 24, cols: 80 }, { rows: 50, cols: 132 }, { rows: 0, cols: 65535 }]);
    await finished(h);
  });

  it('leaves host stdin, stdout and stderr without its listeners, stdin paused', async () => {
    const stdin = new PassThrough();
    const stdout = new Collector();
    const stderr = new Collector();
    const before = [stdout.listenerCount('drain'), stdout.listenerCount('error'), stderr.listenerCount('error')];
    const h = await startRun({
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

  it('close() rejects a pending exit and destroys the console', async () => {
    const h = await startRun({ stdin: new PassThrough() });
    h.session.close();
    await assert.rejects(h.session.exit, { code: 'VSB_GUEST' });
    assert.equal(h.host.destroyed, true);
    await h.session.closed;
    h.guestEnd.destroy();
  });

  it('sends SIGPIPE to the app when host stdout breaks, and keeps going', async () => {
    const stdout = new Collector();
    const h = await startRun({
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
});
