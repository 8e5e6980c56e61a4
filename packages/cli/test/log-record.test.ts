import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { encodeLogRecords, LogRecordDecoder, MAX_RECORD_CONTENT, type LogStream } from '../src/keeper/log-record';

const TIME = '2026-01-02T03:04:05.678Z';

/** The bytes the app wrote on each stream, back from the records of `chunks` fed to a decoder in pieces of `piece` bytes. */
function roundTrip(chunks: Array<[LogStream, Buffer]>, piece: number): Record<LogStream, Buffer> {
  const file = Buffer.concat(chunks.flatMap(([stream, chunk]) => encodeLogRecords(stream, chunk, TIME).flat()));
  const decoder = new LogRecordDecoder();
  const out: Record<LogStream, Buffer[]> = { stdout: [], stderr: [] };
  for (let at = 0; at < file.length; at += piece) {
    for (const r of decoder.push(file.subarray(at, at + piece))) out[r.stream].push(r.bytes);
  }
  return { stdout: Buffer.concat(out.stdout), stderr: Buffer.concat(out.stderr) };
}

describe('log records (k8s-file)', () => {
  it('are one text line each: TIME STREAM F|P CONTENT', () => {
    const text = Buffer.concat(encodeLogRecords('stdout', Buffer.from('one\n\ntwo'), TIME).flat()).toString();
    assert.equal(text, `${TIME} stdout F one\n${TIME} stdout F \n${TIME} stdout P two\n`);
  });

  it('give back any bytes exactly, both streams apart, however the file is read', () => {
    const binary = crypto.randomBytes(100_000);
    const long = Buffer.alloc(MAX_RECORD_CONTENT * 2 + 5, 'x');
    const chunks: Array<[LogStream, Buffer]> = [
      ['stdout', Buffer.from('line\n')],
      ['stderr', Buffer.from('\xff\xfe not UTF-8\n', 'latin1')],
      ['stdout', binary],
      ['stdout', Buffer.concat([long, Buffer.from('\n')])],
      ['stderr', Buffer.from('no newline')],
      ['stdout', Buffer.from('\n\n')],
    ];
    for (const piece of [1, 7, 4096, 1 << 20]) {
      const back = roundTrip(chunks, piece);
      assert.ok(back.stdout.equals(Buffer.concat(chunks.filter(([s]) => s === 'stdout').map(([, c]) => c))), `stdout, pieces of ${piece}`);
      assert.ok(back.stderr.equals(Buffer.concat(chunks.filter(([s]) => s === 'stderr').map(([, c]) => c))), `stderr, pieces of ${piece}`);
    }
  });

  it('keep every record within the bound on content', () => {
    const records = encodeLogRecords('stderr', Buffer.alloc(MAX_RECORD_CONTENT * 3, 'y'), TIME);
    assert.equal(records.length, 3);
    assert.ok(records.every(([, content]) => content!.length <= MAX_RECORD_CONTENT));
  });

  it('skip lines that are not records (a file cut short)', () => {
    const decoder = new LogRecordDecoder();
    const records = decoder.push(Buffer.from(`garbage\n${TIME} stdin F x\n${TIME} stdout X y\n${TIME} stdout F ok\n`));
    assert.deepEqual(
      records.map((r) => [r.stream, r.bytes.toString()]),
      [['stdout', 'ok\n']],
    );
  });
});
