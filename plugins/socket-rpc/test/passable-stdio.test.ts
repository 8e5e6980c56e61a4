import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { passableStdio } from '../src/passable-stdio';

describe('passableStdio', () => {
  let dir: string;
  let fds: number[];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vsb-passable-'));
    fds = [];
  });
  afterEach(() => {
    for (const fd of fds) fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const withFd = <T extends object>(stream: T, fd: number): T => Object.assign(stream, { fd });
  const fileFd = (): number => {
    const fd = fs.openSync(path.join(dir, `f${fds.length}`), 'w+');
    fds.push(fd);
    return fd;
  };

  it('passes every stream that has a descriptor of its own, in stdin, stdout, stderr order', () => {
    const [a, b, c] = [fileFd(), fileFd(), fileFd()];
    const stdio = {
      stdin: withFd(new PassThrough(), a) as Readable,
      stdout: withFd(new PassThrough(), b) as Writable,
      stderr: withFd(new PassThrough(), c) as Writable,
    };
    const p = passableStdio(stdio, false);
    assert.equal(p.mask, 7);
    assert.deepEqual(p.fds, [a, b, c]);
    assert.notEqual(p.relay.stdin, stdio.stdin, "nobody may read the host's stdin any more");
    assert.equal(p.relay.stdout, stdio.stdout);
  });

  it("keeps streams without a descriptor (a test's PassThrough) on the relay", () => {
    const b = fileFd();
    const stdio = { stdin: new PassThrough(), stdout: withFd(new PassThrough(), b) as Writable, stderr: new PassThrough() };
    const p = passableStdio(stdio, false);
    assert.equal(p.mask, 2);
    assert.deepEqual(p.fds, [b]);
    assert.equal(p.relay.stdin, stdio.stdin);
  });

  it('passes nothing in tty mode', () => {
    const stdio = {
      stdin: withFd(new PassThrough(), fileFd()) as Readable,
      stdout: withFd(new PassThrough(), fileFd()) as Writable,
      stderr: new PassThrough(),
    };
    const p = passableStdio(stdio, true);
    assert.equal(p.mask, 0);
    assert.deepEqual(p.fds, []);
    assert.equal(p.relay, stdio);
  });
});
