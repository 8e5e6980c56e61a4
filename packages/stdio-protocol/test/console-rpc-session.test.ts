import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { SandboxError } from '@vsb/core';
import { decodeSignal, decodeWinsize, encodeError, encodeExit, encodeFrame, encodeStart, encodeStarted, FrameType } from '../src';
import type { FakeGuest } from './helpers/fake-guest';
import { finished } from './helpers/finished';
import { startSession } from './helpers/start-session';

const types = (guest: FakeGuest): number[] => guest.frames.map((f) => f.type);

describe('ConsoleRpcSession over a fake guest: start, frames, ends', function () {
  this.timeout(30_000);

  it('discards junk before the handshake, separates stdout and stderr, sends WINSIZE then START, exits', async () => {
    const h = await startSession({
      session: { tty: true, rows: 30, cols: 100 },
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
    await finished(h);
  });

  it("sends no WINSIZE in pipe mode, and decodes frames that came in the handshake's last chunk", async () => {
    const h = await startSession({
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

  it("appStarted: true on the guest's STARTED, before the output; false when EXIT comes without it", async () => {
    const ran = await startSession({
      guest: {
        onFrame: (frame, guest) =>
          frame.type === FrameType.START && void guest.write(Buffer.concat([encodeStarted(), encodeFrame(FrameType.STDOUT, Buffer.from('x')), encodeExit(0)])),
      },
    });
    assert.equal(await ran.session.appStarted, true);
    assert.deepEqual(await ran.session.exit, { code: 0 });
    await finished(ran);
    const never = await startSession({
      guest: {
        onFrame: (frame, guest) =>
          frame.type === FrameType.START &&
          void guest.write(Buffer.concat([encodeFrame(FrameType.STDERR, Buffer.from('vsb: x: No such file or directory\n')), encodeExit(127)])),
      },
    });
    assert.deepEqual(await never.session.exit, { code: 127 });
    assert.equal(await never.session.appStarted, false);
    await finished(never);
  });

  it('does not read host stdin before START; EOF becomes a zero-length STDIN', async () => {
    const stdin = new PassThrough();
    stdin.end('typed ahead');
    const pending = startSession({
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
    assert.deepEqual(seen.slice(0, 3), [
      [FrameType.START, ''],
      [FrameType.STDIN, 'typed ahead'],
      [FrameType.STDIN, ''],
    ]);
    await finished(h);
  });

  it("rejects with the guest's ERROR (after its output), and still answers its EXIT with QUIT", async () => {
    const message = 'cannot switch to uid 1000: Operation not permitted';
    const h = await startSession({
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
    const h = await startSession({
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
    const h = await startSession({
      guest: { onFrame: (frame, guest) => frame.type === FrameType.START && void guest.write(Buffer.from('2a00000000000000', 'hex')) },
    });
    await assert.rejects(h.session.exit, { code: 'VSB_PROTOCOL', message: 'unknown frame type 42' });
    await finished(h);
  });

  it('refuses host-to-guest frames coming from the guest', async () => {
    const h = await startSession({
      guest: { onFrame: (frame, guest) => frame.type === FrameType.START && void guest.write(encodeStart()) },
    });
    await assert.rejects(h.session.exit, { code: 'VSB_PROTOCOL', message: 'unexpected START frame from the guest' });
    await finished(h);
  });

  it('forwards resize and signals', async () => {
    const h = await startSession({
      session: { tty: true, rows: 24, cols: 80 },
      guest: { onFrame: (frame, guest) => frame.type === FrameType.SIGNAL && void guest.write(encodeExit(0, decodeSignal(frame.payload))) },
    });
    h.session.resize(50, 132);
    h.session.resize(-1, 1e9);
    h.session.signal(2);
    assert.deepEqual(await h.session.exit, { signal: 2 });
    const sizes = h.guest.frames.filter((f) => f.type === FrameType.WINSIZE).map((f) => decodeWinsize(f.payload));
    assert.deepEqual(sizes, [
      { rows: 24, cols: 80 },
      { rows: 50, cols: 132 },
      { rows: 0, cols: 65535 },
    ]);
    await finished(h);
  });

  it('close() rejects a pending exit and destroys the console', async () => {
    const h = await startSession({ stdin: new PassThrough() });
    h.session.close();
    await assert.rejects(h.session.exit, { code: 'VSB_GUEST' });
    assert.equal(h.host.destroyed, true);
    await h.session.closed;
    h.guestEnd.destroy();
  });
});
