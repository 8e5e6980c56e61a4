'use strict';
// `vsb exec NAME -- /bin/true` on a detached LXC and QEMU sandbox, beside `vsb run -- /bin/true`
// and `node -e 0`, and the throughput of exec's stdout. ONLY=exec runs this section alone.
const { median } = require('./stats');
const { check, runProcess } = require('./run-process');
const { NODE, VSB } = require('./settings');
const { f0, f2, met, table } = require('./table');
const { QEMU_URI } = require('./vm');

/** Starts `sleep 600` detached as NAME on `uri`; returns a function that stops it. */
async function detached(name, uri) {
  check(await runProcess(NODE, [VSB, 'run', '--detach', '-q', '-n', name, '-c', uri, '--', 'sleep', '600']), `vsb run --detach -c ${uri}`);
  return async () => check(await runProcess(NODE, [VSB, 'stop', '-t', '0', name]), `vsb stop ${name}`);
}

/**
 * The exec rows: latencies in `rounds` (the bench's interleaved rounds) of `samples`, the QEMU
 * run of /bin/true in `vmSamples` of its own (seconds each under TCG), then stdout of `bytes`
 * (LXC) and `vmBytes` (QEMU) through exec. `name()` hands out domain names.
 */
async function execBench({ rounds, name, samples, vmSamples, bytes, vmBytes }) {
  const lxc = name();
  const vm = name();
  const stops = [await detached(lxc, 'lxc:///'), await detached(vm, QEMU_URI)];
  try {
    const timed = (args, what) => async () => check(await runProcess(NODE, args), what).ms;
    const latency = await rounds(
      'exec latency',
      {
        'node -e 0': timed(['-e', '0'], 'node'),
        'vsb exec -- /bin/true (LXC)': timed([VSB, 'exec', lxc, '--', '/bin/true'], 'vsb exec LXC'),
        'vsb exec -- /bin/true (QEMU)': timed([VSB, 'exec', vm, '--', '/bin/true'], 'vsb exec QEMU'),
        'vsb run -- /bin/true (LXC)': timed([VSB, 'run', '-n', name(), '--', '/bin/true'], 'vsb run LXC'),
      },
      samples,
    );
    const vmRun = await rounds(
      'exec: vsb run on QEMU',
      {
        'vsb run -- /bin/true (QEMU)': timed([VSB, 'run', '-n', name(), '-c', QEMU_URI, '--', '/bin/true'], 'vsb run QEMU'),
      },
      vmSamples,
      1,
    );
    const out = (sandbox, n, what) => async () => {
      const r = check(await runProcess(NODE, [VSB, 'exec', sandbox, '--', 'head', '-c', String(n), '/dev/zero'], { countStdout: true }), what);
      if (r.bytes !== n) throw new Error(`${what}: ${r.bytes} bytes, want ${n}`);
      return n / 1e6 / (r.outFlowMs / 1000);
    };
    const throughput = await rounds(
      'exec stdout',
      {
        [`vsb exec stdout (LXC, ${bytes / 1e6} MB)`]: out(lxc, bytes, 'vsb exec stdout LXC'),
        [`vsb exec stdout (QEMU, ${vmBytes / 1e6} MB)`]: out(vm, vmBytes, 'vsb exec stdout QEMU'),
      },
      Math.min(samples, vmSamples),
      1,
    );
    return { latencyMs: { ...latency, ...vmRun }, stdoutMBps: throughput };
  } finally {
    for (const stop of stops) await stop().catch((e) => console.error(e.message));
  }
}

/** The section's table and its two targets (exec on LXC within 1.5x `node -e 0`, on QEMU within 2x). */
function execReport(e) {
  const ms = Object.fromEntries(Object.entries(e.latencyMs).map(([k, v]) => [k, median(v)]));
  const node = ms['node -e 0'];
  const mbps = Object.fromEntries(Object.entries(e.stdoutMBps).map(([k, v]) => [k, median(v)]));
  const lines = [
    '',
    table([['exec latency (spawn to exit)', 'median ms', 'x node -e 0'], ...Object.entries(ms).map(([k, v]) => [k, f0(v), f2(v / node)])]),
    '',
    table([['exec stdout', 'median MB/s'], ...Object.entries(mbps).map(([k, v]) => [k, f0(v)])]),
  ];
  const targets = {
    'vsb exec on LXC <= 1.5x node -e 0': met(ms['vsb exec -- /bin/true (LXC)'] <= 1.5 * node),
    'vsb exec on QEMU <= 2x node -e 0': met(ms['vsb exec -- /bin/true (QEMU)'] <= 2 * node),
  };
  return { lines, targets, medians: { latencyMs: ms, stdoutMBps: mbps } };
}

module.exports = { execBench, execReport };
