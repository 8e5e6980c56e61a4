import assert from 'node:assert/strict';
import { SandboxError } from '@vsb/core';
import { encodeStart, Handshake, SYNC_ACK, SYNC_REQUEST } from '../src';
import { FakeGuest } from './helpers/fake-guest';
import { socketPair } from './helpers/socket-pair';

describe('Handshake (host side)', () => {
  it('repeats 0x1B until the guest answers, discards the junk before 0x1C, then sends 0x1C', async () => {
    const [host, guestEnd] = await socketPair();
    const seen: Buffer[] = [];
    let repeated!: () => void;
    const threeRequests = new Promise<void>((r) => (repeated = r));
    guestEnd.on('data', (chunk: Buffer) => {
      seen.push(chunk);
      if (Buffer.concat(seen).length >= 3) repeated();
    });
    // Echo noise first, like a tty that is not raw yet: ESC echoed as "^[" plus boot chatter.
    guestEnd.write(Buffer.from('^[^[login: \x1b[0m\r\n\x00\xff'));
    const handshake = new Handshake({ intervalMs: 50 }).run(host);
    // The guest answers only once the host has asked three times: the host must keep asking.
    await threeRequests;
    guestEnd.write(Buffer.from([SYNC_ACK, ...encodeStart()]));
    const leftover = await handshake;
    assert.equal(leftover.toString('hex'), encodeStart().toString('hex'), 'bytes after 0x1C are kept for the frame decoder');
    assert.equal(host.listenerCount('data'), 0);
    assert.equal(host.isPaused(), true);
    // Long enough for a few more 0x1B at the 50 ms interval, had the host kept asking.
    await new Promise((r) => setTimeout(r, 200));
    const all = Buffer.concat(seen);
    const requests = all.subarray(0, all.length - 1);
    assert.ok(requests.length >= 3, `${requests.length} requests`);
    assert.ok(requests.every((b) => b === SYNC_REQUEST));
    assert.equal(all[all.length - 1], SYNC_ACK, 'one 0x1C last, no more 0x1B after it');
    host.destroy();
    guestEnd.destroy();
  });

  it('times out with a clear error', async () => {
    const [host, guestEnd] = await socketPair();
    const guest = new FakeGuest(guestEnd, { mute: true });
    const started = Date.now();
    await assert.rejects(new Handshake({ timeoutMs: 200 }).run(host), (error: unknown) => {
      assert.ok(error instanceof SandboxError);
      assert.equal(error.code, 'VSB_GUEST');
      assert.equal(error.message, "the sandbox's init did not answer on its console within 0.2 s");
      assert.ok(error.suggestions.length > 0);
      return true;
    });
    // A bound that only catches a handshake that never gives up (the 0.2 s itself is the bench's business).
    assert.ok(Date.now() - started < 5000);
    assert.ok(guest.syncRequests >= 3);
    assert.equal(host.listenerCount('data'), 0);
    host.destroy();
    guestEnd.destroy();
  });

  it('fails when the stream ends before the answer', async () => {
    const [host, guestEnd] = await socketPair();
    const run = new Handshake().run(host);
    guestEnd.end();
    await assert.rejects(run, { code: 'VSB_GUEST', message: 'the sandbox ended before its init answered on the console' });
    host.destroy();
    guestEnd.destroy();
  });

  it('can be aborted', async () => {
    const [host, guestEnd] = await socketPair();
    const abort = new AbortController();
    const run = new Handshake({ signal: abort.signal }).run(host);
    setTimeout(() => abort.abort(), 20);
    await assert.rejects(run, { code: 'VSB_GUEST', message: 'interrupted while waiting for the sandbox to start' });
    host.destroy();
    guestEnd.destroy();
  });
});
