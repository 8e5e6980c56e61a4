import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { LibvirtConnection } from '@vsb/core';
import {
  DomainJanitor, lxcShellDomainXml, nextEvent, openLxc, readAll, uniqueName, withTimeout,
} from './lxc-fixture';

/** Waits until `stream` has delivered `marker`; returns everything read so far and keeps collecting. */
function collector(stream: Duplex): { until(marker: Buffer, ms: number): Promise<Buffer>; all(): Buffer } {
  const chunks: Buffer[] = [];
  let waiters: Array<() => void> = [];
  stream.on('data', (c: Buffer) => {
    chunks.push(c);
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  });
  const all = (): Buffer => Buffer.concat(chunks);
  return {
    all,
    until(marker, ms) {
      return withTimeout(new Promise<Buffer>((resolve) => {
        const check = (): void => {
          const got = all();
          if (got.includes(marker)) resolve(got);
          else waiters.push(check);
        };
        check();
      }), ms, `console output ${JSON.stringify(marker.toString())}`);
    },
  };
}

describe('@vsb/libvirt console streams (real libvirtd, LXC)', function () {
  this.timeout(60_000);
  let conn: LibvirtConnection;
  const janitor = new DomainJanitor();

  before(async () => {
    conn = await openLxc();
  });
  afterEach(async () => {
    await janitor.cleanup();
  });
  after(async () => {
    await conn?.close();
  });

  it('delivers what the init writes, then EOF, then the stopped event', async () => {
    const name = janitor.add(uniqueName('console'));
    // The init waits for input before writing, so no output can precede the console being open.
    const script = `read x; printf 'vsb:%s:0123456789abcdef' "$x"`;
    const stopped = nextEvent(conn, name, 'stopped');
    const dom = await conn.createXML(lxcShellDomainXml(name, script), { autodestroy: true });
    const tty = await dom.openConsole();
    const output = readAll(tty);
    tty.write('go\n');
    // Cooked tty: "go\n" is echoed as "go\r\n" before the init's own bytes.
    assert.equal((await withTimeout(output, 10_000, 'console EOF')).toString('latin1'), 'go\r\nvsb:go:0123456789abcdef');
    const event = await withTimeout(stopped, 10_000, 'stopped event');
    assert.equal(event.uuid, dom.uuid);
    assert.equal(event.detail, 'shutdown');
  });

  it('carries large output byte-exact through a paused reader (backpressure)', async () => {
    const name = janitor.add(uniqueName('bulk'));
    const lines = 300_000;
    const dom = await conn.createXML(lxcShellDomainXml(name, `read x; stty raw -echo; seq 1 ${lines}`), { autodestroy: true });
    const tty = await dom.openConsole();
    const chunks: Buffer[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      tty.once('end', resolve);
      tty.once('error', reject);
    });
    let paused = false;
    let bytes = 0;
    const started = process.hrtime.bigint();
    tty.on('data', (c: Buffer) => {
      chunks.push(c);
      bytes += c.length;
      if (!paused && bytes > 1_000_000) { // stop reading a while: the stream must hold, not drop
        paused = true;
        tty.pause();
        setTimeout(() => tty.resume(), 300);
      }
    });
    tty.write('go\n');
    await withTimeout(ended, 30_000, 'bulk console EOF');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const expected = 'go\r\n' + Array.from({ length: lines }, (_, i) => `${i + 1}\n`).join('');
    const got = Buffer.concat(chunks).toString('latin1');
    assert.equal(got.length, expected.length);
    assert.ok(got === expected, 'bulk output differs');
    assert.ok(paused, 'the reader was paused once');
    process.stdout.write(`      bulk: ${got.length} bytes in ${ms.toFixed(0)} ms (incl. a 300 ms pause): ${(got.length / 1e6 / (ms / 1000)).toFixed(1)} MB/s\n`);
  });

  it('delivers bytes written to the console to the domain (echoed back byte-exact)', async () => {
    const name = janitor.add(uniqueName('echo'));
    const size = 300_000; // > one 128 KiB send slice
    // Raw tty after the first line: head echoes exactly `size` bytes, whatever their values.
    const script = `read x; stty raw -echo; printf R; head -c ${size}; printf E`;
    const stopped = nextEvent(conn, name, 'stopped');
    const dom = await conn.createXML(lxcShellDomainXml(name, script), { autodestroy: true });
    const tty = await dom.openConsole();
    const out = collector(tty);
    const ended = new Promise<void>((resolve) => tty.once('end', resolve));
    tty.write('go\n');
    await out.until(Buffer.from('R'), 10_000);
    const payload = randomBytes(size);
    tty.write(payload);
    await withTimeout(ended, 20_000, 'echo console EOF');
    const got = out.all();
    const start = got.indexOf('R') + 1;
    assert.equal(got.subarray(0, start).toString('latin1'), 'go\r\nR');
    assert.equal(got.length - start, size + 1, 'echoed length');
    assert.ok(got.subarray(start, start + size).equals(payload), 'echoed bytes differ');
    assert.equal(got.subarray(start + size).toString('latin1'), 'E');
    await withTimeout(stopped, 10_000, 'stopped event');
  });

  it('destroy() aborts an open console; the domain stays usable and is destroyed', async () => {
    const name = janitor.add(uniqueName('abort'));
    const dom = await conn.createXML(lxcShellDomainXml(name, 'read x'), { autodestroy: true });
    const tty = await dom.openConsole();
    const closed = new Promise<void>((resolve) => tty.once('close', resolve));
    tty.destroy();
    await withTimeout(closed, 5_000, 'console close');
    assert.equal(await dom.state(), 'running');
    const stopped = nextEvent(conn, name, 'stopped');
    await dom.destroy();
    assert.equal((await withTimeout(stopped, 10_000, 'stopped event')).detail, 'destroyed');
    assert.equal(await conn.lookupByName(name), null);
  });
});
