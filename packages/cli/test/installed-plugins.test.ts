import 'reflect-metadata';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { container } from 'tsyringe';
import * as core from '@vsb/core';
import { installedPlugins } from '../src/installed-plugins';
import { registerGuarded } from '../src/register-guarded';

/** Writes a package directory: package.json plus the given files. */
function writePackage(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('installedPlugins', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-installed-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("gives a plugin vsb's own @vsb/core, tsyringe and reflect-metadata even when it ships copies", () => {
    const fake = 'module.exports = { copy: true };\n';
    const root = writePackage(tmp, 'vsb-plugin-probe', {
      'node_modules/tsyringe/package.json': '{"name":"tsyringe","main":"index.js"}',
      'node_modules/tsyringe/index.js': fake,
      'node_modules/@vsb/core/package.json': '{"name":"@vsb/core","main":"index.js"}',
      'node_modules/@vsb/core/index.js': fake,
      'node_modules/left-pad/package.json': '{"name":"left-pad","main":"index.js"}',
      'node_modules/left-pad/index.js': fake,
      'index.js': [
        "const core = require('@vsb/core');",
        "exports.seen = { core, tsyringe: require('tsyringe'), reflect: require('reflect-metadata'), own: require('left-pad') };",
        "exports.probe = core.definePlugin({ id: 'probe', register() {} });",
      ].join('\n'),
    });
    const warnings: string[] = [];
    const found = installedPlugins(
      [
        { name: 'vsb-plugin-probe', root, type: 'user' },
        { name: '@vsb/cli', root: tmp, type: 'core' },
      ],
      (l) => warnings.push(l),
    );
    assert.deepEqual(warnings, []);
    assert.deepEqual(
      found.map((p) => [p.plugin.id, p.source]),
      [['probe', 'vsb-plugin-probe']],
    );
    const { seen } = require(path.join(root, 'index.js')) as { seen: Record<string, unknown> };
    assert.equal(seen.core, core);
    assert.equal(seen.tsyringe, require('tsyringe'));
    assert.equal(seen.reflect, require('reflect-metadata'));
    // Anything else is the plugin's own, as Node resolves it.
    assert.deepEqual(seen.own, { copy: true });
  });

  it('leaves out a package that fails to load or exports no plugin, one line each naming it', () => {
    const bad = writePackage(tmp, 'vsb-plugin-bad', { 'index.js': "throw new Error('boom\\nmore');" });
    const none = writePackage(tmp, 'vsb-plugin-none', { 'index.js': 'exports.x = 1;' });
    const warnings: string[] = [];
    const found = installedPlugins(
      [
        { name: 'vsb-plugin-bad', root: bad, type: 'link' },
        { name: 'vsb-plugin-none', root: none, type: 'user' },
      ],
      (l) => warnings.push(l),
    );
    assert.deepEqual(found, []);
    assert.deepEqual(warnings, [
      "plugin 'vsb-plugin-bad' failed to load, running without it: boom",
      "plugin 'vsb-plugin-none' exports no vsb plugin (use definePlugin from @vsb/core); running without it",
    ]);
  });
});

describe('registerGuarded', () => {
  const backend = (id: string): core.SandboxBackend => ({
    id,
    kind: 'vm',
    claims: (uri) => uri.startsWith(`${id}:`),
    build: () => undefined,
    addConsole: () => ({ devname: 'console1', guestPath: '/dev/hvc1' }),
  });

  it("makes a plugin's registrations when its register returns", () => {
    const c = container.createChildContainer();
    const plugin = core.definePlugin({ id: 'good', register: (r) => core.contribute(r, { backends: [() => backend('good')] }) });
    registerGuarded(c, { plugin, source: 'pkg' }, () => assert.fail('no warning expected'));
    assert.deepEqual(
      new core.BackendRegistry(c).all().map((b) => b.id),
      ['good'],
    );
  });

  it('makes none of them when it throws, and says so in one line', () => {
    const c = container.createChildContainer();
    const plugin = core.definePlugin({
      id: 'bad',
      register: (r) => {
        core.contribute(r, { backends: [() => backend('bad')] });
        throw new Error('nope');
      },
    });
    const warnings: string[] = [];
    registerGuarded(c, { plugin, source: 'vsb-plugin-bad' }, (l) => warnings.push(l));
    assert.deepEqual(warnings, ["plugin 'bad' (vsb-plugin-bad) failed to register, running without it: nope"]);
    assert.deepEqual(new core.BackendRegistry(c).all(), []);
  });
});
