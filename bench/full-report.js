'use strict';
// The whole bench's report: medians of every section's samples, the targets they meet or not,
// and the tables that show them.
const { CONCURRENT, SAMPLES, WARMUP } = require('./settings');
const { median } = require('./stats');
const { f0, f2, met, table } = require('./table');
const { vmMedians, vmTables } = require('./vm-section');

/**
 * The report of a full run from the samples of each section (s: start-up, t: throughput, v: VM,
 * c: concurrency, e: exec's report, k: CLI cost): its text, the medians and the targets.
 */
function fullReport({ started, info, peers, s, t, v, c, e, k }) {
  const st = Object.fromEntries(Object.entries(s.ms).map(([key, v]) => [key, median(v)]));
  // Flow (first to last byte) decides; to the exit adds each process's end (vsb's EXIT and QUIT).
  const tp = Object.fromEntries(Object.entries(t).map(([key, v]) => [key, median(v.map((x) => x.flow))]));
  const tpEnd = Object.fromEntries(Object.entries(t).map(([key, v]) => [key, median(v.map((x) => x.toEnd))]));
  const cc = c[`${CONCURRENT} at once`];
  const ccMs = median(cc.map((x) => x.ms));
  const allCorrect = cc.every((x) => x.correct === CONCURRENT);
  const kk = Object.fromEntries(Object.entries(k).map(([key, v]) => [key, median(v)]));
  const floor = st['libvirt floor (process)'];
  const floorIn = st['libvirt floor (in-process)'];
  const { vmMs, vmFloorMs, vmStdout } = vmMedians(v);
  const cliLoad = s.steps['CLI load (Node + oclif + modules)'];
  const rssTrue = kk['peak RSS vsb run /bin/true'];
  const targets = {
    'stdout through LXC >= 0.9x direct': met(tp['stdout vsb'] >= 0.9 * tp['stdout direct']),
    'stdin through LXC >= 0.9x direct': met(tp['stdin vsb'] >= 0.9 * tp['stdin direct']),
    'peak RSS while 200 MB flow <= RSS of /bin/true + 10 MB': met(
      Math.max(kk['peak RSS vsb run 200 MB stdout'], kk['peak RSS vsb run 200 MB stdin']) <= rssTrue + 10 * 1024,
    ),
    'VM /bin/true <= 1.2x bare QEMU floor': met(vmMs['vsb (VM)'] <= 1.2 * vmFloorMs),
    'LXC /bin/true <= 0.9x libvirt floor (process)': met(st.vsb <= 0.9 * floor),
    'CLI load <= 1.3x node -e 0': met(cliLoad <= 1.3 * st['node -e 0']),
    'start-up <= 1.15x libvirt floor (process)': met(st.vsb <= 1.15 * floor),
    'start-up <= 1.15x libvirt floor (in-process)': met(st.vsb <= 1.15 * floorIn),
    'stdout >= 100 MB/s and >= 30% of direct': met(tp['stdout vsb'] >= 100 && tp['stdout vsb'] >= 0.3 * tp['stdout direct']),
    'vsb --help <= 1.5x node -e 0': met(kk['vsb --help'] <= 1.5 * kk['node -e 0']),
    'peak RSS of vsb run -- /bin/true <= 100 MB': met(kk['peak RSS vsb run /bin/true'] <= 100 * 1024),
    '(also) peak RSS while 200 MB flow <= 100 MB': met(kk['peak RSS vsb run 200 MB stdout'] <= 100 * 1024),
    ...e.targets,
  };
  const out = [];
  out.push(
    `vsb bench, ${started.toISOString()}, ${SAMPLES} samples after ${WARMUP} warm-up rounds, medians; ${info.cpu}, ${info.kernel}, Node ${info.node}; machine shared`,
  );
  out.push(
    '',
    table([
      ['start-up (spawn to exit)', 'median ms', 'x floor (process)', 'x floor (in-process)'],
      ...Object.entries(st).map(([key, v]) => [key, f0(v), f2(v / floor), f2(v / floorIn)]),
    ]),
  );
  out.push('', table([['vsb run -- /bin/true, its own steps', 'median ms'], ...Object.entries(s.steps).map(([key, v]) => [key, f0(v)])]));
  out.push(
    '',
    table([
      ['throughput, 200 MB (median)', 'flow MB/s', 'x direct', 'to exit MB/s', 'x direct'],
      ...Object.entries(tp).map(([key, x]) => {
        const direct = key.startsWith('stdout') ? 'stdout direct' : 'stdin direct';
        return [key, f0(x), f2(x / tp[direct]), f0(tpEnd[key]), f2(tpEnd[key] / tpEnd[direct])];
      }),
    ]),
  );
  out.push('', table([['peers that do not start here', 'error'], ...Object.entries(peers.failed)]));
  out.push(...vmTables(v, tp['stdout direct']));
  out.push(
    '',
    table([
      [`concurrency: ${CONCURRENT} x vsb run at once`, 'median'],
      ['all correct in every round', allCorrect ? 'yes' : `no (${cc.map((x) => x.correct).join(',')})`],
      ['total ms', f0(ccMs)],
      ['sandboxes/s', f2(CONCURRENT / (ccMs / 1000))],
    ]),
  );
  out.push(...e.lines);
  out.push(
    '',
    table([
      ['CLI cost', 'median', 'x node -e 0'],
      ...['vsb --help', 'vsb run --help', 'node -e 0'].map((key) => [key + ' (ms)', f0(kk[key]), f2(kk[key] / kk['node -e 0'])]),
      ['vsb run CLI load (ms, from its timestamps)', f0(cliLoad), f2(cliLoad / st['node -e 0'])],
      ...['peak RSS vsb run /bin/true', 'peak RSS vsb run 200 MB stdout', 'peak RSS vsb run 200 MB stdin'].map((key) => [
        key + ' (MB)',
        f0(kk[key] / 1024),
        '',
      ]),
    ]),
  );
  out.push('', table([['target', ''], ...Object.entries(targets)]));
  const medians = {
    startupMs: st,
    vsbStepsMs: s.steps,
    throughputMBps: tp,
    throughputToExitMBps: tpEnd,
    vmMs,
    vmStepsMs: v.steps,
    vmStdoutMBps: vmStdout,
    exec: e.medians,
    concurrency: { ms: ccMs, allCorrect, perSecond: CONCURRENT / (ccMs / 1000) },
    cli: kk,
  };
  return { text: out.join('\n'), medians, targets };
}

module.exports = { fullReport };
