import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateDomainXml } from '@vsb/test-support';
import { assertNothingLeft, REPO, vsb } from './vsb';

const EXAMPLES = path.join(REPO, 'examples');
/** How a user names a package directory beside them: `./examples/NAME` from the repo, relative to this process's cwd. */
const local = (dir: string) => `./${path.relative(process.cwd(), dir)}`;
const XEN_RUN = ['run', '--dry-run', '-c', 'xen:///', '-m', 'host-bind:/d=/tmp', '--', 'true'];

describe('vsb plugins (installed into a temporary data dir, real libvirtd)', function () {
  // npm installs a local package offline in about a second here.
  this.timeout(60_000);
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const run = (args: readonly string[]) => vsb(args, { env });

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-plugins-'));
    // npm's cache and logs too, so the tests leave nothing in ~/.npm.
    env = { VSB_DATA_DIR: dataDir, npm_config_cache: path.join(dataDir, '.npm-cache') };
  });
  afterEach(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await assertNothingLeft();
  });

  it('installs the Xen example from its directory: listed, its dry run validates, uninstall removes it', async () => {
    assert.equal((await run(['plugins'])).stdout.toString(), 'No plugins installed.\n');
    const installed = await run(['plugins', 'install', local(path.join(EXAMPLES, 'vsb-plugin-xen'))]);
    assert.equal(installed.code, 0, installed.stderr);
    assert.equal(plain((await run(['plugins'])).stdout.toString()), 'vsb-plugin-xen 0.1.0\n');
    const r = await run(XEN_RUN);
    assert.equal(r.code, 0, r.stderr);
    const xml = r.stdout.toString();
    assert.match(xml, /<domain type="xen">/);
    // The host-bind came from vsb's VM mapper, matched on the backend's kind.
    assert.match(xml, /<source dir="\/tmp"\/>\s*<target dir="sandbox:mount0"\/>/);
    validateDomainXml(xml);
    const removed = await run(['plugins', 'uninstall', 'vsb-plugin-xen']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal((await run(['plugins'])).stdout.toString(), 'No plugins installed.\n');
    const after = await run(XEN_RUN);
    assert.equal(after.code, 2);
    assert.equal(after.stderr, "vsb: no backend handles URI 'xen:///' (installed: lxc, qemu)\n");
  });

  it("installs from an npm pack tarball: a copy without @vsb/core, @vsb/vm-boot or tsyringe, which gets vsb's", async () => {
    const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-pack-'));
    let installed;
    try {
      execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir, path.join(EXAMPLES, 'vsb-plugin-xen')], {
        stdio: 'ignore',
        env: { ...process.env, ...env },
      });
      installed = await run(['plugins', 'install', path.join(packDir, 'vsb-plugin-xen-0.1.0.tgz')]);
    } finally {
      fs.rmSync(packDir, { recursive: true, force: true });
    }
    assert.equal(installed.code, 0, installed.stderr);
    const copy = path.join(dataDir, 'node_modules', 'vsb-plugin-xen');
    assert.equal(fs.lstatSync(copy).isSymbolicLink(), false);
    // Optional peers: npm fetched nothing (@vsb/core is not published), so only vsb's copies can serve.
    for (const name of ['@vsb/core', '@vsb/vm-boot', 'tsyringe']) assert.equal(fs.existsSync(path.join(dataDir, 'node_modules', name)), false, name);
    assert.equal(plain((await run(['plugins'])).stdout.toString()), 'vsb-plugin-xen 0.1.0\n');
    const r = await run(XEN_RUN);
    assert.equal(r.code, 0, r.stderr);
    validateDomainXml(r.stdout.toString());
  });

  it('the tagged transport, installed, tags each stdout line of a real LXC run with the sandbox name', async () => {
    const installed = await run(['plugins', 'install', local(path.join(EXAMPLES, 'vsb-plugin-tagged'))]);
    assert.equal(installed.code, 0, installed.stderr);
    const r = await run(['run', '--transport', 'tagged', '--', 'sh', '-c', 'echo one; printf "two\\nthree"; echo err >&2; exit 4']);
    const name = /^\[(vsb-t[0-9a-f]+)\] /.exec(r.stdout.toString())?.[1];
    assert.ok(name, r.stdout.toString());
    assert.equal(r.stdout.toString(), `[${name}] one\n[${name}] two\n[${name}] three`);
    assert.equal(r.stderr, 'err\n');
    assert.equal(r.code, 4);
  });

  it('a linked plugin that throws while registering: one line naming it, and vsb runs without any of it', async () => {
    const dir = path.join(dataDir, 'vsb-plugin-broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'vsb-plugin-broken', version: '1.0.0', main: 'index.js', oclif: {} }));
    fs.writeFileSync(
      path.join(dir, 'index.js'),
      [
        "const { contribute, definePlugin } = require('@vsb/core');",
        "exports.broken = definePlugin({ id: 'broken', register(c) {",
        "  contribute(c, { backends: [() => ({ id: 'broken', kind: 'vm', claims: (u) => u.startsWith('broken:') })] });",
        "  throw new Error('no hypervisor here');",
        '} });',
      ].join('\n'),
    );
    const linked = await run(['plugins', 'link', '--no-install', dir]);
    assert.equal(linked.code, 0, linked.stderr);
    const r = await run(['run', '--', 'echo', 'ok']);
    assert.equal(r.stderr, "vsb: plugin 'broken' (vsb-plugin-broken) failed to register, running without it: no hypervisor here\n");
    assert.equal(r.stdout.toString(), 'ok\n');
    assert.equal(r.code, 0);
    // What it registered before throwing was dropped too.
    const dry = await run(['run', '--dry-run', '-c', 'broken:///', '--', 'true']);
    assert.match(dry.stderr, /no backend handles URI 'broken:\/\/\/' \(installed: lxc, qemu\)\n$/);
  });
});

/** Output without ANSI styling: oclif styles it when CI=true, whatever stdout is. */
function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
