import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { METADATA_FILE, readKeeperMetadata, writeKeeperMetadata, type KeeperMetadata } from '../src/keeper/keeper-metadata';

const META: KeeperMetadata = {
  version: 1,
  name: 'vsb-x',
  backend: 'lxc',
  uri: 'lxc:///',
  pid: 42,
  startedAt: '2026-01-02T03:04:05.000Z',
  command: ['printf', '\udcff%s', 'a b'],
  keep: true,
  state: 'exited',
  ended: { at: '2026-01-02T03:05:00.000Z', code: 3 },
};

describe('keeper metadata', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-meta-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is written atomically, for its owner only, and read back as written (lossless text included)', () => {
    writeKeeperMetadata(dir, { ...META, state: 'running', ended: undefined });
    writeKeeperMetadata(dir, META);
    assert.deepEqual(fs.readdirSync(dir), [METADATA_FILE], 'no temporary file left');
    assert.equal(fs.statSync(path.join(dir, METADATA_FILE)).mode & 0o777, 0o600);
    assert.deepEqual(readKeeperMetadata(dir), META);
  });

  it("is undefined where there is none or it is not vsb's", () => {
    assert.equal(readKeeperMetadata(dir), undefined);
    for (const text of ['{', '{"version":2}', 'null', '{"version":1,"name":"x"}']) {
      fs.writeFileSync(path.join(dir, METADATA_FILE), text);
      assert.equal(readKeeperMetadata(dir), undefined, text);
    }
  });
});
