import assert from 'node:assert/strict';
import { lxcShellDomainXml, nextEvent, openFds, openLxc, uniqueName, useLxcConnection, withTimeout } from './lxc-fixture';

const CYCLES = 200;

/** Lets libvirt's event thread finish closing sockets of connections closed just before. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200));
const PARALLEL = 4;

describe('@vsb/libvirt resource use (real libvirtd, LXC)', function () {
  this.timeout(600_000);
  const suite = useLxcConnection();
  const { janitor } = suite;

  /** One create/destroy cycle, with a lifecycle wait, a console and a second connection. */
  async function cycle(label: string): Promise<void> {
    const name = janitor.add(uniqueName(label));
    const stopped = nextEvent(suite.conn, name, 'stopped');
    const dom = await suite.conn.createXML(lxcShellDomainXml(name, 'read x'), { autodestroy: true });
    const tty = await dom.openConsole();
    const closed = new Promise((r) => tty.once('close', r));
    tty.destroy();
    await closed;
    await dom.destroy();
    await withTimeout(stopped, 10_000, `stopped event of ${name}`);
  }

  async function run(count: number, label: string): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < count) {
          next += 1;
          await cycle(label);
        }
      }),
    );
  }

  it(`${CYCLES} create/destroy cycles leak no file descriptors and little memory`, async () => {
    await run(2 * PARALLEL, 'warm'); // thread pool, event loop and allocator warm-up
    // Connections opened and closed between cycles must not leak either.
    for (let i = 0; i < 20; i++) await (await openLxc()).close();
    await settle();
    const fdsBefore = openFds();
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    await run(CYCLES, 'soak');
    for (let i = 0; i < 20; i++) await (await openLxc()).close();
    const ms = Date.now() - started;
    await settle();
    const fdsAfter = openFds();
    const rssAfter = process.memoryUsage().rss;
    const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
    process.stdout.write(
      `      soak: ${CYCLES} cycles in ${ms} ms (${PARALLEL} in parallel); fds ${fdsBefore.length} -> ${fdsAfter.length}; ` +
        `RSS ${mb(rssBefore)} MB -> ${mb(rssAfter)} MB (+${mb(rssAfter - rssBefore)} MB)\n`,
    );
    const added = fdsAfter.filter((f) => !fdsBefore.includes(f));
    assert.ok(fdsAfter.length <= fdsBefore.length, `open fds grew from ${fdsBefore.length} to ${fdsAfter.length}: ${added.join(', ')}`);
    assert.ok(rssAfter - rssBefore < 20 * 1024 * 1024, `RSS grew by ${mb(rssAfter - rssBefore)} MB`);
  });
});
