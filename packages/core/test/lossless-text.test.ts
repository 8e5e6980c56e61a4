import assert from 'node:assert/strict';
import { sampleConfig } from '@vsb/test-support';
import { decodeLossless, encodeLossless } from '../src/lossless-text';
import { decodeGuestConfig, encodeGuestConfig } from '../src/plan/guest-config';
import { shellQuote } from '../src/plan/sandbox-plan';
import { toDomainXml } from '../src/plan/domain-xml';
import { DomainDraft } from '../src/plan/domain-draft';
import type { SandboxConfig } from '../src/sandbox-config';

const hex = (b: Buffer) => b.toString('hex');

const base: SandboxConfig = sampleConfig({
  name: 'vsb-1',
  identity: { uid: 1000, gid: 100, groups: [], user: 'ann', home: '/home/ann', privileged: false },
  memoryBytes: 1,
});

describe('lossless text (bytes that are not UTF-8 in strings)', () => {
  const samples = ['ff', 'c0af', 'eda080', 'f4908080', 'e282', '41ff42', 'c3a9', 'f09f9880', '80', 'e2829f', ''];
  for (const sample of samples) {
    it(`round-trips ${sample || 'nothing'} byte-exact`, () => assert.equal(hex(encodeLossless(decodeLossless(Buffer.from(sample, 'hex')))), sample));
  }
  it('keeps valid UTF-8 as Node decodes it', () => assert.equal(decodeLossless(Buffer.from('é😀', 'utf8')), 'é😀'));
  it('encodes a surrogate pair whose low half looks like an escaped byte as UTF-8', () => assert.equal(hex(encodeLossless('\ud83d\udc80')), 'f09f9280'));
  it('every byte value survives the guest config', () => {
    const all = Buffer.from(Array.from({ length: 255 }, (_, i) => i + 1));
    const config: SandboxConfig = { ...base, command: ['printf', decodeLossless(all)], env: [['A', decodeLossless(Buffer.from('ff01', 'hex'))] as const] };
    const data = encodeGuestConfig(config, { channel: { path: '/dev/tty2' } });
    assert.ok(data.includes(Buffer.concat([Buffer.from('argv='), all, Buffer.from([0])])));
    assert.ok(data.includes(Buffer.from('env=A=\xff\x01\0', 'latin1')));
    assert.deepEqual(
      decodeGuestConfig(data)
        .filter(([k]) => k === 'argv')
        .map(([, v]) => hex(encodeLossless(v))),
      [hex(Buffer.from('printf')), hex(all)],
    );
  });
});

describe('shellQuote (the domain <description>)', () => {
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['ls', 'ls'],
    ['a b', `'a b'`],
    [`it's`, `'it'\\''s'`],
    ['\x1b[1m', `$'\\e[1m'`],
    ['A=\x01', `$'A=\\x01'`],
    [decodeLossless(Buffer.from('41ff', 'hex')), `$'A\\xff'`],
    ["a'\n\\", `$'a\\'\\n\\\\'`],
  ];
  for (const [arg, quoted] of rows) it(`quotes ${JSON.stringify(arg)} as ${quoted}`, () => assert.equal(shellQuote(arg), quoted));
});

describe('toDomainXml', () => {
  it('refuses a character XML cannot carry instead of writing XML that does not parse', () => {
    const draft = new DomainDraft();
    draft.basic.push(['title', 'a\x01b']);
    assert.throws(() => toDomainXml(draft), /^SandboxError: a value for the domain's <title> holds '\\x01', which libvirt's XML cannot carry$/);
  });
});
