import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { LibvirtError, LibvirtErrorCode, LibvirtNativeConnector } from '@vsb/libvirt';
import { LXC_URI, lxcShellDomainXml, nextEvent, openLxc, uniqueName, useLxcConnection, withTimeout } from './lxc-fixture';

describe('@vsb/libvirt connections and domains (real libvirtd, LXC)', function () {
  this.timeout(60_000);
  const suite = useLxcConnection();
  const { janitor } = suite;

  it('reports version and capabilities', async () => {
    assert.ok((await suite.conn.version()) >= 9_000_000, 'libvirt 9.0 or newer');
    assert.match(await suite.conn.capabilities(), /<capabilities>[\s\S]*<os_type>exe<\/os_type>/);
    assert.equal(suite.conn.uri, LXC_URI);
  });

  it('creates, lists, looks up, describes and destroys a domain, with typed events', async () => {
    const name = janitor.add(uniqueName('life'));
    const events: string[] = [];
    const off = suite.conn.onLifecycle((e) => {
      if (e.domain === name) events.push(`${e.event}/${e.detail}`);
    });
    const stopped = nextEvent(suite.conn, name, 'stopped');
    const dom = await suite.conn.createXML(lxcShellDomainXml(name, 'read x'));
    assert.equal(dom.name, name);
    assert.match(dom.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(await dom.state(), 'running');
    assert.ok((await suite.conn.listDomains()).includes(name));
    assert.match(await dom.xmlDesc(), new RegExp(`<name>${name}</name>`));
    const found = await suite.conn.lookupByName(name);
    assert.equal(found?.uuid, dom.uuid);
    await dom.destroy();
    await withTimeout(stopped, 10_000, 'stopped event');
    off();
    assert.deepEqual(events, ['started/booted', 'stopped/destroyed']);
    assert.equal(await suite.conn.lookupByName(name), null);
    assert.ok(!(await suite.conn.listDomains()).includes(name));
  });

  it("rejects a bad URI with libvirt's message and code", async () => {
    await assert.rejects(new LibvirtNativeConnector().open('nosuchdriver:///x'), (e: unknown) => {
      assert.ok(e instanceof LibvirtError, 'a LibvirtError');
      assert.equal(e.code, LibvirtErrorCode.NO_CONNECT);
      assert.match(e.message, /no connection driver available for nosuchdriver:\/\/\/x/);
      return true;
    });
  });

  it("rejects malformed XML with libvirt's message and code", async () => {
    await assert.rejects(suite.conn.createXML(`<domain type='lxc'><name>${uniqueName('bad')}</name>`), (e: unknown) => {
      assert.ok(e instanceof LibvirtError, 'a LibvirtError');
      assert.equal(e.code, LibvirtErrorCode.XML_DETAIL);
      assert.match(e.message, /Premature end of data|end of Start Tag|expected/i);
      return true;
    });
    await assert.rejects(suite.conn.createXML(`<domain type='lxc'><name>${uniqueName('bad')}</name></domain>`), (e: unknown) => {
      assert.ok(e instanceof LibvirtError);
      assert.ok(e.code > 0 && e.message.length > 0, `libvirt's own code and message: ${e.code} ${e.message}`);
      return true;
    });
  });

  it('rejects calls on a closed connection', async () => {
    const other = await openLxc();
    await other.close();
    await assert.rejects(other.listDomains(), (e: unknown) => e instanceof LibvirtError && e.code === LibvirtErrorCode.INVALID_CONN);
    await other.close(); // idempotent
  });

  it('AUTODESTROY: the domain dies with the connection of a SIGKILLed client (measured; bound 10 s)', async () => {
    const name = janitor.add(uniqueName('autodestroy'));
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'autodestroy-child.js'), name], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (d: Buffer) => {
            if (d.toString().includes(`created ${name}`)) resolve();
          });
          child.once('exit', (code) => reject(new Error(`child exited (${code}): ${stderr}`)));
        }),
        20_000,
        'child creating its domain',
      );
      assert.equal(await (await suite.conn.lookupByName(name))?.state(), 'running');
      const killedAt = Date.now();
      child.kill('SIGKILL');
      await exited;
      let gone = false;
      // A bound that catches a domain AUTODESTROY never ends; the figure itself is printed.
      while (Date.now() - killedAt < 10_000) {
        if ((await suite.conn.lookupByName(name)) === null) {
          gone = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const ms = Date.now() - killedAt;
      assert.ok(gone, `domain still there ${ms} ms after SIGKILL`);
      process.stdout.write(`      autodestroy: gone ${ms} ms after SIGKILL\n`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('closing the connection destroys its AUTODESTROY domains, even with domain handles alive', async () => {
    const name = janitor.add(uniqueName('close'));
    const other = await openLxc();
    const dom = await other.createXML(lxcShellDomainXml(name, 'read x'), { autodestroy: true });
    await dom.openConsole(); // an open stream also references the connection
    await other.close();
    await assert.rejects(dom.state(), LibvirtError);
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      gone = (await suite.conn.lookupByName(name)) === null;
      if (!gone) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(gone, 'domain still there 2 s after close()');
  });
});
