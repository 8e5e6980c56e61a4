import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheFile } from '../src/cache-file';
import { modulesNeedSignatures, stripModuleSignature } from '../src/module-signatures';

/** A module body with a signature appended the way scripts/sign-file does it. */
function signed(body: Buffer, sig: Buffer): Buffer {
  const info = Buffer.alloc(12);
  info.writeUInt32BE(sig.length, 8);
  return Buffer.concat([body, sig, info, Buffer.from('~Module signature appended~\n')]);
}

describe('module signatures', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-modsig-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stripModuleSignature cuts signature, its info and the marker, and leaves unsigned modules alone', () => {
    const body = Buffer.from('\x7fELF module body');
    assert.deepEqual(stripModuleSignature(signed(body, Buffer.alloc(512, 7))), body);
    assert.deepEqual(stripModuleSignature(body), body);
  });

  it('modulesNeedSignatures reads CONFIG_MODULE_SIG_FORCE beside the image; without a config it keeps them', async () => {
    const image = path.join(dir, 'vmlinuz-9.9');
    assert.equal(await modulesNeedSignatures(image, '9.9'), true);
    fs.writeFileSync(path.join(dir, 'config-9.9'), 'CONFIG_MODULE_SIG=y\n# CONFIG_MODULE_SIG_FORCE is not set\n');
    assert.equal(await modulesNeedSignatures(image, '9.9'), false);
    fs.writeFileSync(path.join(dir, 'config-9.9'), 'CONFIG_MODULE_SIG=y\nCONFIG_MODULE_SIG_FORCE=y\n');
    assert.equal(await modulesNeedSignatures(image, '9.9'), true);
  });

  it('cacheFile names depend on the code that makes the file, not only on its inputs', async () => {
    const producer = path.join(dir, 'maker.js');
    fs.writeFileSync(producer, 'one way');
    const a = await cacheFile(dir, 'initrd', ['same input'], [producer]);
    fs.writeFileSync(producer, 'another way');
    const b = await cacheFile(dir, 'initrd', ['same input'], [producer]);
    assert.notEqual(a, b);
    assert.equal(await cacheFile(dir, 'initrd', ['same input'], [producer]), b);
  });
});
