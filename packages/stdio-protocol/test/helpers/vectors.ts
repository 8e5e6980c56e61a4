import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** docs/protocol-vectors.json, typed as far as the tests use it. */
export interface ProtocolVectors {
  version: number;
  maxPayload: number;
  stdinWindow: number;
  outputWindow: number;
  syncRequest: string;
  syncAck: string;
  frames: Array<{
    name: string;
    direction: 'host-to-guest' | 'guest-to-host';
    type: number;
    stream?: number;
    payloadHex?: string;
    payloadGen?: { len: number; rule: string };
    headerHex?: string;
    frameHex?: string;
    fields: Record<string, number | string | string[]>;
  }>;
  invalid: Array<{ name: string; hex: string; error: string }>;
  stream: { name: string; hex: string; decoded: Array<{ type: number; stream: number; payloadHex: string }> };
}

/** The repository root: the nearest ancestor holding docs/protocol-vectors.json. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'docs', 'protocol-vectors.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('docs/protocol-vectors.json not found above ' + __dirname);
    dir = parent;
  }
}

/** Loads the shared test vectors at test time (never copied into the tests). */
export function loadVectors(): ProtocolVectors {
  return JSON.parse(readFileSync(join(repoRoot(), 'docs', 'protocol-vectors.json'), 'utf8')) as ProtocolVectors;
}

/** The payload of a `payloadGen` vector; the only rule so far is `byte i = i % 251`. */
export function generatePayload(gen: { len: number; rule: string }): Buffer {
  if (gen.rule !== 'byte i = i % 251') throw new Error(`unknown payload rule '${gen.rule}'`);
  const payload = Buffer.alloc(gen.len);
  for (let i = 0; i < gen.len; i++) payload[i] = i % 251;
  return payload;
}
