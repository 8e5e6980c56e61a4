import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { lxcShellDomainXml, nextEvent, uniqueName, useLxcConnection, withTimeout } from './lxc-fixture';

/**
 * Collects what `stream` delivers; `until` waits for a condition on everything read so far.
 * NOTE: libvirt's LXC controller drops console output still in flight when the init exits, so
 * each init below waits for an acknowledgement line before exiting: the tests stay exact.
 */
function collector(stream: Duplex): { until(done: (got: Buffer) => boolean, ms: number, label: string): Promise<Buffer>; all(): Buffer } {
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
    until(done, ms, label) {
      return withTimeout(
        new Promise<Buffer>((resolve) => {
          const check = (): void => {
            const got = all();
            if (done(got)) resolve(got);
            else waiters.push(check);
          };
          check();
        }),
        ms,
        label,
      );
    },
  };
}

describe('@vsb/libvirt console streams (real libvirtd, LXC)', function () {
  this.timeout(60_000);
  const suite = useLxcConnection();
  const { janitor } = suite;

  it('delivers what the init writes, then EOF, then the stopped event', async () => {
    const name = janitor.add(uniqueName('console'));
    // The init waits for input before writing, so no output can precede the console being open.
    const known = 'vsb:go:0123456789abcdef';
    const script = `read x; printf 'vsb:%s:0123456789abcdef' "$x"; read ack`;
    const stopped = nextEvent(suite.conn, name, 'stopped');
    const dom = await suite.conn.createXML(lxcShellDomainXml(name, script), { autodestroy: true });
    const tty = await dom.openConsole();
    const out = collector(tty);
    const ended = new Promise<void>((resolve) => tty.once('end', resolve));
    tty.write('go\n');
    // Cooked tty: "go\n" is echoed as "go\r\n" before the init's own bytes.
    const got = await out.until((b) => b.length >= 4 + known.length, 10_000, 'known console bytes');
    assert.equal(got.toString('latin1'), `go\r\n${known}`);
    tty.write('\n');
    await withTimeout(ended, 10_000, 'console EOF');
    assert.equal(out.all().toString('latin1'), `go\r\n${known}\r\n`);
    const event = await withTimeout(stopped, 10_000, 'stopped event');
    assert.equal(event.uuid, dom.uuid);
    assert.equal(event.detail, 'shutdown');
  });

  it('carries large output byte-exact through a paused reader (backpressure)', async () => {
    const name = janitor.add(uniqueName('bulk'));
    const lines = 1_000_000; // ~6.9 MB: far more than the 1 MiB high-water mark
    const script = `read x; stty raw -echo; seq 1 ${lines}; printf END; read ack`;
    const dom = await suite.conn.createXML(lxcShellDomainXml(name, script), { autodestroy: true });
    const tty = await dom.openConsole();
    const expected = 'go\r\n' + Array.from({ length: lines }, (_, i) => `${i + 1}\n`).join('') + 'END';
    let paused = false;
    let maxBuffered = 0;
    let bytes = 0;
    tty.on('data', (c: Buffer) => {
      bytes += c.length;
      if (!paused && bytes > 1_000_000) {
        // stop reading a while: the stream must hold, not drop
        paused = true;
        tty.pause();
        setTimeout(() => {
          maxBuffered = tty.readableLength;
          tty.resume();
        }, 300);
      }
    });
    const out = collector(tty);
    const ended = new Promise<void>((resolve) => tty.once('end', resolve));
    const started = process.hrtime.bigint();
    tty.write('go\n');
    const got = await out.until((b) => b.length >= expected.length, 30_000, 'bulk output');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    tty.write('\n');
    await withTimeout(ended, 10_000, 'bulk console EOF');
    assert.equal(got.length, expected.length);
    assert.ok(got.toString('latin1') === expected, 'bulk output differs');
    assert.ok(paused, 'the reader was paused once');
    // While paused, the Duplex stops pulling from libvirt near its high-water mark (1 MiB + one read).
    assert.ok(maxBuffered <= 1024 * 1024 + 256 * 1024, `buffered ${maxBuffered} bytes while paused`);
    process.stdout.write(`      bulk: ${got.length} bytes in ${ms.toFixed(0)} ms (incl. a 300 ms pause, ` + `${maxBuffered} bytes buffered while paused)\n`);
  });

  it('delivers bytes written to the console to the domain (echoed back byte-exact)', async () => {
    const name = janitor.add(uniqueName('echo'));
    const size = 300_000; // > one 128 KiB send slice
    // Raw tty after the first line: head echoes exactly `size` bytes, whatever their values.
    const script = `read x; stty raw -echo; printf R; head -c ${size}; printf E; read ack`;
    const stopped = nextEvent(suite.conn, name, 'stopped');
    const dom = await suite.conn.createXML(lxcShellDomainXml(name, script), { autodestroy: true });
    const tty = await dom.openConsole();
    const out = collector(tty);
    const ended = new Promise<void>((resolve) => tty.once('end', resolve));
    tty.write('go\n');
    await out.until((b) => b.includes('R'), 10_000, 'ready marker');
    const payload = randomBytes(size);
    tty.write(payload);
    const prefix = 'go\r\nR';
    const got = await out.until((b) => b.length >= prefix.length + size + 1, 20_000, 'echoed bytes');
    assert.equal(got.subarray(0, prefix.length).toString('latin1'), prefix);
    assert.equal(got.length - prefix.length, size + 1, 'echoed length');
    assert.ok(got.subarray(prefix.length, prefix.length + size).equals(payload), 'echoed bytes differ');
    assert.equal(got.subarray(prefix.length + size).toString('latin1'), 'E');
    tty.write('\n');
    await withTimeout(ended, 10_000, 'echo console EOF');
    await withTimeout(stopped, 10_000, 'stopped event');
  });

  it('destroy() aborts an open console; the domain stays usable and is destroyed', async () => {
    const name = janitor.add(uniqueName('abort'));
    const dom = await suite.conn.createXML(lxcShellDomainXml(name, 'read x'), { autodestroy: true });
    const tty = await dom.openConsole();
    const closed = new Promise<void>((resolve) => tty.once('close', resolve));
    tty.destroy();
    await withTimeout(closed, 5_000, 'console close');
    assert.equal(await dom.state(), 'running');
    const stopped = nextEvent(suite.conn, name, 'stopped');
    await dom.destroy();
    // libvirt says 'failed' instead when the init died of the destroy before libvirt noted its own kill.
    assert.match((await withTimeout(stopped, 10_000, 'stopped event')).detail, /^(destroyed|failed)$/);
    assert.equal(await suite.conn.lookupByName(name), null);
  });
});
