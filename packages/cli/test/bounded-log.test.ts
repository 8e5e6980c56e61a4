import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BoundedLog } from '../src/keeper/bounded-log';
import { olderLogPart } from '../src/keeper/log-files';
import { readLog } from '../src/keeper/log-reader';
import type { LogRecord } from '../src/keeper/log-record';

/** Everything readLog delivers of `file`, per stream. */
async function read(file: string, follow?: { ended: () => boolean }, onRecord?: (r: LogRecord) => void): Promise<{ stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  await readLog(
    file,
    (r) => {
      out[r.stream] += r.bytes.toString();
      onRecord?.(r);
    },
    follow,
  );
  return out;
}

describe('BoundedLog and readLog', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-log-'));
    file = path.join(dir, 'app.log');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const onDisk = () => [file, olderLogPart(file)].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);

  it('keeps a flooding app under its bound, with the latest output, in order', async () => {
    const bound = 32 * 1024;
    const log = new BoundedLog(file, bound);
    let written = '';
    for (let i = 0; i < 20_000; i++) {
      const line = `line ${i}\n`;
      log.write(i % 3 === 0 ? 'stderr' : 'stdout', Buffer.from(line));
      written += line;
      assert.ok(onDisk() <= bound, `${onDisk()} bytes on disk after line ${i}`);
    }
    log.close();
    const { stdout, stderr } = await read(file);
    const lines = [...stdout.split('\n'), ...stderr.split('\n')]
      .filter(Boolean)
      .map((l) => Number(l.slice(5)))
      .sort((a, b) => a - b);
    assert.equal(lines[lines.length - 1], 19_999, 'the last line is there');
    // At least the newer half of the bound is kept (a record of these is ~45 bytes): consecutive lines up to the end.
    assert.ok(onDisk() >= bound / 2, `${onDisk()} bytes kept`);
    assert.ok(lines.length > bound / 2 / 50, `${lines.length} lines kept`);
    assert.deepEqual(
      lines,
      Array.from({ length: lines.length }, (_, i) => lines[0]! + i),
    );
    assert.ok(written.length > bound * 4);
  });

  it('a follower reads through rotations until the keeper says the app ended', async () => {
    const log = new BoundedLog(file, 4096);
    log.write('stdout', Buffer.from('first\n'));
    let ended = false;
    let n = 0;
    // Each record read makes the app write more (enough to rotate), until 50 lines were written.
    const got = await read(file, { ended: () => ended }, () => {
      if (n === 50) return;
      n++;
      log.write('stdout', Buffer.from(`${'x'.repeat(100)} ${n}\n`));
      if (n === 50) ended = true;
    });
    const lines = got.stdout.split('\n').filter(Boolean);
    assert.equal(lines[0], 'first');
    assert.equal(lines.length, 51);
    assert.equal(lines[50], `${'x'.repeat(100)} 50`);
    assert.ok(fs.existsSync(olderLogPart(file)), 'it did rotate');
  });

  it('reads nothing from a log the app never wrote, and drops output once its directory is gone', async () => {
    assert.deepEqual(await read(file), { stdout: '', stderr: '' });
    const log = new BoundedLog(path.join(dir, 'gone', 'app.log'));
    assert.doesNotThrow(() => log.write('stdout', Buffer.from('nowhere\n')));
  });
});
