import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateDomainXml } from '@vsb/test-support';
import { REPO, vsb } from './vsb';

describe('vsb run --dry-run', () => {
  it('prints schema-valid LXC XML with mounts, and escapes values', async () => {
    const r = await vsb([
      'run',
      '--dry-run',
      '-c',
      'lxc:///',
      '-m',
      'ram:/tmp=64M',
      '-m',
      'host-bind:/data=/srv',
      '-e',
      'A=<x>',
      '--',
      '/bin/sh',
      '-c',
      'echo hi',
    ]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    const xml = r.stdout.toString();
    assert.match(xml, /<domain type="lxc">/);
    // ram is the guest init's work; host-binds are staged in the config dir for the init to move.
    assert.doesNotMatch(xml, /type="ram"/);
    assert.match(xml, /<source dir="\/srv"\/>\s*<target dir="\/run\/vsb\/vsb-[0-9a-f]+\/config\/stage-1"\/>/);
    assert.match(xml, /-e &apos;A=&lt;x&gt;&apos; -- \/bin\/sh -c &apos;echo hi&apos;/);
    validateDomainXml(xml);
  });

  it('takes the command from after -- even when it repeats a flag given before (oclif reordering)', async () => {
    const r = await vsb(['run', '-c', 'lxc:///', '--dry-run', '--', '/bin/sh', '-c', 'true']);
    assert.equal(r.code, 0, r.stderr);
    // The caller's locale and TZ come first, as -e (passed by default).
    assert.match(r.stdout.toString(), /<description>vsb run (-e \S+ )*-- \/bin\/sh -c true<\/description>/);
  });

  it('exits 2 with one line naming --mount and the bad suffix', async () => {
    const r = await vsb(['run', '--dry-run', '-m', 'ram:/tmp=12Q', '--', 'true']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout.length, 0);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^vsb: --mount 'ram:\/tmp=12Q': .*'Q'/);
  });

  it('exits 2 naming the URI and the installed backends when none claims it', async () => {
    const r = await vsb(['run', '--dry-run', '-c', 'xen:///', '--', 'true']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "vsb: no backend handles URI 'xen:///' (installed: lxc, qemu)\n");
  });

  it('uses a third-party backend plugin named in VSB_PLUGINS without any change to core', async () => {
    const r = await vsb(['run', '--dry-run', '-c', 'xen:///', '--', '/bin/true'], { env: { VSB_PLUGINS: path.join(REPO, 'examples', 'vsb-plugin-xen') } });
    assert.equal(r.code, 0, r.stderr);
    const xml = r.stdout.toString();
    assert.match(xml, /<domain type="xen">/);
    assert.match(xml, /<type arch="x86_64" machine="xenpvh">xenpvh<\/type>/);
    validateDomainXml(xml);
  });

  it('names the --includefile and its line in an error about one of its entries', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-inc-'));
    try {
      const list = path.join(dir, 'list.txt');
      fs.writeFileSync(list, '# comment\nrel\n');
      const r = await vsb(['run', '--dry-run', '-m', 'ram:/tmp=1M', '-I', list, '--', 'true']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, `vsb: --includefile '${list}' line 2 'rel': guest path 'rel' must be an absolute path (start it with '/')\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown flag and a missing command with exit 2 and one line', async () => {
    const unknown = await vsb(['run', '--bogus', '--', 'true']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr.split('\n')[0]!, /^vsb: .*--bogus/);
    const missing = await vsb(['run', '--dry-run']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'vsb: missing command: put it after --, e.g. vsb run -- /bin/sh\n');
  });
});
