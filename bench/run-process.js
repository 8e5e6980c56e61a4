'use strict';
const { spawn } = require('node:child_process');

/**
 * Runs a command to its end and times it from spawn to exit in ms (what a user waits for).
 * Options: `input` (Buffer written to stdin, then EOF), `countStdout` (count bytes and time the
 * first one instead of keeping them), `env`, `rss` (wrap in GNU time for the peak RSS in KB).
 */
function runProcess(cmd, args, options = {}) {
  const rssFile = options.rss ? `/tmp/vsb-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}` : undefined;
  const [file, argv] = rssFile ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, argv, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let bytes = 0;
    let firstByte;
    let lastByte;
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => {
      firstByte ??= performance.now();
      lastByte = performance.now();
      bytes += b.length;
      if (!options.countStdout) out.push(b);
    });
    child.stderr.on('data', (b) => err.push(b));
    child.stdin.on('error', () => undefined);
    let firstWritten;
    let lastWritten;
    if (options.input) {
      writeAll(
        child.stdin,
        options.input,
        () => (firstWritten ??= performance.now()),
        () => (lastWritten = performance.now()),
      );
    } else child.stdin.end();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const end = performance.now();
      let rssKb;
      if (rssFile) {
        const fs = require('node:fs');
        rssKb = Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop());
        fs.rmSync(rssFile, { force: true });
      }
      resolve({
        ms: end - t0,
        code,
        signal,
        bytes,
        rssKb,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        // To the end: output from the first byte read, input from the first MiB the reader took, to
        // the exit. Flow: to the last byte read / the last MiB taken instead (no start nor end of
        // the process in it: the rate of the data itself).
        outMs: firstByte === undefined ? undefined : end - firstByte,
        inMs: firstWritten === undefined ? undefined : end - firstWritten,
        outFlowMs: firstByte === undefined ? undefined : lastByte - firstByte,
        inFlowMs: firstWritten === undefined ? undefined : lastWritten - firstWritten,
      });
    });
  });
}

/** Writes `data` in 1 MiB chunks with backpressure; `onFirst` / `onLast` when the reader took the first / last one. */
function writeAll(stream, data, onFirst, onLast) {
  const CHUNK = 1 << 20;
  let offset = 0;
  let first = true;
  const next = () => {
    while (offset < data.length) {
      const chunk = data.subarray(offset, offset + CHUNK);
      offset += chunk.length;
      const isFirst = first;
      first = false;
      const ok = stream.write(chunk, isFirst ? onFirst : offset >= data.length ? onLast : undefined);
      if (!ok) return stream.once('drain', next);
    }
    stream.end();
  };
  next();
}

/** `r` when the command exited 0, else an error saying what failed and how. */
function check(r, what) {
  if (r.code !== 0) throw new Error(`${what}: exit ${r.code} ${r.signal ?? ''}: ${r.stderr.slice(0, 500)}`);
  return r;
}

module.exports = { runProcess, check };
