/**
 * Bytes that are not UTF-8 (argv, the environment, file names on Linux are bytes) carried in JS
 * strings without loss, as Python's `surrogateescape` does: each byte of an invalid sequence
 * becomes the lone surrogate U+DC80..U+DCFF, which valid UTF-8 never decodes to, and
 * {@link encodeLossless} turns it back into that byte. Node itself replaces such bytes by U+FFFD
 * (`ef bf bd`), so `vsb run -- printf '\xff'` gave the app other bytes than the user's.
 */
export function decodeLossless(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let out = '';
  let run = 0;
  let i = 0;
  while (i < buf.length) {
    const n = validSequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += buf.toString('utf8', run, i) + String.fromCharCode(0xdc00 + buf[i]!);
    run = ++i;
  }
  return out + buf.toString('utf8', run);
}

/** The bytes a {@link decodeLossless} string came from: UTF-8, with U+DC80..U+DCFF as the bytes they stand for. */
export function encodeLossless(text: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff || (i > 0 && isHighSurrogate(text.charCodeAt(i - 1)))) continue;
    parts.push(Buffer.from(text.slice(start, i), 'utf8'), Buffer.from([c - 0xdc00]));
    start = i + 1;
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

/** The byte a lone U+DC80..U+DCFF of a {@link decodeLossless} string stands for, else undefined. */
export function escapedByte(text: string, index: number): number | undefined {
  const c = text.charCodeAt(index);
  if (c < 0xdc80 || c > 0xdcff || (index > 0 && isHighSurrogate(text.charCodeAt(index - 1)))) return undefined;
  return c - 0xdc00;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Length of the well-formed UTF-8 sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF), 0 if none. */
function validSequenceLength(b: Uint8Array, i: number): number {
  const b0 = b[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}
